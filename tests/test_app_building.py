"""Building page: edit a household; bad input shows beside the field and is not saved."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from elevator.documents.words import policy_name
from elevator.store.db import Store

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")


async def test_bad_area_shown_beside_field_and_not_saved(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/building")
    user.find(marker="building.households[3].area_m2").clear().type("-5")
    await user.should_see("面积应大于 0 / area must be greater than 0")
    label = user.find(marker="error:building.households[3].area_m2").elements.pop()
    assert label.visible and "area must be greater than 0" in label.text
    user.find(marker="save").click()
    await user.should_see("未保存")
    record = Store(app_db).get(pid)
    assert record.version == 1 and record.data["building"]["households"][3]["area_m2"] == "65"


async def test_edit_household_and_save(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/building")
    user.find(marker="building.households[3].area_m2").clear().type("66.5")
    user.find(marker="participates-11").click()  # 602 joins after all
    user.find(marker="add-household").click()
    user.find(marker="save").click()
    await user.should_see("已保存（版本 2）")
    data = Store(app_db).get(pid).data
    assert data["building"]["households"][3]["area_m2"] == "66.5"
    assert data["building"]["households"][11]["participates"] is True
    assert len(data["building"]["households"]) == 13


async def test_prefill_subsidies_from_policy_shows_confidence(
    user: User, app_db, sample_id
) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/building")
    user.find(marker="prefill").click()
    await user.should_see(f"已按政策 {policy_name('xingshan')} 预填")  # its name, not its key
    await user.should_see("[S]")
