"""Cost-sharing page: change a coefficient, see the new amounts; save; invalid input."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from elevator.core.money_text import format_yuan
from elevator.model.io import parse_project
from elevator.sharing.engine import compute_shares
from elevator.store.db import Store

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")


def expected_share(data: dict, room: str) -> str:
    result = compute_shares(parse_project(data))
    return format_yuan(result.by_id()[room].share)


async def test_change_coefficient_updates_amounts(user: User, app_db, sample_id) -> None:
    await user.open("/")
    await user.should_see("兴发小区 3栋 1单元")
    pid = sample_id()
    await user.open(f"/project/{pid}/sharing")
    data = Store(app_db).get(pid).data
    before = expected_share(data, "502")
    user.find(marker="mine-select").click()
    user.find("502").click()
    await user.should_see(f"我家 502：应付 {before} 元")
    user.find(marker="coef-5").clear().type("2.5")
    data["sharing"]["coefficients"]["5"] = "2.5"
    after = expected_share(data, "502")
    assert after != before
    await user.should_see(f"我家 502：应付 {after} 元")
    # the household table shows the new amount too
    table = user.find(marker="households").elements.pop()
    assert any(row["c0"] == "★ 502" and row["c7"] == after for row in table.rows)
    # nothing is stored until Save
    assert Store(app_db).get(pid).version == 1
    user.find(marker="save").click()
    await user.should_see("已保存（版本 2）")
    saved = Store(app_db).get(pid)
    assert saved.version == 2
    assert saved.data["sharing"]["coefficients"]["5"] == "2.5"


async def test_invalid_coefficient_is_shown_and_not_saved(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/sharing")
    user.find(marker="coef-4").clear().type("abc")
    await user.should_see("应为数字 / must be a number")
    # the message sits under the field it is about
    label = user.find(marker="error:sharing.coefficients.4").elements.pop()
    assert "must be a number" in label.text and label.visible
    user.find(marker="save").click()
    await user.should_see("未保存")
    assert Store(app_db).get(pid).version == 1


async def test_scheme_switch_shows_formula(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/sharing")
    user.find(marker="scheme").click()
    user.find("按面积分摊").click()
    await user.should_see("按专有部分面积比例")
    await user.should_see("居民合计应付 410,000.00 元")


async def test_fairness_checks_show_and_follow_the_coefficients(
    user: User, app_db, sample_id
) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/sharing")
    await user.should_see("公平性检查")
    await user.should_see("份额随楼层不减")
    # 5F above 6F breaks the monotone property: the check says so in words
    user.find(marker="coef-5").clear().type("3")
    await user.should_see("× 份额随楼层不减")
