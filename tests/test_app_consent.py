"""Consent in the app: the mediator's page (mediators only), paper signatures in an
append-only history, stale decisions after a plan change, resident links (own amount, own
decision, nothing of other households or projects), revoked links, publicity and objections."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import pytest
from nicegui.testing import User

from elevator.consent.evaluation import evaluate, exact_str
from elevator.core.money import money_str
from elevator.core.money_text import format_yuan
from elevator.model.io import parse_project
from elevator.plan.versions import plan_version
from elevator.sharing.engine import compute_shares
from elevator.store.access import resident_token
from elevator.store.db import Store
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.usefixtures("app_db")


def sample(db, name: str = "兴发小区 3栋 1单元"):
    return next(r for r in Store(db).list_projects() if r.name == name)


def current_version(db, pid: int) -> str:
    return plan_version(compute_shares(parse_project(Store(db).get(pid).data)))


def library_result(db, pid: int):
    s = Store(db)
    return evaluate(
        parse_project(s.get(pid).data),
        version=current_version(db, pid),
        decisions=[r.as_decision() for r in s.decisions(pid)],
    )


async def unlock(user: User, pid: int, db) -> None:
    """Log in as a mediator of the project and open its consent page."""
    accounts = Store(db).accounts
    if accounts.get("med") is None:
        accounts.add("med", PASSWORD)
        accounts.grant("med", "mediator", f"project:{pid}")
    await login(user, "med")
    await user.open(f"/project/{pid}/consent")
    await user.should_see(marker="verdict")


async def paper(
    user: User, room: str, decision: str, by: str = "王调解员", reason: str = ""
) -> None:
    user.find(marker="paper-household").elements.pop().value = room
    user.find(marker="paper-decision").elements.pop().value = decision
    user.find(marker="paper-by").clear().type(by)
    if reason:
        user.find(marker="paper-reason").type(reason)
    user.find(marker="paper-record").click()
    await user.should_see(f"已录入 {room}")


def rows_of(user: User, marker: str) -> list[dict]:
    return user.find(marker=marker).elements.pop().rows


async def test_paper_decision_appends_and_changes_the_evaluation(user: User, app_db) -> None:
    pid = sample(app_db).id
    await unlock(user, pid, app_db)
    await user.should_see("同意 0 户")
    await paper(user, "201", "agree")
    await user.should_see("同意 1 户")
    await paper(user, "201", "oppose", reason="采光")
    await user.should_see("同意 0 户，反对 1 户")
    rows = Store(app_db).decisions(pid)
    assert [(r.household, r.decision, r.via, r.recorded_by) for r in rows] == [
        ("201", "agree", "paper", "王调解员"),
        ("201", "oppose", "paper", "王调解员"),
    ]
    assert [r["c2"] for r in rows_of(user, "history")] == ["同意", "反对"]
    # the conditions on the page are the library's, on the store's history
    result = library_result(app_db, pid)
    shown = {r["c0"]: (r["c3"], r["c4"], r["c5"]) for r in rows_of(user, "conditions")}
    for c in result.conditions:
        assert shown[c.name_zh] == (
            exact_str(c.needed),
            exact_str(c.have),
            "是" if c.holds else "否",
        )
    row = next(r for r in rows_of(user, "households") if r["c0"] == "201")
    assert row["c3"] == "反对" and row["c6"] == "王调解员"


async def test_plan_change_makes_earlier_decisions_stale(user: User, app_db) -> None:
    rec = sample(app_db)
    pid = rec.id
    await unlock(user, pid, app_db)
    for room in ("201", "301"):
        await paper(user, room, "agree")
    await user.should_see("同意 2 户")
    old = current_version(app_db, pid)
    # the mediator edits a coefficient on the sharing page and saves: a new plan
    await user.open(f"/project/{pid}/sharing")
    user.find(marker="coef-5").clear().type("2.5")
    user.find(marker="save").click()
    # the save says first that the two agreements would stop counting (ui/change.py)
    await user.should_see("保存将使 2 份已登记的表态不再计入")
    user.find(marker="void-confirm").click()
    await user.should_see("已保存（版本 2）")
    assert current_version(app_db, pid) != old
    await user.open(f"/project/{pid}/consent")
    await user.should_see("同意 0 户")
    await user.should_see("旧方案上的表态 2 户（不计入）")
    rows = {r["c0"]: r for r in rows_of(user, "households")}
    for room in ("201", "301"):
        assert rows[room]["c3"] == "未表态" and rows[room]["c4"] == "同意"
        assert f"旧方案 {old} 上的表态，不计入" == rows[room]["c8"]
    assert library_result(app_db, pid).stale == ("201", "301")
    # a new paper signature on the new plan counts again; the old entries stay
    await paper(user, "201", "agree")
    await user.should_see("同意 1 户")
    assert len(Store(app_db).decisions(pid)) == 3


async def link_for(user: User, pid: int, room: str) -> str:
    user.find(marker="show-links").click()
    await user.should_see(marker=f"link-{room}")
    url = user.find(marker=f"link-{room}").elements.pop().value
    return url[url.index("/r/") :]


async def test_resident_sees_own_amount_and_decides(
    create_user: Callable[[], User], app_db
) -> None:
    rec = sample(app_db)
    mediator, resident = create_user(), create_user()
    await unlock(mediator, rec.id, app_db)
    path = await link_for(mediator, rec.id, "502")
    token = resident_token(Store(app_db).resident_secret(), str(rec.id), "502", 0)
    assert path == f"/r/{rec.id}/{token}"
    await resident.open(path)
    share = compute_shares(parse_project(rec.data)).by_id()["502"].share
    amount, shown = money_str(share), format_yuan(share)  # the bill groups thousands
    await resident.should_see(f"本户 502：应付 {shown} 元")
    table = rows_of(resident, "households")
    assert any(r["c0"] == "★ 502" and r["c7"] == amount for r in table)
    await resident.should_see("本户尚未表态")
    resident.find(marker="decision-reason").type("早日装上")
    resident.find(marker="decide-agree").click()
    await resident.should_see("本户当前表态：同意")
    [row] = Store(app_db).decisions(rec.id)
    assert (
        row.household,
        row.decision,
        row.via,
        row.recorded_by,
        row.reason,
        row.plan_version,
    ) == ("502", "agree", "own_link", "502", "早日装上", current_version(app_db, rec.id))
    # the English switch works on the resident's page too
    resident.find(marker="lang-switch").click()
    await resident.open(path)
    await resident.should_see(f"Household 502: pays {shown} yuan")
    await resident.should_see("Your current decision: agree")
    # the mediator sees it, marked as the household's own link
    await mediator.open(f"/project/{rec.id}/consent")
    row = next(r for r in rows_of(mediator, "households") if r["c0"] == "502")
    assert row["c3"] == "同意" and row["c5"] == "本户链接"


async def test_resident_link_reaches_only_its_own_household(
    create_user: Callable[[], User], app_db
) -> None:
    s = Store(app_db)
    rec = sample(app_db)
    other = next(r for r in s.list_projects() if r.id != rec.id)
    data = copy.deepcopy(rec.data)
    data["building"]["households"][0]["owner"] = "张三丰"  # personal data, never shown
    rec = s.save(rec.id, data, rec.version)
    v = current_version(app_db, rec.id)
    s.record_decision(rec.id, "301", "oppose", "paper", v, "王调解员", "秘密理由")
    secret = s.resident_secret()
    token = resident_token(secret, str(rec.id), "502", 0)
    resident = create_user()
    # another project's id with this token, a token for another project, a tampered token
    for path in (
        f"/r/{other.id}/{token}",
        f"/r/{rec.id}/{resident_token(secret, str(other.id), '502', 0)}",
        f"/r/{rec.id}/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}",
        f"/r/999999/{token}",
        f"/r/abc/{token}",
    ):
        await resident.open(path)
        await resident.should_see("此链接无效或已被撤销")
        await resident.should_not_see(marker="households")
        await resident.should_not_see(rec.name)
    await resident.open(f"/r/{rec.id}/{token}")
    await resident.should_see("本户 502")
    await resident.should_see("反对 1 户")  # the published count, nobody named
    for private in ("王调解员", "秘密理由", "张三丰"):
        await resident.should_not_see(private)
    resident.find(marker="decide-oppose").click()
    await resident.should_see("本户当前表态：反对")
    assert {(r.household, r.decision) for r in s.decisions(rec.id)} == {
        ("301", "oppose"),
        ("502", "oppose"),
    }
    # 301's entry is untouched; the resident's click only ever records 502
    assert [r.recorded_by for r in s.decisions(rec.id, "301")] == ["王调解员"]


async def test_revoked_link_is_refused(create_user: Callable[[], User], app_db) -> None:
    pid = sample(app_db).id
    mediator, resident = create_user(), create_user()
    await unlock(mediator, pid, app_db)
    old = await link_for(mediator, pid, "402")
    await resident.open(old)
    await resident.should_see("本户 402")
    mediator.find(marker="revoke-402").click()
    await mediator.should_see("402 的旧链接已撤销")
    # a click on the page already open is refused too, and nothing is recorded
    resident.find(marker="decide-agree").click()
    await resident.should_see("此链接已被撤销")
    assert Store(app_db).decisions(pid) == []
    await resident.open(old)
    await resident.should_see("此链接无效或已被撤销")
    await resident.should_not_see("本户 402")
    url = mediator.find(marker="link-402").elements.pop().value  # the list shows the new one
    new = url[url.index("/r/") :]
    assert new != old
    await resident.open(new)
    await resident.should_see("本户 402")


async def test_publicity_cannot_close_with_an_open_objection(
    create_user: Callable[[], User], app_db
) -> None:
    pid = sample(app_db).id
    s = Store(app_db)
    mediator, resident = create_user(), create_user()
    await unlock(mediator, pid, app_db)
    mediator.find(marker="publicity-start").clear().type("2025-01-02")
    mediator.find(marker="publicity-begin").click()
    await mediator.should_see("公示自 2025-01-02 起 10 个工作日")
    # a resident objects through the household's own link
    await resident.open(f"/r/{pid}/{resident_token(s.resident_secret(), str(pid), '101', 0)}")
    resident.find(marker="objection-text").type("井道挡住采光")
    resident.find(marker="objection-submit").click()
    await resident.should_see("异议 O1 已提交")
    await mediator.open(f"/project/{pid}/consent")
    await mediator.should_see("尚有未答复的异议：O1")
    mediator.find(marker="publicity-close").click()
    await mediator.should_see("不能结束公示")
    assert s.publicity(pid).closed_on is None
    mediator.find(marker="reply-text").type("井道改用玻璃幕墙")
    mediator.find(marker="reply").click()
    await mediator.should_see("已答复 O1")
    mediator.find(marker="publicity-close").click()
    await mediator.should_see("公示已结束")
    assert s.publicity(pid).closed_on == dt.date.today()
    # the resident reads the reply to its own objection
    await resident.open(f"/r/{pid}/{resident_token(s.resident_secret(), str(pid), '101', 0)}")
    await resident.should_see("答复: 井道改用玻璃幕墙")
    assert [e["status"] for e in s.objection_events(pid)] == ["open", "answered"]
