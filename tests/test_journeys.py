"""Real-browser journeys of the app's users, on the harness of tests/browser_kit.py: each
step finds things by their marks, waits patiently and leaves a screenshot in
test-output/<test name>/ (a CI artefact).

A journey reads like what the user does:

    kit.visit(f"/project/{pid}/sharing")
    kit.type("coef-5", "2.5")
    kit.wait_text("mine", "应付")
    kit.click("save")
"""

from __future__ import annotations

import pytest

from elevator.core.money import money_str
from elevator.model.io import parse_project
from elevator.sharing.engine import compute_shares
from elevator.store.db import Store
from tests.browser_kit import DESKTOP, Kit, nicegui_chrome_options, poll  # noqa: F401
from tests.conftest import SAMPLE

pytestmark = pytest.mark.browser


def share_of(data: dict, room: str) -> str:
    return money_str(compute_shares(parse_project(data)).by_id()[room].share)


def digits(text: str) -> str:
    """An amount as the page may write it (33,045.82) in the form money_str gives."""
    return text.replace(",", "")


def test_mediator_changes_coefficient_desktop(request, app_db) -> None:
    """A mediator of one project opens its sharing page (the login comes first), changes
    the 5th floor's coefficient, sees household 502's new amount and saves version 2."""
    store = Store(app_db)
    pid = next(r.id for r in store.list_projects() if r.name == SAMPLE)
    data = store.get(pid).data
    before = share_of(data, "502")
    data["sharing"]["coefficients"]["5"] = "2.5"
    after = share_of(data, "502")
    assert before != after

    kit = Kit.start(request, app_db, f"/project/{pid}/sharing?flat=502")
    kit.size(*DESKTOP)
    kit.account("mediator", "mediator", f"project:{pid}")
    kit.element("login-name")  # no account yet: the page sent the browser to log in
    kit.shot("1-login", full=False)
    kit.login_form("mediator")
    kit.wait_text("mine", lambda t: before in digits(t))
    kit.shot("2-sharing")

    kit.type("coef-5", "2.5")
    kit.wait_text("mine", lambda t: after in digits(t))
    kit.shot("3-changed")

    kit.click("save")
    poll(lambda: store.version(pid) == 2, "the saved version 2")
    saved = store.get(pid).data["sharing"]["coefficients"]
    assert str(saved.get("5", saved.get(5))) == "2.5"
    kit.settle()
    kit.shot("4-saved")
