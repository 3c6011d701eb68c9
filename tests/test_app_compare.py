"""Compare page, and the language switch that sticks per browser."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from elevator.core.money_text import format_yuan
from elevator.model.io import parse_project
from elevator.sharing.engine import compute_shares
from elevator.store.db import Store

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")


def sample(db):
    return next(r for r in Store(db).list_projects() if r.name == "兴发小区 3栋 1单元")


async def test_compare_table_matches_library(user: User, app_db) -> None:
    rec = sample(app_db)
    await user.open(f"/project/{rec.id}/compare")
    table = user.find(marker="compare-table").elements.pop()
    labels = [c["label"] for c in table.columns]
    assert "按面积分摊" in labels and "沙普利值" in labels
    col = table.columns[labels.index("按面积分摊")]["field"]
    by_area = compute_shares(parse_project(rec.data), "area").by_id()
    row = next(r for r in table.rows if r["c0"] == "502")
    assert row[col] == format_yuan(by_area["502"].share)  # thousands separated (issue 17)
    # each scheme's fairness properties sit under its shares
    monotone = next(r for r in table.rows if r["c0"] == "份额随楼层不减")
    assert monotone[col] in ("✓", "×", "—")
    await user.should_see("✓ 满足")


async def test_english_switch_sticks(user: User, app_db) -> None:
    await user.open("/")
    await user.should_see("从示例创建")
    user.find(marker="lang-switch").click()
    await user.open("/")
    await user.should_see("From a sample")
    await user.open(f"/project/{sample(app_db).id}/sharing")
    await user.should_see("Residents pay 410,000.00 yuan in total")
