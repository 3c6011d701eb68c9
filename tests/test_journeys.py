"""Real-browser journeys of the app's users, on the harness of tests/browser_kit.py: each
step finds things by their marks, waits patiently and leaves a screenshot in
test-output/<test name>/ (a CI artefact).

A journey reads like what the user does:

    kit.visit(f"/project/{pid}/sharing")
    kit.type("coef-5", "2.5")
    kit.wait_text("mine", "应付")
    kit.click("save")
"""

from __future__ import annotations

import copy
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By

from elevator.core.money import money_str
from elevator.core.text import t
from elevator.documents.bill import bill, changes_since
from elevator.documents.community_rows import filter_rows, verdict_options, work_rows
from elevator.feasibility.checklist import assess
from elevator.feasibility.workflow import workflow_status
from elevator.model.io import parse_project
from elevator.model.site import STAGES
from elevator.plan.community import check_stairwells, stairwell_from_project
from elevator.plan.compose import shares
from elevator.plan.versions import plan_version
from elevator.sharing.engine import compute_shares
from elevator.store.access import resident_token
from elevator.store.db import Store
from tests.browser_kit import DESKTOP, PHONE, Kit, nicegui_chrome_options, poll  # noqa: F401
from tests.conftest import SAMPLE

pytestmark = pytest.mark.browser


def share_of(data: dict, room: str) -> str:
    return money_str(compute_shares(parse_project(data)).by_id()[room].share)


def digits(text: str) -> str:
    """An amount as the page may write it (33,045.82) in the form money_str gives."""
    return text.replace(",", "")


def test_mediator_changes_coefficient_desktop(request, app_db) -> None:
    """A mediator of one project opens its sharing page (the login comes first), changes
    the 5th floor's coefficient, sees household 502's new amount and saves version 2."""
    store = Store(app_db)
    pid = next(r.id for r in store.list_projects() if r.name == SAMPLE)
    data = store.get(pid).data
    before = share_of(data, "502")
    data["sharing"]["coefficients"]["5"] = "2.5"
    after = share_of(data, "502")
    assert before != after

    kit = Kit.start(request, app_db, f"/project/{pid}/sharing?flat=502")
    kit.size(*DESKTOP)
    kit.account("mediator", "mediator", f"project:{pid}")
    kit.element("login-name")  # no account yet: the page sent the browser to log in
    kit.shot("1-login", full=False)
    kit.login_form("mediator")
    kit.wait_text("mine", lambda t: before in digits(t))
    kit.shot("2-sharing")

    kit.type("coef-5", "2.5")
    kit.wait_text("mine", lambda t: after in digits(t))
    kit.shot("3-changed")

    kit.click("save")
    poll(lambda: store.version(pid) == 2, "the saved version 2")
    saved = store.get(pid).data["sharing"]["coefficients"]
    assert str(saved.get("5", saved.get(5))) == "2.5"
    kit.settle()
    kit.shot("4-saved")


# --- the resident: a household's own link on a phone --------------------------------------

HOUSEHOLD = "502"  # of SAMPLE: a household above the exempt ground floor


def resident_path(store: Store, pid: int, hid: str) -> str:
    epoch = store.link_epochs(pid).get(hid, 0)
    return f"/r/{pid}/{resident_token(store.resident_secret(), str(pid), hid, epoch)}"


def in_first_screen(kit: Kit, mark: str) -> bool:
    """The marked element lies wholly inside the window as the page opens (no scrolling)."""
    return kit.driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        " return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight"
        " && r.right <= window.innerWidth;",
        kit.element(mark),
    )


def source_titles(kit: Kit) -> dict[str, str | None]:
    """The subsidies' and contributions' documents shown: title -> link (None: no link)."""
    shown = {e.text: e.get_attribute("href") for e in kit.elements("source-link")}
    shown |= {e.text: None for e in kit.elements("source-title")}
    return shown


def test_resident_reads_bill_and_decides_phone(request, app_db) -> None:
    """A resident opens the household's own link on a phone: the first screen shows what
    it pays (the engine's share), why in one sentence and where the subsidies come from,
    without sideways scrolling; below, the chart and what changed.  The resident agrees,
    and the store holds the decision on the plan shown.  A mediator then saves a changed
    coefficient, and the reloaded bill says what changed for this household."""
    store = Store(app_db)
    pid = next(r.id for r in store.list_projects() if r.name == SAMPLE)
    data = store.get(pid).data
    project = parse_project(data)
    expected = bill(project, shares(project), HOUSEHOLD, "zh")
    amount = share_of(data, HOUSEHOLD)
    path = resident_path(store, pid, HOUSEHOLD)

    kit = Kit.start(request, app_db, "/login")
    kit.size(*PHONE)
    kit.visit(path, mark="mine")
    kit.wait_text("mine", lambda t: amount in digits(t))
    kit.shot("1-first-screen", full=False)
    # the first screen: amount, reason and the subsidies' documents, nothing off to the side
    assert kit.text("reason") == expected.reason
    assert expected.sources, "the sample's bill names no subsidy"
    assert source_titles(kit) == {l.source or l.label: l.href for l in expected.sources}
    for mark in ("mine", "reason", "source"):
        assert in_first_screen(kit, mark), f"{mark!r} is not on the phone's first screen"
    assert kit.problems() == []
    # below: every household's share in a chart that fits the phone, and what changed
    chart = kit.element("share-chart")
    poll(lambda: chart.find_elements(By.CSS_SELECTOR, "canvas, svg"), "the chart drawn")
    assert chart.rect["x"] + chart.rect["width"] <= PHONE[0]
    versions = store.versions(pid)
    nothing_yet = changes_since(versions, None, data, HOUSEHOLD, "zh")
    kit.wait_text("changes-heading", nothing_yet.heading)
    kit.shot("2-bill")

    kit.click("decide-agree")
    agreed = plan_version(shares(project))
    poll(
        lambda: [
            r
            for r in store.decisions(pid)
            if (r.household, r.decision, r.via, r.plan_version)
            == (HOUSEHOLD, "agree", "own_link", agreed)
        ],
        f"the agreement of {HOUSEHOLD} in the store",
    )
    agree = t("decision.agree", "zh")
    kit.wait_text("own-decision", t("ui.resident.decided", "zh", decision=agree))
    same = changes_since(versions, agreed, data, HOUSEHOLD, "zh", decision="agree")
    assert same.state == "same"
    kit.wait_text("changes-heading", same.heading)
    kit.settle()
    kit.shot("3-agreed")

    # a mediator saves a new coefficient for this household's floor (a new plan version)
    record = store.get(pid)
    changed = copy.deepcopy(record.data)
    floor = next(h["floor"] for h in changed["building"]["households"] if h["id"] == HOUSEHOLD)
    coefficients = changed["sharing"]["coefficients"]
    key = str(floor) if str(floor) in coefficients else floor
    coefficients[key] = "2.4" if str(coefficients[key]) == "2.5" else "2.5"
    store.save(pid, changed, record.version, actor="mediator")
    now = store.get(pid).data
    after = share_of(now, HOUSEHOLD)
    assert after != amount
    moved = changes_since(store.versions(pid), agreed, now, HOUSEHOLD, "zh", decision="agree")
    assert moved.state == "changed"

    kit.visit(path, mark="changes-mine")
    kit.wait_text("mine", lambda t: after in digits(t))
    kit.wait_text("changes-heading", moved.heading)
    kit.wait_text("changes-mine", moved.mine)
    kit.wait_text("own-decision", t("ui.resident.stale", "zh"))
    assert kit.problems() == []
    kit.shot("4-changed")


# --- the evaluator: a community's stairwells on a desktop -----------------------------------

SIGNER = "李工"  # the evaluator's name, entered once for a whole stage


def stage_reached(data: dict) -> str:
    project = parse_project(data)
    return project.evaluation.stage if project.evaluation else STAGES[0]


def passed_unsigned(data: dict, stage: str) -> set[str]:
    """The stage's items the checklist passed and nobody has signed (what sign-all signs)."""
    project = parse_project(data)
    status = workflow_status(project, assess(project))
    items = next(st["items"] for st in status if st["stage"] == stage)
    return {it["id"] for it in items if it["checklist"] == "pass" and not it["signoff"]}


def stairwell_to_sign(rows: list, counts: dict, records: dict) -> tuple:
    """A verdict that narrows the table (fewest rows first) and a stairwell of it, kept as a
    project, with passed items to sign at the stage it reached: (verdict, row, stage, items)."""
    for v in sorted(counts, key=counts.get):
        if counts[v] == len(rows):
            continue
        for r in filter_rows(rows, verdict=v):
            data = records[int(r.where[1:])].data
            items = passed_unsigned(data, stage_reached(data))
            if items:
                return v, r, stage_reached(data), items
    raise AssertionError("no stairwell of a narrowing verdict has passed items to sign")


def choose(kit: Kit, mark: str, words: str) -> None:
    """Open the marked drop-down and click the option that reads `words`."""
    assert "'" not in words
    kit.click(mark)
    path = (
        "//div[contains(@class, 'q-menu')]//div[contains(@class, 'q-item')]"
        f"[normalize-space(.) = '{words}']"
    )
    options = poll(
        lambda: [e for e in kit.driver.find_elements(By.XPATH, path) if e.is_displayed()],
        f"the option {words!r} of {mark!r}",
    )
    options[0].click()
    kit.settle()


def table_rows(kit: Kit, mark: str) -> list:
    return kit.element(mark).find_elements(By.CSS_SELECTOR, "tbody tr")


def test_evaluator_works_a_community_desktop(request, app_db) -> None:
    """An evaluator of the sample's community opens its workspace, filters the stairwells
    by a verdict (the rows drop to the library's count), opens a stairwell from its row,
    signs every passed item of its stage with one name, and downloads the community PDF."""
    from ui.pages.community import export_name

    store = Store(app_db)
    community = next(r.community for r in store.list_projects() if r.name == SAMPLE)
    records = {r.id: r for r in store.community_projects(community)}
    stairwells = [
        stairwell_from_project(parse_project(r.data), f"#{i}") for i, r in records.items()
    ]
    rows = work_rows(check_stairwells(stairwells, {"name": community}), "zh")
    # a verdict that narrows the table, held by a stairwell with passed items to sign
    counts = {v: len(filter_rows(rows, verdict=v)) for v in verdict_options(rows, "zh")}
    verdict, target, stage, to_sign = stairwell_to_sign(rows, counts, records)
    pid = int(target.where[1:])

    kit = Kit.start(request, app_db, "/login")
    kit.size(*DESKTOP)
    kit.account("evaluator", "evaluator", f"community:{community}")
    kit.login("evaluator")
    kit.visit(f"/community/{quote(community)}", mark="app-stairwells")
    shown = t("community.work.shown", "zh", shown=len(rows), total=len(rows))
    kit.wait_text("app-shown", shown)
    poll(lambda: len(table_rows(kit, "app-stairwells")) == min(len(rows), 20), "every row")
    kit.shot("1-community")

    choose(kit, "app-filter-verdict", verdict_options(rows, "zh")[verdict])
    kit.wait_text(
        "app-shown", t("community.work.shown", "zh", shown=counts[verdict], total=len(rows))
    )
    poll(
        lambda: len(table_rows(kit, "app-stairwells")) == counts[verdict],
        f"{counts[verdict]} rows of verdict {verdict}",
    )
    kit.shot("2-filtered")

    # a click on the row (not on its name's link) opens the stairwell's checklist
    rows_of = poll(
        lambda: [r for r in table_rows(kit, "app-stairwells") if r.text.startswith(target.name)],
        f"the row of {target.name}",
    )
    kit.driver.execute_script(
        "arguments[0].click()", rows_of[0].find_elements(By.TAG_NAME, "td")[1]
    )
    poll(lambda: kit.path() == f"/project/{pid}/feasibility", f"the page of {target.name}")
    kit.settle()
    kit.element("verdict-label")
    kit.element(f"stage-{stage}")
    kit.shot("3-stairwell")

    choose(kit, "signall-stage", t(f"stage.{stage}", "zh"))
    kit.wait_text("signall-count", t("feasibility.sign_passed.count", "zh", count=len(to_sign)))
    kit.type("signall-name", SIGNER)
    kit.click("signall-save")

    def signed() -> bool:
        record = store.get(pid)
        signoffs = (record.data.get("evaluation") or {}).get("signoffs") or []
        return record.version == records[pid].version + 1 and signoffs

    poll(signed, f"the sign-offs of {target.name} saved")
    signoffs = store.get(pid).data["evaluation"]["signoffs"]
    assert {s["item"] for s in signoffs} == to_sign and len(signoffs) == len(to_sign)
    assert {(s["name"], s["stage"], s["result"]) for s in signoffs} == {(SIGNER, stage, "pass")}
    assert passed_unsigned(store.get(pid).data, stage) == set()
    kit.should_see(t("feasibility.sign_passed.done", "zh", count=len(to_sign)))
    kit.settle()
    kit.shot("4-signed")

    # the community's PDF from the page, saved by the browser under the community's name
    downloads = kit.out / "downloads"
    downloads.mkdir(exist_ok=True)
    for old in downloads.iterdir():
        old.unlink()
    kit.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    kit.visit(f"/community/{quote(community)}", mark="app-pdf")
    kit.click("app-pdf")
    name = export_name(community, "community.work.part_app", "pdf", "zh")
    pdf = poll(lambda: [p for p in downloads.iterdir() if p.name == name], f"{name} downloaded")
    assert pdf[0].read_bytes().startswith(b"%PDF")
