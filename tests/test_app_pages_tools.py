"""Compare offers only the schemes that apply (one line says why the others do not);
negotiation and late joiners as pages give the library's results; downloads carry the
project's name."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from elevator.core.money_text import format_yuan
from elevator.core.text import t
from elevator.documents.comparison import not_applicable_line
from elevator.model.io import load_project, parse_project
from elevator.plan.compare import compare
from elevator.plan.join import late_join
from elevator.plan.negotiate import Constraint, solve
from elevator.sharing.schemes import SCHEMES
from elevator.store.db import Store
from tests.conftest import SAMPLE, login
from tests.golden_outputs import PROJECTS

pytestmark = pytest.mark.usefixtures("app_db")


def record(db, name: str = SAMPLE):
    return next(r for r in Store(db).list_projects() if r.name == name)


def named_from(stem: str) -> str:
    return load_project(next(p for p in PROJECTS if p.stem == stem)).name


# --- compare ---------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["shenzhen-equal", "xingshan-xingfa-3-1", "airport-14-flats"])
async def test_compare_offers_only_applicable_schemes(
    user: User, app_db, accounts, stem: str
) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db, named_from(stem))
    tried = compare(parse_project(rec.data), list(SCHEMES))  # the library decides
    applies = {r.scheme.name for r in tried.results}
    await user.open(f"/project/{rec.id}/compare")
    picker = user.find(marker="schemes").elements.pop()
    assert set(picker.options) == applies
    assert set(picker.value) <= applies
    if tried.skipped:
        (line,) = user.find(marker="not-applicable").elements
        assert line.text == not_applicable_line(tried, "zh")
        for name, _ in tried.skipped:
            assert t(f"scheme.{name}", "zh") in line.text
        await user.should_not_see("无法计算")  # no error per scheme any more
    else:
        await user.should_not_see(marker="not-applicable")
    await user.should_see(marker="compare-table")
    await user.should_see(marker="to-negotiate")
    await user.should_see(marker="to-joiners")


def test_one_line_for_every_reason():
    project = load_project(next(p for p in PROJECTS if p.stem == "shenzhen-equal"))
    c = compare(project, list(SCHEMES))
    reasons = {p.message.key for _, p in c.skipped}
    assert len(reasons) > 1  # two different reasons, still one line
    for lg in ("zh", "en"):
        line = not_applicable_line(c, lg)
        assert "\n" not in line and "{" not in line
        assert line.count(t("doc.compare.reason.floor_costs", lg)) == 1
    all_apply = compare(load_project(next(p for p in PROJECTS if p.stem == "wuhan-shapley")), [])
    assert not_applicable_line(all_apply, "zh") == ""


# --- negotiation -------------------------------------------------------------------------

AGREED = [
    {"floor": 2, "pays_at_most": "5%"},
    {"rise_from_below": "10%"},
    {"floor": 6, "at_most_times": {"floor": 3, "factor": 2}},
    {"floor": 1, "receives": 5000},
]
# the same agreements as the form's rows: relation, floor, other floor, value
ROWS = [
    ("pays_at_most", "2", "", "5%"),
    ("rise_from_below", "", "", "10"),
    ("at_most_times", "6", "3", "2"),
    ("receives", "1", "", "5000"),
]


async def fill(user: User, rows) -> None:
    for i, (relation, floor, other, value) in enumerate(rows):
        if i:
            user.find(marker="negotiate-add").click()
        user.find(marker=f"c{i}-relation").elements.pop().value = relation
        if floor:
            user.find(marker=f"c{i}-floor").type(floor)
        if other:
            user.find(marker=f"c{i}-other").type(other)
        user.find(marker=f"c{i}-value").type(value)


async def test_negotiation_page_gives_the_library_result(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    n = solve(parse_project(rec.data), [Constraint.model_validate(c) for c in AGREED])
    assert n.solved
    await user.open(f"/project/{rec.id}/negotiate")
    await fill(user, ROWS)
    user.find(marker="negotiate-run").click()
    await user.should_see(marker="negotiate-table")
    grid = user.find(marker="negotiate-table").elements.pop()
    pays = {row["c0"]: row["c1"] for row in grid.rows}
    for f, amount in n.pays.items():
        assert pays[t("ui.sharing.floor", "zh", floor=f)] == format_yuan(amount)
    assert any("," in v for v in pays.values())  # thousands separated
    spread = t("negotiate.amount.yuan", "zh", amount=format_yuan(n.spread))
    await user.should_see(t("ui.negotiate.spread", "zh", amount=spread))
    # applying makes it the project's sharing (a new version)
    user.find(marker="negotiate-apply").click()
    await user.should_see("已保存")
    saved = Store(app_db).get(rec.id)
    assert saved.version == rec.version + 1
    assert saved.data["sharing"]["scheme"] == "floor_coefficients"
    solved = parse_project(saved.data)
    assert solved.sharing.coefficients == n.coefficients


async def test_negotiation_conflict_is_said_in_words(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    rows = [("pays_at_most", "6", "", "1000"), ("pays_at_least", "6", "", "2000")]
    n = solve(
        parse_project(rec.data),
        [
            Constraint.model_validate({"floor": 6, "pays_at_most": 1000}),
            Constraint.model_validate({"floor": 6, "pays_at_least": 2000}),
        ],
    )
    assert not n.solved
    await user.open(f"/project/{rec.id}/negotiate")
    await fill(user, rows)
    user.find(marker="negotiate-run").click()
    await user.should_see(t("cli.negotiate.conflict", "zh"))
    await user.should_not_see(marker="negotiate-apply")


async def test_negotiation_input_problems_beside_the_row(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    await user.open(f"/project/{rec.id}/negotiate")
    await fill(user, [("pays_at_most", "二", "", "很多")])
    user.find(marker="negotiate-run").click()
    await user.should_see(marker="error:constraints[0]")
    label = user.find(marker="error:constraints[0]").elements.pop()
    assert " / " in label.text  # both languages
    assert "constraints" not in label.text
    await user.should_not_see(marker="negotiate-table")
    assert Store(app_db).get(rec.id).version == rec.version


async def test_money_as_people_write_it(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    await user.open(f"/project/{rec.id}/negotiate")
    await fill(user, [("pays_at_most", "2", "", "2万")])
    user.find(marker="negotiate-run").click()
    await user.should_see(marker="negotiate-table")
    n = solve(
        parse_project(rec.data), [Constraint.model_validate({"floor": 2, "pays_at_most": 20000})]
    )
    grid = user.find(marker="negotiate-table").elements.pop()
    pays = {row["c0"]: row["c1"] for row in grid.rows}
    assert pays[t("ui.sharing.floor", "zh", floor=2)] == format_yuan(n.pays[2])


async def test_reader_sees_negotiation_but_cannot_apply(user: User, app_db, accounts) -> None:
    rec = record(app_db)
    await login(user, accounts("reader", "reader", f"project:{rec.id}"))
    await user.open(f"/project/{rec.id}/negotiate")
    await fill(user, ROWS[:1])
    user.find(marker="negotiate-run").click()
    await user.should_see(marker="negotiate-table")
    await user.should_not_see(marker="negotiate-apply")


# --- late joiners --------------------------------------------------------------------------


async def test_joiners_page_gives_the_library_result(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    outside = [
        h["id"] for h in rec.data["building"]["households"] if h.get("participates") is False
    ]
    assert outside
    r = late_join(parse_project(rec.data), outside[0], "3%", 2)
    await user.open(f"/project/{rec.id}/joiners")
    user.find(marker="joiners-rate").type("3%")
    user.find(marker="joiners-years").type("2")
    user.find(marker="joiners-run").click()
    await user.should_see(marker="joiners-table")
    grid = user.find(marker="joiners-table").elements.pop()
    by_id = {row["c0"]: row for row in grid.rows}
    for hid, amount in r.final.items():
        assert by_id[hid]["c4"] == format_yuan(amount)
    for hid, amount in r.refunds.items():
        assert by_id[hid]["c3"] == format_yuan(amount)
    await user.should_see(
        t("ui.joiners.buy_in", "zh", household=outside[0], amount=format_yuan(r.buy_in)),
    )
    user.find(marker="joiners-apply").click()
    await user.should_see("已保存")
    saved = Store(app_db).get(rec.id)
    joined = next(h for h in saved.data["building"]["households"] if h["id"] == outside[0])
    assert joined.get("participates", True) is True


async def test_joiners_input_problems_beside_the_fields(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    await user.open(f"/project/{rec.id}/joiners")
    user.find(marker="joiners-rate").type("很多")
    user.find(marker="joiners-years").type("2")
    user.find(marker="joiners-run").click()
    await user.should_see(marker="error:rate")
    assert " / " in user.find(marker="error:rate").elements.pop().text
    user.find(marker="joiners-rate").clear().type("3%")
    user.find(marker="joiners-years").clear().type("两年")
    user.find(marker="joiners-run").click()
    await user.should_see(marker="error:years")
    await user.should_not_see(marker="joiners-table")


# --- downloads ---------------------------------------------------------------------------------


def test_document_names_keep_chinese():
    from ui.pages.documents import file_name

    assert file_name("兴发小区 3栋 1单元", 1, "分摊表.pdf") == "兴发小区 3栋 1单元-分摊表.pdf"
    assert file_name("兴发小区 3栋 1单元", 1, ext="yaml") == "兴发小区 3栋 1单元.yaml"
    assert file_name("  /// ", 7, "分摊表.pdf") == "project-7-分摊表.pdf"


async def test_download_names_carry_the_project_name(
    user: User, app_db, accounts, monkeypatch
) -> None:
    from nicegui.testing.user_download import UserDownload

    names: list[str] = []
    original = UserDownload.content

    def content(self, data, filename=None, media_type=""):
        names.append(filename)
        return original(self, data, filename, media_type)

    monkeypatch.setattr(UserDownload, "content", content)
    await login(user, accounts("mediator"))
    rec = record(app_db)
    await user.open(f"/project/{rec.id}/documents")
    for marker in ("doc-cost-table", "doc-yaml", "doc-json"):
        user.find(marker=marker).click()
        await user.download.next(timeout=30)
    stem = SAMPLE  # the project's name as people wrote it (file_names.download_name)
    assert names == [
        f"{stem}-{t('ui.documents.file.cost_table', 'zh')}",
        f"{stem}.yaml",
        f"{stem}.json",
    ]


# --- both languages: no unfilled placeholders, no raw identifiers --------------------------


@pytest.mark.parametrize("english", [False, True])
async def test_new_pages_have_no_placeholders_or_identifiers(
    user: User, app_db, accounts, english: bool
) -> None:
    import re

    from nicegui import ui

    await login(user, accounts("mediator"))
    rec = record(app_db, named_from("shenzhen-equal"))
    if english:
        await user.open("/")
        user.find(marker="lang-switch").click()
    joiners = f"/project/{record(app_db).id}/joiners"
    for path in ("/", f"/project/{rec.id}/compare", f"/project/{rec.id}/negotiate", joiners):
        await user.open(path)
        if path.endswith("negotiate"):
            await fill(user, [("rise_from_below", "", "", "10")])
            user.find(marker="negotiate-run").click()
            await user.should_see(marker="negotiate-table")
        if path == joiners:
            user.find(marker="joiners-rate").type("3%")
            user.find(marker="joiners-years").type("2")
            user.find(marker="joiners-run").click()
            await user.should_see(marker="joiners-table")
        texts = [e.text for e in user.find(kind=ui.label).elements]
        texts += [str(e.props.get("label", "")) for e in user.find(kind=ui.button).elements]
        for text in texts:
            assert "{" not in text, text
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
