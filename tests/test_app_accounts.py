"""Accounts in the app: an anonymous visitor of a fresh app sees no project data and cannot
claim a project; login slowed and locked; each role sees and changes only what it may;
changes leave audit rows; residents see only their own hardship aid; a stored publicity
typo is shown and corrected by a later entry instead of breaking the consent page."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable

import pytest
from nicegui.testing import User

from elevator.core.money import money_str
from elevator.model.io import parse_project
from elevator.sharing.engine import compute_shares
from elevator.store import accounts as acc
from elevator.store.access import resident_token
from elevator.store.db import Store
from tests.conftest import PASSWORD, SAMPLE, login

pytestmark = pytest.mark.usefixtures("app_db")
TABS = ("building", "sharing", "compare", "feasibility", "documents", "consent", "audit")


def with_owner(db, name: str = SAMPLE):
    """The sample, with an owner's name (personal data) on its first household."""
    s = Store(db)
    rec = next(r for r in s.list_projects() if r.name == name)
    data = copy.deepcopy(rec.data)
    data["building"]["households"][0]["owner"] = "张三丰"
    return s.save(rec.id, data, rec.version)


async def test_anonymous_visitor_sees_nothing_and_cannot_claim(user: User, app_db) -> None:
    rec = with_owner(app_db)
    assert Store(app_db).accounts.count() == 0  # a fresh app: nobody has an account yet
    for path in ["/", "/admin", f"/community/{rec.community}"] + [
        f"/project/{rec.id}/{tab}" for tab in TABS
    ]:
        await user.open(path)
        await user.should_see(marker="login-name")  # sent to the login page
        for private in (rec.name, "张三丰", "502"):
            await user.should_not_see(private)
        await user.should_not_see(marker="passcode")  # nothing to set, nothing to claim
        await user.should_not_see(marker="households")
    # guessing does not make an account either
    await user.open("/login")
    user.find(marker="login-name").type("admin")
    user.find(marker="login-password").type("admin-admin-1")
    user.find(marker="login").click()
    await user.should_see("账号或密码不正确")
    assert Store(app_db).accounts.count() == 0
    await user.open(f"/project/{rec.id}/consent")
    await user.should_not_see(rec.name)


async def test_login_is_slowed_then_locked(user: User, app_db, accounts) -> None:
    accounts("li")
    await user.open("/login")
    for _ in range(acc.ACCOUNT_SLOW_AT):
        user.find(marker="login-name").clear().type("li")
        user.find(marker="login-password").clear().type("not-the-password")
        user.find(marker="login").click()
        await user.should_see("账号或密码不正确")
        user.find(marker="login-error").elements.pop().text = ""
    user.find(marker="login-password").type(PASSWORD)  # even the right one must wait now
    user.find(marker="login").click()
    await user.should_see("秒后再试")
    # more failures (as if made over the next minutes) lock the account
    with sqlite3.connect(app_db) as db:
        for _ in range(acc.ACCOUNT_LOCK_AT - acc.ACCOUNT_SLOW_AT):
            db.execute("INSERT INTO login_failures VALUES ('user:li', ?)", (acc.time.time(),))
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login").click()
    await user.should_see("已锁定")
    await user.open("/")
    await user.should_see(marker="login-name")  # still not logged in
    Store(app_db).accounts.unlock("li")
    await login(user, "li")
    await user.should_see(SAMPLE)


async def test_each_role_sees_and_changes_only_what_it_may(
    create_user: Callable[[], User], app_db, accounts
) -> None:
    rec = with_owner(app_db)
    other = next(r for r in Store(app_db).list_projects() if r.community != rec.community)
    nobody, reader, evaluator = create_user(), create_user(), create_user()
    await login(nobody, accounts("nobody", "reader", "project:999999"))
    await login(reader, accounts("reader", "reader", f"project:{rec.id}"))
    await login(evaluator, accounts("eva", "evaluator", f"project:{rec.id}"))
    # no role: an empty list and a refusal, nothing of the project
    await nobody.open("/")
    await nobody.should_not_see(rec.name)
    await nobody.open(f"/project/{rec.id}/building")
    await nobody.should_see(marker="no-role")
    await nobody.should_not_see("张三丰")
    # a reader: sees this project only, changes nothing, no consent page or audit log
    await reader.open("/")
    await reader.should_see(rec.name)
    await reader.should_not_see(other.name)
    await reader.open(f"/project/{rec.id}/building")
    await reader.should_see(marker="building.households[0].owner")
    await reader.should_not_see("表决")  # no consent tab
    reader.find(marker="building.households[3].area_m2").clear().type("66.5")
    reader.find(marker="save").click()
    await reader.should_see("您的角色不能做此更改")
    assert Store(app_db).get(rec.id).version == rec.version
    for tab in ("consent", "audit"):
        await reader.open(f"/project/{rec.id}/{tab}")
        await reader.should_see(marker="no-role")
    await reader.open(f"/project/{other.id}/sharing")
    await reader.should_see(marker="no-role")
    await reader.open("/admin")
    await reader.should_see(marker="no-role")
    # an evaluator: signs off on the feasibility page, but cannot change the plan
    await evaluator.open(f"/project/{rec.id}/sharing")
    evaluator.find(marker="coef-5").clear().type("2.5")
    evaluator.find(marker="save").click()
    await evaluator.should_see("您的角色不能做此更改")
    await evaluator.open(f"/project/{rec.id}/feasibility")
    evaluator.find(marker="save").click()
    await evaluator.should_see(f"已保存（版本 {rec.version + 1}）")


async def test_changes_leave_audit_rows_mediators_can_read(
    user: User, app_db, accounts, sample_id
) -> None:
    pid = sample_id()
    await login(user, accounts("wang", "mediator", f"project:{pid}"))
    await user.open(f"/project/{pid}/sharing")
    user.find(marker="coef-5").clear().type("2.5")
    user.find(marker="save").click()
    await user.should_see("已保存（版本 2）")
    await user.open(f"/project/{pid}/consent")
    user.find(marker="show-links").click()
    await user.should_see(marker="revoke-402")
    user.find(marker="revoke-402").click()
    await user.should_see("402 的旧链接已撤销")
    rows = Store(app_db).accounts.audit_rows(pid)
    assert [(r.actor, r.action, r.detail) for r in reversed(rows)] == [
        ("wang", "project.save", "1 -> 2"),
        ("wang", "link.rotate", "402"),
    ]
    await user.open(f"/project/{pid}/audit")
    shown = user.find(marker="audit").elements.pop().rows
    assert [(r["c2"], r["c4"], r["c5"]) for r in shown] == [  # keys in words
        ("wang", "更换本户链接", "402"),
        ("wang", "保存方案", "版本 1 → 2"),
    ]


async def test_resident_sees_only_own_hardship_aid(create_user: Callable[[], User], app_db) -> None:
    s = Store(app_db)
    rec = next(r for r in s.list_projects() if r.name == SAMPLE)
    data = copy.deepcopy(rec.data)
    data.setdefault("funding", {}).setdefault("subsidies", []).append(
        {"name": "困难补助", "per_household": "777.77", "households": ["301"]}
    )
    rec = s.save(rec.id, data, rec.version)
    result = compute_shares(parse_project(rec.data))
    aid = money_str(result.by_id()["301"].aid)
    net_301 = money_str(result.by_id()["301"].share)
    assert aid == "777.77"
    secret = s.resident_secret()
    neighbour, recipient = create_user(), create_user()
    await neighbour.open(f"/r/{rec.id}/{resident_token(secret, str(rec.id), '502', 0)}")
    await neighbour.should_see("本户 502")
    rows = neighbour.find(marker="households").elements.pop().rows
    cells = [v for r in rows for v in r.values()]
    assert aid not in cells and net_301 not in cells
    row_301 = next(r for r in rows if r["c0"] == "301")
    assert row_301["c7"] == "—" and row_301["c8"] == "—"
    own = next(r for r in rows if r["c0"] == "★ 502")
    assert own["c8"] == money_str(result.by_id()["502"].share)
    await recipient.open(f"/r/{rec.id}/{resident_token(secret, str(rec.id), '301', 0)}")
    rows = recipient.find(marker="households").elements.pop().rows
    own = next(r for r in rows if r["c0"] == "★ 301")
    assert (own["c7"], own["c8"]) == (aid, net_301)


async def test_publicity_typo_is_shown_and_superseded(
    user: User, app_db, accounts, sample_id
) -> None:
    pid = sample_id()
    with sqlite3.connect(app_db) as db:  # as an older app could have stored it
        db.execute(
            "INSERT INTO publicity_events (project_id, start, working_days, at) "
            "VALUES (?, '9999-12-30', 10, '2026-01-01')",
            (pid,),
        )
    await login(user, accounts("wang", "mediator", f"project:{pid}"))
    await user.open(f"/project/{pid}/consent")
    await user.should_see(marker="verdict")  # the page itself loads
    await user.should_see(marker="paper-record")
    await user.should_see(marker="publicity-correct")
    user.find(marker="publicity-start").clear().type("2026-03-06")
    user.find(marker="publicity-note").type("开始日期录错")
    user.find(marker="publicity-correct").click()
    await user.should_see("公示自 2026-03-06 起 10 个工作日")
    entries = Store(app_db).publicity_entries(pid)
    assert [e["start"] for e in entries] == ["9999-12-30", "2026-03-06"]
    assert entries[-1]["note"] == "开始日期录错"
    assert Store(app_db).accounts.audit_rows(pid)[0].action == "publicity.correct"


async def test_admin_adds_an_account_with_a_password_shown_once(
    create_user: Callable[[], User], app_db, accounts, sample_id
) -> None:
    pid = sample_id()
    admin, newcomer = create_user(), create_user()
    await login(admin, accounts("boss", "admin", "*"))
    await admin.open("/admin")
    admin.find(marker="new-name").type("zhao")
    admin.find(marker="new-role").elements.pop().value = "mediator"
    admin.find(marker="new-scope-value").type(str(pid))
    admin.find(marker="add-account").click()
    await admin.should_see(marker="shown-once")
    text = admin.find(marker="shown-once").elements.pop().text
    password = text.rsplit("：", 1)[1].strip()
    account = Store(app_db).accounts.get("zhao")
    assert account.can("consent", pid, None) and not account.admin
    await admin.open("/admin")
    await admin.should_not_see(password)  # shown once only
    await login(newcomer, "zhao", password)
    await newcomer.open(f"/project/{pid}/consent")
    await newcomer.should_see(marker="verdict")


async def test_login_returns_to_the_page_asked_for_and_never_elsewhere(
    user: User, app_db, accounts, sample_id
) -> None:
    from ui.pages.login import safe_next

    pid = sample_id()
    accounts("wang")
    await user.open(f"/project/{pid}/sharing?flat=502")
    await user.should_see(marker="login-name")
    user.find(marker="login-name").type("wang")
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login").click()
    await user.should_see("我家 502")
    for outside in ("//evil.example", "https://evil.example", "/\\evil", ""):
        assert safe_next(outside) == "/"
