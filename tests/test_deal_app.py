"""Private limits: the store (history, append-only, bad input) and the app (a household's
own page only; the mediator sees the outcome, an amount only when allowed; the deal
proposed as a new plan version)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from fractions import Fraction

import pytest
from nicegui.testing import User

from elevator.core.errors import ProjectError
from elevator.model.io import parse_project
from elevator.store.access import resident_token
from elevator.store.db import Store
from elevator.store.limits import PrivateLimits
from tests.conftest import login

SECRET = "41234.56"  # 601's limit: no share of the sample equals it
OTHERS = {"201": 30000, "202": 30000, "301": 40000, "302": 40000, "401": 45000}
OTHERS.update({"402": 45000, "501": 50000, "502": 50000})


def sample(db):
    return next(r for r in Store(db).list_projects() if r.name == "兴发小区 3栋 1单元")


def test_limits_keep_their_history(tmp_path):
    book = PrivateLimits(tmp_path / "x.sqlite3")
    book.set_limit(1, "601", "50000")
    book.set_limit(1, "601", "45000.5", shown_to_mediator=True)
    book.set_limit(2, "601", "1")  # another project: its own
    assert book.own(1, "601").amount == Fraction("45000.5")
    assert book.amounts(1) == {"601": Fraction("45000.5")}
    book.withdraw(1, "601")
    assert book.own(1, "601") is None and book.amounts(1) == {}
    assert [r.amount for r in book.history(1, "601")] == [50000, Fraction("45000.5"), None]
    with sqlite3.connect(tmp_path / "x.sqlite3") as db, pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE private_limits SET amount = '1'")
    for bad in ("abc", "-1", "1.005"):
        with pytest.raises(ProjectError) as e:
            book.set_limit(1, "601", bad)
        assert e.value.problems[0].field == "limit"
    with pytest.raises(ProjectError):
        book.set_limit(1, "601", "10", via="own_link", recorded_by="502")


pytestmark_app = pytest.mark.usefixtures("app_db")


async def unlock(user: User, pid: int, accounts) -> None:
    """Log in as a mediator of the project and open its consent page."""
    await login(
        user, accounts("mediator", "mediator", f"project:{pid}"), then=f"/project/{pid}/consent"
    )
    await user.should_see(marker="verdict")


@pytestmark_app
async def test_limit_private_to_its_household(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    rec = sample(app_db)
    s = Store(app_db)
    secret = s.resident_secret()
    own, other, mediator = create_user(), create_user(), create_user()
    for hid, amount in OTHERS.items():  # entered on paper, not shown to the mediator
        PrivateLimits(app_db).set_limit(rec.id, hid, amount, via="paper")
    await own.open(f"/r/{rec.id}/{resident_token(secret, str(rec.id), '601', 0)}")
    await own.should_see("本户尚未填写上限")
    own.find(marker="limit-amount").type(SECRET)
    own.find(marker="limit-save").click()
    await own.should_see(f"本户目前的上限：{SECRET} 元")
    assert PrivateLimits(app_db).own(rec.id, "601").amount == Fraction(SECRET)
    # another household's page never shows it
    await other.open(f"/r/{rec.id}/{resident_token(secret, str(rec.id), '502', 0)}")
    await other.should_see("本户目前的上限：50000.00 元")  # its own, on paper
    await other.should_not_see(SECRET)
    # the mediator sees the outcome (the limits leave money missing), not the amounts
    await unlock(mediator, rec.id, accounts)
    await mediator.should_see("已有 9 户填写上限")
    await mediator.should_see(marker="deal-outcome")
    await mediator.should_see("还差")
    await mediator.should_see("有 1 户的上限起约束作用")
    for amount in (SECRET, "50000.00", "30000.00"):
        await mediator.should_not_see(amount)
    await mediator.should_not_see("601（6 楼）")  # not named: it did not allow that
    # the household changes it and lets the mediator see it (floors 2-5 at their limits
    # cover 330,000 of 420,000: 601 at 90,000 closes it); then withdraws it
    await own.open(f"/r/{rec.id}/{resident_token(secret, str(rec.id), '601', 0)}")
    own.find(marker="limit-amount").type("90000")
    own.find(marker="limit-show").click()
    own.find(marker="limit-save").click()
    await own.should_see("本户目前的上限：90000.00 元")
    await mediator.open(f"/project/{rec.id}/consent")
    await mediator.should_see("601: 90000.00")
    await mediator.should_see("可以成交")
    own.find(marker="limit-withdraw").click()
    await own.should_see("本户尚未填写上限")
    assert len(PrivateLimits(app_db).history(rec.id, "601")) == 3


@pytestmark_app
async def test_mediator_proposes_the_deal(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    rec = sample(app_db)
    s = Store(app_db)
    PrivateLimits(app_db).set_limit(rec.id, "601", "60000")
    mediator = create_user()
    await unlock(mediator, rec.id, accounts)
    await mediator.should_see("可以成交")
    mediator.find(marker="deal-propose").click()
    await mediator.should_see("已保存为新的方案版本")
    saved = s.get(rec.id)
    assert saved.version == rec.version + 1
    project = parse_project(saved.data)
    assert project.sharing.scheme == "floor_coefficients"
    assert "60000" not in str(saved.data)  # the limit itself is not in the project


@pytestmark_app
async def test_mediator_records_a_paper_limit(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    rec = sample(app_db)
    mediator = create_user()
    await unlock(mediator, rec.id, accounts)
    await mediator.should_see("已有 0 户填写上限")
    mediator.find(marker="limit-paper-household").elements.pop().value = "601"
    mediator.find(marker="limit-paper-amount").type("60000")
    mediator.find(marker="limit-paper-by").type("王调解员")
    mediator.find(marker="limit-paper-record").click()
    await mediator.should_see("已有 1 户填写上限")
    await mediator.should_see("可以成交")
    [row] = PrivateLimits(app_db).history(rec.id, "601")
    assert (row.amount, row.via, row.recorded_by, row.shown_to_mediator) == (
        60000,
        "paper",
        "王调解员",
        False,
    )
