"""The resident's page "我家的账单" (ui/pages/resident.py): the first screen's amount,
reason and subsidy source; the chain from cost to the amount shared; the chart with this
household marked; what changed since the version it agreed to (or last looked at) after
a real save; consent still recorded; exact fractions folded under "精确计算"."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User

from elevator.core.money_text import format_yuan
from elevator.model.io import parse_project, read_data
from elevator.plan.compose import shares
from elevator.plan.versions import plan_version
from elevator.store.access import resident_token
from elevator.store.db import Store
from tests.conftest import SAMPLE
from tests.test_bill import FRACTION
from tests.test_no_identifiers import leaks

pytestmark = pytest.mark.usefixtures("app_db")
CASES = Path(__file__).resolve().parent.parent / "cases" / "projects"


def link(db, pid: int, room: str) -> str:
    s = Store(db)
    return f"/r/{pid}/{resident_token(s.resident_secret(), str(pid), room, 0)}"


def texts(user: User, marker: str) -> list[str]:
    return [e.text for e in user.find(marker=marker).elements]


def save_coefficient(db, pid: int, floor: str, value: str) -> None:
    """A mediator's save: a new plan version (as the sharing page saves it)."""
    s = Store(db)
    rec = s.get(pid)
    data = copy.deepcopy(rec.data)
    data["sharing"]["coefficients"][floor] = value
    s.save(pid, data, rec.version, actor="med")


async def test_first_screen_amount_reason_and_source(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    result = shares(parse_project(Store(app_db).get(pid).data))
    mine = result.by_id()["502"]
    await user.open(link(app_db, pid, "502"))
    await user.should_see(f"本户 502：应付 {format_yuan(mine.share)} 元")
    [reason] = texts(user, "reason")
    assert "楼层系数 1.3" in reason and "5 层" in reason and "合计 8.2" in reason
    assert format_yuan(mine.rounded_gross) in reason
    await user.should_see("城镇老旧小区改造可复制政策机制清单（第五批）二（五）3")  # the source
    assert sorted(texts(user, "source-mark")) == ["[S]", "[U]"]  # (found in any order)
    # the chain: cost − subsidy − contribution = the amount the households share
    await user.should_see("工程造价")
    await user.should_see("−100,000.00")
    await user.should_see("410,000.00")
    await user.should_see("分摊方案：楼层系数")
    # the chart: every household, this one in its own colour
    chart = user.find(marker="share-chart").elements.pop()
    bars = chart.options["series"][0]["data"]
    ids = chart.options["xAxis"]["data"]
    assert len(ids) == len(result.households)
    assert [i for i, b in zip(ids, bars) if b["itemStyle"]["color"] == "#f59e0b"] == ["502"]
    await user.should_see(marker="running")
    await user.should_see("本户尚未表态，暂无可比较的方案版本。")
    # the exact calculation is one tap away, with the full table and the formula
    exact = user.find(marker="exact").elements.pop()
    assert isinstance(exact, ui.expansion) and not exact.value
    await user.should_see(marker="households")
    await user.should_see(marker="formula")
    visible(user)


def visible(user: User) -> None:
    """Outside the exact calculation: no fractions, keys or {placeholders} in any label."""
    exact = user.find(marker="exact").elements.pop()
    inside = {id(e) for e in exact.descendants()}
    labels = [e for e in user.find(ui.label).elements if id(e) not in inside]
    assert len(labels) > 20  # the whole page was looked at
    for label in labels:
        assert not FRACTION.search(label.text), label.text
        assert not leaks(label.text), (label.text, leaks(label.text))


async def test_source_link_opens_the_policy_page(user: User, app_db) -> None:
    name = read_data(CASES / "wuhan-shapley.yaml")["name"]
    pid = next(r.id for r in Store(app_db).list_projects() if r.name == name)
    await user.open(link(app_db, pid, "601"))
    [source] = user.find(marker="source-link").elements
    assert source.props["href"] == "https://information.bz/english/news/view/2024/07/26/5996.html"
    assert texts(user, "source-mark") == ["[W]"]
    await user.should_see("沙普利值")


async def test_changes_since_the_agreed_version_after_a_save(
    create_user: Callable[[], User], app_db, sample_id
) -> None:
    pid = sample_id()
    resident = create_user()
    path = link(app_db, pid, "502")
    await resident.open(path)
    before = shares(parse_project(Store(app_db).get(pid).data)).by_id()["502"].share
    resident.find(marker="decide-agree").click()
    await resident.should_see("本户当前表态：同意")
    [row] = Store(app_db).decisions(pid)  # consent still records, on the plan shown
    assert (row.household, row.decision, row.via) == ("502", "agree", "own_link")
    assert row.plan_version == plan_version(shares(parse_project(Store(app_db).get(pid).data)))
    await resident.should_see("自本户在第 1 版方案上表态（同意）以来，方案没有变化。")
    save_coefficient(app_db, pid, "5", "2.5")
    after = shares(parse_project(Store(app_db).get(pid).data)).by_id()["502"].share
    await resident.open(path)
    await resident.should_see("自本户在第 1 版方案上表态（同意）以来，方案有以下变化：")
    await resident.should_see(
        f"本户应付：{format_yuan(before)} 元 → {format_yuan(after)} 元"
        f"（多 {format_yuan(after - before)} 元）"
    )
    await resident.should_see("5 层的楼层系数：1.3 → 2.5")
    await resident.should_see(marker="changed-household-601")
    await resident.should_see("本户此前在旧方案上的表态不计入")
    # English too
    resident.find(marker="lang-switch").click()
    await resident.open(path)
    await resident.should_see("Coefficient of floor 5: 1.3 → 2.5")
    await resident.should_see("Household 502: pays")
    visible(resident)


async def test_without_a_decision_the_browser_remembers_the_last_version_seen(
    user: User, app_db, sample_id
) -> None:
    pid = sample_id(SAMPLE)
    path = link(app_db, pid, "301")
    await user.open(path)
    await user.should_see("本户尚未表态，暂无可比较的方案版本。")
    save_coefficient(app_db, pid, "3", "0.9")
    await user.open(path)
    await user.should_see("自您上次查看第 1 版方案以来，方案有以下变化：")
    await user.should_see("3 层的楼层系数：0.7 → 0.9")
    await user.open(path)  # now the page has shown version 2
    await user.should_see("自您上次查看第 2 版方案以来，方案没有变化。")
