"""The evaluator's community workspace: a community of 60 stairwell projects, every row
reachable, filters by verdict / reason / stage counted against the library, rows that
open their stairwell, and the community's PDF and XLSX from the page."""

from __future__ import annotations

import io
import re

import pytest
from nicegui.testing import User

from elevator.core.paths import CHECKOUT
from elevator.documents.community_rows import filter_rows, work_rows
from elevator.model.io import parse_project, read_data
from elevator.model.site import STAGES
from elevator.plan.community import check_stairwells, stairwell_from_project
from elevator.store.db import Store

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")

COMMUNITY = "六十梯小区"
COUNT = 60


def stairwell_data(i: int) -> dict:
    """Stairwell i of the test community: the sample 5栋 2单元 with facts varied so that
    every verdict, several reasons and every stage occur."""
    data = read_data(CHECKOUT / "cases" / "projects" / "xingshan-xingfa-5-2.yaml")
    data.pop("consent", None)
    data["name"] = f"{COMMUNITY} {i // 2 + 1}栋 {i % 2 + 1}单元"
    data["community"] = COMMUNITY
    data["building"]["name"] = f"{i // 2 + 1}栋"
    site = data["site"]
    site["pipelines_in_footprint"] = [] if i % 3 else ["gas"]
    if i % 7 == 0:
        site["structure_rating"] = "D"
    if i % 11 == 0:
        site.pop("fire_lane_width_after_m")
    if i % 13 == 0:
        site["min_stair_width_m"] = 0.8
    if i % 6 == len(STAGES):
        data.pop("evaluation")
    else:
        data["evaluation"] = {"stage": STAGES[i % 6]}
    return data


@pytest.fixture
def community_60(app_db) -> list[int]:
    store = Store(app_db)
    return [store.create(stairwell_data(i)).id for i in range(COUNT)]


def library_rows(app_db) -> list:
    """The workspace rows as the library computes them from the stored projects."""
    records = Store(app_db).community_projects(COMMUNITY)
    stairwells = [stairwell_from_project(parse_project(r.data), f"#{r.id}") for r in records]
    return work_rows(check_stairwells(stairwells, {"name": COMMUNITY}))


def workspace(user: User):
    return user.find(marker="app-stairwells").elements.pop()


async def open_community(user: User) -> None:
    await user.open(f"/community/{COMMUNITY}")
    await user.should_see(marker="app-stairwells")


def choose(user: User, what: str, value: str) -> None:
    select = user.find(marker=f"app-filter-{what}").elements.pop()
    select.set_value(value)


async def test_every_row_reachable(user: User, app_db, community_60) -> None:
    await open_community(user)
    table = workspace(user)
    assert len(table.rows) == COUNT
    assert {r["name"] for r in table.rows} == {
        r.name for r in Store(app_db).community_projects(COMMUNITY)
    }
    # paged, and "all rows on one page" is offered
    assert table.props["pagination"]["rowsPerPage"] < COUNT
    assert not table.props.get("hide-pagination")
    assert 0 in table.props["rows-per-page-options"]
    await user.should_see(f"显示 {COUNT} / {COUNT} 个单元")


async def test_counts_and_filters_match_library(user: User, app_db, community_60) -> None:
    rows = library_rows(app_db)
    verdicts = {r.verdict for r in rows}
    assert len(verdicts) >= 3  # the fixture really varies
    await open_community(user)
    for v in verdicts:
        n = sum(1 for r in rows if r.verdict == v)
        label = user.find(marker=f"app-count-{v}").elements.pop()
        assert label.text.endswith(f"：{n}")
    table = workspace(user)
    for v in verdicts:
        choose(user, "verdict", v)
        assert len(table.rows) == len(filter_rows(rows, verdict=v))
    choose(user, "verdict", "")
    reasons = {k for r in rows for k, _ in r.reasons}
    assert len(reasons) >= 3
    for k in reasons:
        choose(user, "reason", k)
        assert len(table.rows) == len(filter_rows(rows, reason=k)) > 0
    choose(user, "reason", "")
    stages = {r.stage for r in rows}
    assert len(stages) == len(STAGES) + 1  # and stairwells without a stage
    for s in stages:
        choose(user, "stage", s)
        assert len(table.rows) == len(filter_rows(rows, stage=s)) > 0
    # filters combine
    first = rows[0]
    choose(user, "verdict", first.verdict)
    choose(user, "stage", first.stage)
    expected = filter_rows(rows, verdict=first.verdict, stage=first.stage)
    assert len(table.rows) == len(expected)
    user.find(marker="app-filter-clear").click()
    assert len(table.rows) == COUNT


async def test_words_not_keys(user: User, app_db, community_60) -> None:
    await open_community(user)
    table = workspace(user)
    for row in table.rows:
        for key in ("verdict", "reasons", "stage"):
            text = str(row[key])
            assert not re.search(r"[a-z]+_[a-z_]+|[a-z]+\.[a-z]+|[{}]", text), (key, text)
    for what in ("verdict", "reason", "stage"):
        select = user.find(marker=f"app-filter-{what}").elements.pop()
        for words in select.options.values():
            assert not re.search(r"[a-z]+_[a-z_]+|[a-z]+\.[a-z]+|[{}]", words), words
    shown = {row["stage"] for row in table.rows}
    assert {"竣工验收", "未记录阶段"} <= shown


async def test_row_opens_its_stairwell(user: User, app_db, community_60) -> None:
    await open_community(user)
    table = workspace(user)
    names = {r.name: r.id for r in Store(app_db).community_projects(COMMUNITY)}
    for row in table.rows:
        assert row["link"] == f"/project/{names[row['name']]}/feasibility"
    row = table.rows[5]
    # a click anywhere on the row: Quasar's rowClick sends (event, row, index)
    user.find(marker="app-stairwells").trigger("rowClick", [{}, row, 5])
    await user.should_see(marker="verdict-label")
    assert user.back_history[-1].endswith(row["link"])


async def test_exports_carry_the_community_name(user: User, app_db, community_60, monkeypatch):
    names: list[str] = []
    content = user.download.content

    def recording(data, filename=None, media_type=""):
        names.append(filename)
        content(data, filename, media_type)

    monkeypatch.setattr(user.download, "content", recording)
    await open_community(user)
    user.find(marker="app-pdf").click()
    response = await user.download.next(timeout=60)
    assert response.content.startswith(b"%PDF")
    user.find(marker="app-xlsx").click()
    response = await user.download.next(timeout=60)
    assert response.content.startswith(b"PK")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert COMMUNITY in cells
    assert sum(1 for r in Store(app_db).community_projects(COMMUNITY) if r.name) == COUNT
    # the one rule of download names: the community's name, then the document's word
    assert names == [f"{COMMUNITY}-本应用楼栋 可行性汇总.{ext}" for ext in ("pdf", "xlsx")]


async def test_district_link_and_file_community(user: User) -> None:
    from tests.test_app_signoff_stage import IDENTIFIER, PLACEHOLDER, visible_text

    await user.open("/community/兴发小区")
    link = user.find(marker="district-link").elements.pop()
    assert link.props["href"] == "/district"
    await user.should_see(marker="file-stairwells")
    table = user.find(marker="file-stairwells").elements.pop()
    assert len(table.rows) == 50  # the community file's 50 stairwells, all of them
    for text in visible_text(user):
        assert not PLACEHOLDER.search(text), text
        assert not IDENTIFIER.search(text), text


async def test_community_page_words(user: User, community_60) -> None:
    from tests.test_app_signoff_stage import IDENTIFIER, PLACEHOLDER, visible_text

    await open_community(user)
    for text in visible_text(user):
        assert not PLACEHOLDER.search(text), text
        assert not IDENTIFIER.search(text), text
