"""Change control for mediators: the warning before a save that voids recorded decisions,
the version history (diff in words, restore), the cost-item editor, the unsaved-changes
guard and money typed as people write it."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from nicegui.testing import User

from elevator.core.money_text import format_yuan, parse_money_text
from elevator.plan.changes import result_of, share_changes, version_of, voided
from elevator.store.db import Store
from ui.change import signed_yuan
from ui.widgets import field_words

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")


def record_decisions(app_db, pid: int) -> list[str]:
    """Three agree, one oppose and one abstain on the saved plan; returns their flats."""
    s = Store(app_db)
    v = version_of(s.get(pid).data)
    flats = {"201": "agree", "301": "agree", "401": "agree", "501": "oppose", "602": "abstain"}
    for flat, decision in flats.items():
        s.record_decision(pid, flat, decision, "paper", v, "mediator")
    return list(flats)


def still_counting(app_db, pid: int) -> int:
    """How many latest decisions count on the saved plan now."""
    s = Store(app_db)
    return len(voided(s.decisions(pid), version_of(s.get(pid).data), "another plan"))


def rows_of(user: User, marker: str) -> list[dict]:
    return user.find(marker=marker).elements.pop().rows


async def change_coefficient(user: User, pid: int, value: str = "2") -> None:
    await user.open(f"/project/{pid}/sharing")
    user.find(marker="coef-6").clear().type(value)
    user.find(marker="save").click()


async def test_save_that_voids_decisions_warns_with_count_and_shares(
    user: User, app_db, sample_id
) -> None:
    pid = sample_id()
    record_decisions(app_db, pid)
    before = copy.deepcopy(Store(app_db).get(pid).data)
    await change_coefficient(user, pid)
    await user.should_see("保存将使 5 份已登记的表态不再计入")
    await user.should_see("同意 3 户、反对 1 户、弃权 1 户")
    # the per-household changes are the library's
    after = copy.deepcopy(before)
    after["sharing"]["coefficients"]["6"] = "2"
    expected = [c for c in share_changes(result_of(before), result_of(after)) if c.changed]
    rows = rows_of(user, "void-shares")
    assert [r["c0"] for r in rows] == [c.id for c in expected]
    assert [r["c3"] for r in rows] == [signed_yuan(c.delta) for c in expected]
    assert all("," in r["c1"] for r in rows if abs(Fraction(r["c1"].replace(",", ""))) >= 1000)
    assert any(r["c3"].startswith("+") for r in rows) and any(r["c3"].startswith("-") for r in rows)
    # cancel: nothing saved, the decisions still count
    user.find(marker="void-cancel").click()
    await user.should_see("未保存：已取消")
    assert Store(app_db).get(pid).version == 1
    assert still_counting(app_db, pid) == 5


async def test_confirmed_save_is_written(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    record_decisions(app_db, pid)
    await change_coefficient(user, pid)
    await user.should_see(marker="void-confirm")
    user.find(marker="void-confirm").click()
    await user.should_see("已保存（版本 2）")
    record = Store(app_db).get(pid)
    assert record.version == 2 and record.data["sharing"]["coefficients"]["6"] == "2"
    assert still_counting(app_db, pid) == 0


async def test_save_that_keeps_the_plan_shows_no_warning(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    record_decisions(app_db, pid)
    await user.open(f"/project/{pid}/building")
    user.find(marker="name").clear().type("兴发小区 3栋 1单元（改名）")
    user.find(marker="save").click()
    await user.should_see("已保存（版本 2）")
    await user.should_not_see(marker="void-dialog")
    assert still_counting(app_db, pid) == 5


async def test_history_lists_diffs_in_words_and_restores(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    s = Store(app_db)
    v1 = s.get(pid)
    data = copy.deepcopy(v1.data)
    data["building"]["households"][5]["area_m2"] = "70.5"  # 302
    data["sharing"]["coefficients"]["6"] = "2"
    s.save(pid, data, 1, actor="mediator")
    await user.open(f"/project/{pid}/history")
    versions = rows_of(user, "versions")
    assert [r["c0"] for r in versions] == ["2（当前）", "1"]
    assert versions[0]["c2"] == "mediator"
    await user.should_see(marker="history-fields")
    fields = rows_of(user, "history-fields")
    words = {r["c0"]: (r["c1"], r["c2"]) for r in fields}
    assert words["楼栋 › 住户 › 302 户 › 面积（平方米）"] == ("65", "70.5")
    assert words["分摊 › 楼层系数 › 6 层"] == ("1.6", "2")
    assert not any("." in r["c0"] and "_" in r["c0"] for r in fields)  # no dotted paths
    assert {r["c0"] for r in rows_of(user, "history-shares")}  # shares moved
    user.find(marker="history-restore").click()
    await user.should_see("已恢复版本 1，另存为版本 3")
    record = Store(app_db).get(pid)
    assert record.version == 3 and record.data == v1.data
    rows = s.accounts.audit_rows(pid)
    assert rows[0].action == "project.restore" and rows[0].detail == "2 -> 3 (1)"


async def test_restore_goes_through_the_voiding_warning(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    s = Store(app_db)
    data = copy.deepcopy(s.get(pid).data)
    data["sharing"]["coefficients"]["6"] = "2"
    s.save(pid, data, 1)
    record_decisions(app_db, pid)
    await user.open(f"/project/{pid}/history")
    user.find(marker="history-restore").click()
    await user.should_see("保存将使 5 份已登记的表态不再计入")
    user.find(marker="void-cancel").click()
    await user.should_see("未保存：已取消")
    assert Store(app_db).get(pid).version == 2


async def test_cost_items_add_remove_edit_keep_the_total(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    s = Store(app_db)
    data = copy.deepcopy(s.get(pid).data)
    data["costs"] = {"total": "530000"}
    s.save(pid, data, 1)
    await user.open(f"/project/{pid}/building")
    user.find(marker="add-cost-item").click()
    await user.should_see(marker="costs.items[0].amount")
    await user.should_see("总价 = 各分项合计：530,000.00 元")
    user.find(marker="add-cost-item").click()
    await user.should_see(marker="costs.items[1].amount")
    user.find(marker="costs.items[0].amount").clear().type("56万")
    user.find(marker="costs.items[1].amount").clear().type("5.6万元")
    await user.should_see("总价 = 各分项合计：616,000.00 元")
    user.find(marker="add-cost-item").click()
    await user.should_see(marker="remove-cost-item-2")
    user.find(marker="remove-cost-item-2").click()
    await user.should_not_see(marker="cost-item-2")
    user.find(marker="save").click()
    await user.should_see("已保存（版本 3）")
    costs = Store(app_db).get(pid).data["costs"]
    assert [i["amount"] for i in costs["items"]] == ["560000", "56000"]
    assert costs["total"] == "616000"


async def test_cost_item_on_a_linear_cost_carries_it(user: User, app_db, sample_id) -> None:
    pid = sample_id()  # costs are fixed + per floor, no stated total
    await user.open(f"/project/{pid}/building")
    user.find(marker="add-cost-item").click()
    await user.should_see("总价 = 各分项合计：530,000.00 元")
    user.find(marker="save").click()
    await user.should_see("已保存（版本 2）")
    assert Store(app_db).get(pid).data["costs"]["items"][0]["amount"] == "530000"


async def test_bad_amount_shown_beside_field_keeps_text_and_refuses_save(
    user: User, app_db, sample_id
) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/building")
    user.find(marker="add-contribution").click()
    field = "funding.contributions[0].amount"
    await user.should_see(marker=field)
    user.find(marker=field).clear().type("五万")
    label = user.find(marker=f"error:{field}").elements.pop()
    await user.should_see(marker=f"error:{field}")
    assert label.visible and label.text
    assert user.find(marker=field).elements.pop().value == "五万"
    await user.should_see("有未保存的修改")  # typed text is not lost unasked
    user.find(marker="save").click()
    await user.should_see("未保存")
    assert Store(app_db).get(pid).version == 1


async def test_amounts_show_thousands_separators(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/building")
    assert user.find(marker="costs.fixed").elements.pop().value == "380,000.00"


async def test_dirty_marker_and_tab_guard(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/building")
    marker = user.find(marker="dirty").elements.pop()
    await user.should_see(marker="version")
    assert marker.text == ""
    user.find(marker="tab-sharing").click()  # nothing unsaved: no question
    await user.should_see(marker="coef-6")
    await user.open(f"/project/{pid}/building")
    user.find(marker="building.households[3].area_m2").clear().type("66")
    await user.should_see("有未保存的修改")
    user.find(marker="tab-sharing").click()
    await user.should_see("离开本页将丢失这些修改")
    user.find(marker="leave-stay").click()
    await user.should_not_see(marker="coef-6")
    user.find(marker="tab-sharing").click()
    await user.should_see(marker="leave-go")
    user.find(marker="leave-go").click()
    await user.should_see(marker="coef-6")
    assert Store(app_db).get(pid).version == 1


def test_money_text_reads_wan() -> None:
    assert format_yuan(parse_money_text("56万"), grouping=False) == "560000.00"
    assert parse_money_text("5.6万元") == 56000


def test_field_words_never_dotted() -> None:
    data = {"building": {"households": [{"id": "101"}]}}
    assert field_words("building.households.0.floor", data, "zh") == "楼栋 › 住户 › 101 户 › 楼层"
    assert (
        field_words("costs.items.2.amount", None, "en")
        == "construction cost › items › item 3 › amount"
    )
    assert field_words("no_such_field.x_y", None, "zh") == "其他设置 › 其他设置"


async def test_history_diff_speaks_words_for_keys(user: User, app_db, sample_id) -> None:
    """Scheme, policy, fact values, added entries and amounts: words, never keys."""
    from tests.test_no_identifiers import leaks

    pid = sample_id()
    s = Store(app_db)
    data = copy.deepcopy(s.get(pid).data)
    data["sharing"]["scheme"] = "floors_travelled"
    data["sharing"]["exempt_floors"] = [1, 2]
    data["building"]["households"].append({"id": "603", "floor": 6, "area_m2": "70"})
    data.setdefault("funding", {}).setdefault("contributions", []).append(
        {"name": "管线单位", "amount": "12000"}
    )
    s.save(pid, data, 1)
    await user.open(f"/project/{pid}/history")
    await user.should_see(marker="history-fields")
    rows = rows_of(user, "history-fields")
    text = "\n".join(" ".join(r[f"c{i}"] for i in range(3)) for r in rows)
    assert not leaks(text), text
    assert "楼栋 › 住户 › 603 户" in text and "12,000.00" in text
