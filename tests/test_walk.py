"""A real-browser walk through every page of the app on a 390×844 phone screen.

Every route of ui/main.py ROUTES is visited (a new page is walked without touching this
file), logged in as an administrator so that every tab shows: the project pages for
several seeded samples, a community, one household's resident link, the district
simulator, the administration, the login page and the project list.  On each page (and
again with its expandable sections opened) these fail: a page wider than the screen
(sideways scrolling), a box inside it that scrolls sideways (a table too wide for a
phone), raw identifiers in the visible text (snake_case words, dotted keys, lowercase
keys standing alone among Chinese words: «政策 xingshan») and unfilled {placeholders}.
Every problem of every page is collected and reported at once, with a screenshot per page
in test-output/<test name>/.

The same walk runs again in English (the language switch pressed once): there, instead of
lone English words, Chinese text fails, but the data (names, titles that exist only in
Chinese, see data_strings) and quoted literals to type («“5.6万”», «“area_m2”»).
"""

from __future__ import annotations

import re
import time
from urllib.parse import unquote

import pytest

from elevator.core.text import t
from elevator.store.access import resident_token
from elevator.store.db import Store
from tests.browser_kit import (  # noqa: F401 (the fixture)
    PHONE,
    ROOT,
    Kit,
    data_pattern,
    nicegui_chrome_options,
    save_report,
)

# seeded samples whose project pages are walked: consent decisions and a site survey; a
# Shanghai policy; a ladder of fixed amounts per floor (the sample names are their keys)
PROJECTS = (
    "兴发小区 5栋 2单元",
    "上海：40% 封顶 28 万，1、2 层补偿 5000 元 / Shanghai, 40% capped at 280,000",
    "AirportProblems elevator example (14 flats)",
)
COMMUNITY = "兴发小区"
RESIDENT_OF = PROJECTS[0]  # the household link of this project's first household
ADMIN = "walker"
ALLOW = frozenset({ADMIN})  # the account's name in the header is the user's own word
PARAM = re.compile(r"\{(\w+)\}")


def routes() -> list[str]:
    from ui.main import ROUTES

    return list(ROUTES)


def fillings(db) -> dict[str, list[dict[str, str]]]:
    """For each set of route parameters, the values the walk fills in."""
    store = Store(db)
    by_name = {r.name: r for r in store.list_projects()}
    missing = [n for n in PROJECTS if n not in by_name]
    assert not missing, f"seeded samples not found (renamed?): {missing}"
    resident = by_name[RESIDENT_OF]
    household = resident.data["building"]["households"][0]["id"]
    token = resident_token(
        store.resident_secret(),
        str(resident.id),
        household,
        store.link_epochs(resident.id).get(household, 0),
    )
    return {
        "": [{}],
        "pid": [{"pid": str(by_name[n].id)} for n in PROJECTS],
        "name": [{"name": COMMUNITY}],
        "project_id token": [{"project_id": str(resident.id), "token": token}],
    }


def paths(db) -> tuple[list[str], list[str]]:
    """Every page to visit (login first, logged out), and the routes it cannot fill."""
    fill = fillings(db)
    out, unfilled = [], []
    for route in routes():
        names = " ".join(sorted(PARAM.findall(route)))
        if names not in fill:
            unfilled.append(route)
            continue
        out += [route.format(**values) for values in fill[names]]
    out.sort(key=lambda p: p != "/login")
    return out, unfilled


def walk_page(kit: Kit, path: str, step: str, found: list[tuple[str, str]], look) -> None:
    kit.visit(path)
    if not kit.settle():
        found.append((path, f"still loading after {kit.path()} settled for 60 s"))
    if unquote(kit.path().split("?")[0]) != path:
        found.append((path, f"sent on to {kit.path()}"))
    shot = kit.shot(step)
    seen = look()
    found += [(path, f"{p} [{shot.relative_to(ROOT)}]") for p in seen]
    if kit.expand_all():  # what the closed sections hide
        shot = kit.shot(step + "-open")
        known = {p.split("«")[0] for p in seen}
        for p in look():
            if p.split("«")[0] not in known:
                found.append((path, f"{p} (sections opened) [{shot.relative_to(ROOT)}]"))


# planted on the first page to prove the checks see what they must and skip icons
_PLANT = """
const box = document.createElement('div');
box.id = 'walk-plant';
box.innerHTML = '<i class="q-icon material-icons">expand_more</i>'
  + '<div class="plant-wide" style="width: 500px">half_landing {threshold} 入户 flat 平层</div>'
  + '<div class="plant-box" style="overflow-x: auto; width: 200px">'
  + '<div style="width: 300px">表 COMMUNITY</div></div>';
document.body.appendChild(box);
""".replace("COMMUNITY", COMMUNITY)


def self_check(kit: Kit, look) -> None:
    """The plant's problems in the walk's language: the same four, then the lone word
    (Chinese) or the Chinese words but the community's name (English)."""
    assert look() == [], "the walk's first page must be clean for the self-check"
    kit.driver.execute_script(_PLANT)
    found = look()
    kit.driver.execute_script("document.getElementById('walk-plant').remove()")
    assert "plant-wide" in found[0] and "width 500 px" in found[0], found
    assert found[1].startswith("sideways scroll inside <div .plant-box>: 300 px"), found
    assert found[2].startswith("raw identifier half_landing"), found
    if look.chinese:
        assert found[3].startswith("lone English word flat"), found
    else:
        chinese = [p.split(" «")[0] for p in found[3:-1]]
        assert chinese == ["Chinese text 入户", "Chinese text 平层 表"], found
    assert found[-1].startswith("unfilled placeholder {threshold}"), found


def data_strings(db) -> list[str]:
    """What the pages may show in Chinese whatever the language: every text of the
    seeded projects, the community files and the policy and rule files, but the Chinese
    half of a {zh, en} pair (its English half is what an English page shows)."""
    from elevator.core.paths import DATA
    from elevator.documents.words import citation
    from elevator.model.io import read_data
    from elevator.store.db import communities_dir

    found: list[str] = []
    for record in Store(db).list_projects():
        found.append(record.name)
        _strings(record.data, found)
    for path in [*communities_dir().rglob("*.yaml"), *DATA.rglob("*.yaml")]:
        _strings(read_data(path), found)
    # a citation is shown without the repository file it names (documents.words.citation)
    return found + [citation(s) for s in found]


def _strings(value, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not (key == "zh" and "en" in value):
                _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)
    elif isinstance(value, str):
        out.append(value)


class Look:
    """The checks of one walk: in Chinese, lone English words but the account's name;
    in English, Chinese text but the data and the switch back to Chinese (its label)."""

    def __init__(self, kit: Kit, db, chinese: bool):
        self.kit, self.chinese = kit, chinese
        self.back = t("ui.lang.other", "en")
        self.data = None if chinese else data_pattern([*data_strings(db), self.back])

    def __call__(self) -> list[str]:
        return self.kit.problems(self.chinese, ALLOW, self.data)


def walk(request, app_db, chinese: bool) -> None:
    """Every page, logged out for the login page and as an administrator for the rest,
    in Chinese (the default) or English (the language switch, pressed once)."""
    started = time.monotonic()
    kit = Kit.start(request, app_db)
    kit.size(*PHONE)
    look = Look(kit, app_db, chinese)
    if not chinese:  # the switch reloads the page; it then offers Chinese
        kit.click("lang-switch")
        kit.wait_text("lang-switch", look.back)
        kit.settle()
    self_check(kit, look)
    pages, unfilled = paths(app_db)
    found: list[tuple[str, str]] = [
        (r, "the walk cannot fill this route's parameters: add them to fillings()")
        for r in unfilled
    ]
    kit.account(ADMIN, "admin")
    for i, path in enumerate(pages):
        if i == 1:  # the login page is seen logged out; everything else as an administrator
            kit.login(ADMIN)
        name = re.sub(r"[\w-]{32}", "link", path.strip("/")) or "projects"  # not the token
        walk_page(kit, path, f"{i:02d}-{name}", found, look)
    report = [f"{page}: {problem}" for page, problem in found]
    seconds = time.monotonic() - started
    save_report(kit, [f"{len(pages)} pages in {seconds:.0f} s", *report])
    assert not found, f"{len(found)} problems on {len(pages)} pages:\n" + "\n".join(report)


@pytest.mark.browser
def test_walk_every_page_phone(request, app_db) -> None:
    walk(request, app_db, chinese=True)


@pytest.mark.browser
def test_walk_every_page_phone_english(request, app_db) -> None:
    walk(request, app_db, chinese=False)


def test_checks_catch_what_they_should() -> None:
    """The text checks themselves (no browser): what they flag and what they let pass."""
    from tests.browser_kit import (
        chinese_left,
        lone_words,
        placeholders,
        problems_of,
        raw_identifiers,
    )

    assert raw_identifiers("入户方式 flat / half_landing，原因 pipelines.gas") == [
        "half_landing",
        "pipelines.gas",
    ]
    assert raw_identifiers("阶段 completion_acceptance 50；fact.entry.hint") == [
        "completion_acceptance",
        "fact.entry.hint",
    ]
    clean = (
        "见 https://www.gov.cn/zhengce/a_b.htm 与 hello_world@example.com，"
        "下载 兴发_3栋.pdf、report_v2.xlsx，e.g. 5.6万元，docs/policy-facts.md"
    )
    assert raw_identifiers(clean) == []
    assert lone_words("入户方式 flat 平层；管线 gas、water；Shanghai, 40% capped at 28") == [
        "flat",
        "gas",
        "water",
    ]
    assert (
        lone_words("不可用 / The scheme needs floor coefficients；载重（kg）；ada", {"ada"}) == []
    )
    assert placeholders("地上层数是否不少于 {threshold} 层？{ 1 }") == ["{threshold}"]
    # quoted literals to type pass: a sheet's column names, amounts as people write them
    assert raw_identifiers("columns “id”, “area_m2”; `floor_no` or area_m2") == ["area_m2"]
    # English pages: data passes where it stands alone, not inside a longer Chinese run
    data = data_pattern(["兴发小区 5栋", "安装", "上海闵行 2019：补偿 5000 元"])
    english = "Project 兴发小区 5栋: step 安装 done; 未安装 yet; “5.6万” or 5.6万元; 上海闵行 2019：补偿 5000 元"
    assert list(chinese_left(english, data)) == ["未安装", "万元"]
    assert chinese_left("Total 56万", data)["万"] == "Total 56万"
    page = {"text": "好", "innerWidth": 390, "scrollWidth": 405, "offenders": []}
    assert problems_of(page)[0].startswith("sideways scroll: page 405 px wide")
    assert problems_of({**page, "scrollWidth": 391}) == []
    box = {"tag": "div", "cls": "q-table__middle", "text": "户号", "scrollWidth": 580}
    inner = problems_of({**page, "scrollWidth": 390, "scrollers": [{**box, "clientWidth": 340}]})
    assert inner == [
        "sideways scroll inside <div .q-table__middle>: 580 px of content in 340 px «户号»"
    ]
