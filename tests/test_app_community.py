"""Community page and projects list: search, communities, create from the sample and a blank form."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from elevator.store.db import Store

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")


async def test_community_summary(user: User, app_db) -> None:
    await user.open("/")
    user.find(marker="search").type("兴发")
    await user.should_see("兴发小区 3栋 1单元")
    await user.open("/community/兴发小区")
    await user.should_see("本应用中的楼栋项目")
    await user.should_see("资料不全")
    table = user.find(marker="community-costs").elements.pop()
    row = next(r for r in table.rows if r["c0"] == "兴发小区 3栋 1单元")
    assert row["c4"] == "410000.00"


async def test_create_from_sample_and_blank(user: User, app_db) -> None:
    before = len(Store(app_db).list_projects())
    await user.open("/")
    user.find(marker="create-sample").click()
    await user.should_see("已创建")
    assert len(Store(app_db).list_projects()) == before + 1
    await user.open("/")
    user.find(marker="blank-name").type("新村 1栋")
    user.find(marker="blank-total").type("450000")
    user.find(marker="create-blank").click()
    await user.should_see("已创建：新村 1栋")
    created = [r for r in Store(app_db).list_projects() if r.name == "新村 1栋"]
    assert len(created) == 1 and len(created[0].data["building"]["households"]) == 12


async def test_blank_form_error_creates_nothing(user: User, app_db) -> None:
    before = len(Store(app_db).list_projects())
    await user.open("/")
    user.find(marker="blank-total").type("450000")
    user.find(marker="create-blank").click()  # no name
    await user.should_see("不能为空 / must not be empty")
    assert len(Store(app_db).list_projects()) == before
