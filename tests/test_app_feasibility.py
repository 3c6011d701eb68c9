"""Feasibility page: facts change the verdict live; a bad fact is shown and not saved;
an evaluator's sign-off is saved."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from elevator.store.db import Store

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")


async def test_fact_changes_verdict_and_saves(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/feasibility")
    await user.should_see("结论：")
    user.find(marker="site.structure_rating").click()
    user.find("D").click()
    await user.should_see("结论：不可行")
    user.find(marker="save").click()
    await user.should_see("已保存（版本 2）")
    assert Store(app_db).get(pid).data["site"]["structure_rating"] == "D"


async def test_bad_fact_shown_and_not_saved(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/feasibility")
    user.find(marker="site.min_stair_width_m").type("wide")
    await user.should_see("must be a number")
    label = user.find(marker="error:site.min_stair_width_m").elements.pop()
    assert label.visible
    user.find(marker="save").click()
    await user.should_see("未保存")
    assert Store(app_db).get(pid).version == 1


async def test_sign_off(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/feasibility")
    user.find(marker="signoff-name").type("王工")
    user.find(marker="signoff-save").click()
    await user.should_see("已保存（版本 2）")
    ev = Store(app_db).get(pid).data["evaluation"]
    assert ev["signoffs"][0]["name"] == "王工"
