"""Feasibility page, the evaluator's side: stage items read as questions with their
thresholds filled, every passed item of a stage signed with one name, an account
without the right to sign refused, and no identifiers or unfilled placeholders in
what the page shows."""

from __future__ import annotations

import re

import pytest
from nicegui import ui
from nicegui.testing import User

from elevator.feasibility.checklist import assess
from elevator.feasibility.workflow import workflow_status
from elevator.model.io import parse_project
from elevator.store.db import Store
from tests.conftest import login

# snake_case or dotted keys (not decimals, not web addresses' dots inside words we show)
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+(?:\.[a-z_]+)+\b")
PLACEHOLDER = re.compile(r"[{}]")
SAMPLE_WITH_STAGE = "兴发小区 5栋 2单元"

pytestmark = pytest.mark.usefixtures("app_db")  # before `user` starts the app


def visible_text(user: User) -> list[str]:
    """What the page shows: element texts, labels, hints, option words, table cells."""
    out: list[str] = []
    for el in user.client.elements.values():
        text = getattr(el, "text", None)
        if isinstance(text, str):
            out.append(text)
        for key in ("label", "hint", "placeholder"):
            value = el.props.get(key)
            if isinstance(value, str):
                out.append(value)
        if isinstance(el, ui.select):
            options = el.options.values() if isinstance(el.options, dict) else el.options
            out += [str(o) for o in options]
        if isinstance(el, ui.table):
            out += [str(v) for row in el.rows for k, v in row.items() if k != "_k"]
    return [s for s in out if s]


def passed_unsigned(data: dict, stage: str) -> set[str]:
    project = parse_project(data)
    status = workflow_status(project, assess(project))
    items = next(st["items"] for st in status if st["stage"] == stage)
    return {it["id"] for it in items if it["checklist"] == "pass" and not it["signoff"]}


@pytest.mark.usefixtures("app_db", "as_mediator")
async def test_no_identifiers_or_placeholders(user: User, sample_id) -> None:
    for name in (SAMPLE_WITH_STAGE, "兴发小区 3栋 1单元"):
        await user.open(f"/project/{sample_id(name)}/feasibility")
        await user.should_see(marker="verdict-label")
        for text in visible_text(user):
            assert not PLACEHOLDER.search(text), text
            assert not IDENTIFIER.search(text), text


@pytest.mark.usefixtures("app_db", "as_mediator")
async def test_stage_items_have_thresholds(user: User, sample_id) -> None:
    await user.open(f"/project/{sample_id(SAMPLE_WITH_STAGE)}/feasibility")
    items = [el.text for el in user.find(marker="item-feasibility_assessment").elements]
    assert items and not any("{" in s for s in items)
    # the storeys question names its number (the policy's threshold)
    assert any("层数" in s and re.search(r"\d", s) for s in items)


@pytest.mark.usefixtures("app_db", "as_mediator")
async def test_sign_all_passed(user: User, app_db, sample_id) -> None:
    pid = sample_id(SAMPLE_WITH_STAGE)
    before = Store(app_db).get(pid).data
    expected = passed_unsigned(before, "feasibility_assessment")
    assert len(expected) >= 5
    await user.open(f"/project/{pid}/feasibility")
    await user.should_see(f"{len(expected)} 项")
    user.find(marker="signall-name").type("李工")
    user.find(marker="signall-save").click()
    await user.should_see(f"已签核 {len(expected)} 项")
    after = Store(app_db).get(pid)
    signoffs = after.data["evaluation"]["signoffs"]
    assert after.version == 2
    assert {s["item"] for s in signoffs} == expected
    assert len(signoffs) == len(expected)
    assert {(s["name"], s["stage"], s["result"]) for s in signoffs} == {
        ("李工", "feasibility_assessment", "pass")
    }
    # nothing is left to sign in that stage, and a second click signs nothing more
    assert passed_unsigned(after.data, "feasibility_assessment") == set()
    user.find(marker="signall-save").click()
    await user.should_see(marker="signall-errors")
    assert Store(app_db).get(pid).version == 2


@pytest.mark.usefixtures("app_db", "as_mediator")
async def test_sign_all_needs_a_name(user: User, app_db, sample_id) -> None:
    pid = sample_id(SAMPLE_WITH_STAGE)
    await user.open(f"/project/{pid}/feasibility")
    user.find(marker="signall-save").click()
    await user.should_see("请先填写评估人")
    assert Store(app_db).get(pid).version == 1


async def test_reader_may_not_sign_all(user: User, app_db, accounts, sample_id) -> None:
    pid = sample_id(SAMPLE_WITH_STAGE)
    await login(user, accounts("reader", role="reader"))
    await user.open(f"/project/{pid}/feasibility")
    user.find(marker="signall-name").type("李工")
    user.find(marker="signall-save").click()
    await user.should_see("您的角色不能做此更改")
    record = Store(app_db).get(pid)
    assert record.version == 1 and not record.data["evaluation"].get("signoffs")
