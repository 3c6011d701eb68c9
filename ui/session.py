"""Who is looking: the logged-in account (kept in NiceGUI's per-browser `app.storage.user`,
which lives on the server; the browser holds only a signed id) and what it may do.

`app.storage.user["account"]` holds the account's name and its epoch; a new password or
a disabled account moves the epoch on, which ends every session of it.  Every project
page goes through `ui.guard.project_page(ability)`: without a login it sends the browser
to /login, without a role on the project it shows a refusal and nothing of the project.
This module holds no words and no layout, so the frame (ui/theme.py) may use it.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from elevator.store.accounts import Account
from elevator.store.db import Record
from ui.state import store


def current() -> Account | None:
    """The logged-in account of this browser, or None (also after a password change)."""
    try:
        held = app.storage.user.get("account")
    except (RuntimeError, AssertionError):  # outside a request
        return None
    if not isinstance(held, dict):
        return None
    account = store().accounts.get(str(held.get("name", "")))
    if account is None or account.disabled or account.epoch != held.get("epoch"):
        return None
    return account


def actor() -> str | None:
    account = current()
    return account.name if account else None


def sign_in(account: Account) -> None:
    app.storage.user["account"] = {"name": account.name, "epoch": account.epoch}


def sign_out() -> None:
    app.storage.user.pop("account", None)


def logout() -> None:
    sign_out()
    ui.navigate.to("/login")


def client_address(request: Any = None) -> str:
    """The client's address; behind a proxy (ELEVATOR_TRUST_PROXY=1) the address the proxy
    saw, which it appends last to X-Forwarded-For."""
    if request is None:
        try:
            request = ui.context.client.request
        except (AttributeError, RuntimeError):
            return "unknown"
    if os.environ.get("ELEVATOR_TRUST_PROXY") == "1":
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"


def to_login() -> RedirectResponse:
    try:
        url = ui.context.client.request.url
        here = url.path + (f"?{url.query}" if url.query else "")
    except (AttributeError, RuntimeError):
        here = "/"
    return RedirectResponse(f"/login?next={quote(here, safe='/')}")


def can(ability: str, record: Record) -> bool:
    account = current()
    return account is not None and account.can(ability, record.id, record.community)
