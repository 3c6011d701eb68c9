"""The deal proposed on the consent page is saved like any edit: when recorded decisions
would stop counting the mediator is told how many and how each share moves, and a
cancel saves nothing (ui/pages/deal.py through ui/editing.py)."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from nicegui.testing import User

from elevator.model.io import parse_project, project_to_data
from elevator.plan.changes import result_of, share_changes
from elevator.plan.deal import find_deal
from elevator.store.db import Store
from elevator.store.limits import PrivateLimits
from tests.test_app_change import record_decisions, rows_of, still_counting
from tests.test_deal_app import sample, unlock
from ui.change import signed_yuan

pytestmark = pytest.mark.usefixtures("app_db")

LIMIT = "60000"  # 601's limit: below its share of the sample, a deal moves the shares


def deal_data(app_db, pid: int) -> dict:
    """What proposing the deal would save: the library's deal on the saved project."""
    record = Store(app_db).get(pid)
    deal = find_deal(parse_project(record.data), PrivateLimits(app_db).amounts(pid))
    assert deal.found
    return project_to_data(deal.project)


async def propose(user: User, app_db, pid: int, accounts) -> None:
    PrivateLimits(app_db).set_limit(pid, "601", LIMIT)
    await unlock(user, pid, accounts)
    await user.should_see("可以成交")
    user.find(marker="deal-propose").click()


async def test_deal_that_voids_decisions_warns_and_cancel_saves_nothing(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    pid = sample(app_db).id
    record_decisions(app_db, pid)
    s = Store(app_db)
    before = copy.deepcopy(s.get(pid).data)
    decisions = s.decisions(pid)
    mediator = create_user()
    await propose(mediator, app_db, pid, accounts)
    await mediator.should_see(marker="void-dialog")
    await mediator.should_see("保存将使 5 份已登记的表态不再计入")
    await mediator.should_see("同意 3 户、反对 1 户、弃权 1 户")
    expected = [
        c for c in share_changes(result_of(before), result_of(deal_data(app_db, pid))) if c.changed
    ]
    assert expected  # the deal moves shares: the warning has something to show
    rows = rows_of(mediator, "void-shares")
    assert [r["c0"] for r in rows] == [c.id for c in expected]
    assert [r["c3"] for r in rows] == [signed_yuan(c.delta) for c in expected]
    mediator.find(marker="void-cancel").click()
    await mediator.should_see("未保存：已取消")
    await mediator.should_not_see("已保存为新的方案版本")
    record = Store(app_db).get(pid)
    assert record.version == 1 and record.data == before
    assert Store(app_db).decisions(pid) == decisions
    assert still_counting(app_db, pid) == 5


async def test_deal_confirmed_is_saved_as_a_new_version(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    pid = sample(app_db).id
    record_decisions(app_db, pid)
    mediator = create_user()
    await propose(mediator, app_db, pid, accounts)
    expected = deal_data(app_db, pid)
    await mediator.should_see(marker="void-confirm")
    mediator.find(marker="void-confirm").click()
    await mediator.should_see("已保存为新的方案版本")
    record = Store(app_db).get(pid)
    assert record.version == 2 and record.data == expected
    assert still_counting(app_db, pid) == 0
    last = Store(app_db).accounts.audit_rows(pid)[0]
    assert (last.actor, last.action, last.detail) == ("mediator", "project.save", "1 -> 2")


async def test_deal_without_decisions_saves_without_asking(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    pid = sample(app_db).id
    mediator = create_user()
    await propose(mediator, app_db, pid, accounts)
    await mediator.should_see("已保存为新的方案版本")
    await mediator.should_not_see(marker="void-dialog")
    assert Store(app_db).get(pid).version == 2


async def test_deal_after_someone_else_saved_is_refused(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    pid = sample(app_db).id
    PrivateLimits(app_db).set_limit(pid, "601", LIMIT)
    mediator = create_user()
    await unlock(mediator, pid, accounts)
    await mediator.should_see("可以成交")
    s = Store(app_db)
    data = copy.deepcopy(s.get(pid).data)
    data["name"] = data["name"] + "（改名）"
    s.save(pid, data, 1)  # another mediator saved meanwhile
    mediator.find(marker="deal-propose").click()
    await mediator.should_see(marker="plan-version")
    await mediator.should_not_see("已保存为新的方案版本")
    assert Store(app_db).get(pid).version == 2
