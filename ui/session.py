"""Who is looking: the logged-in account (kept in NiceGUI's per-browser `app.storage.user`,
which lives on the server; the browser holds only a signed id) and what it may do.

`app.storage.user["account"]` holds the account's name and its epoch; a new password or
a disabled account moves the epoch on, which ends every session of it.  Every project
page goes through `project_page(ability)`: without a login it sends the browser to
/login, without a role on the project it shows a refusal and nothing of the project.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from elevator.store.accounts import Account
from elevator.store.db import Record
from ui.state import store
from ui.theme import frame, tr


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


def refuse(title: str) -> None:
    """The same words whether the project exists or not: nothing about it leaks."""
    with frame(title):
        ui.label(tr("ui.auth.no_role")).classes("text-body1").mark("no-role")
        ui.link(tr("ui.project.back"), "/")


def project_page(ability: str = "view") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The guard of a `/project/{pid}/…` page: logged in, and `ability` on that project."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)  # NiceGUI reads the page's parameters from the signature
        async def page_(pid: int, *args: Any, **kwargs: Any) -> Any:
            account = current()
            if account is None:
                return to_login()
            record = store().get(pid)
            if record is None or not account.can(ability, record.id, record.community):
                refuse(tr("ui.auth.no_role_title"))
                return None
            result = fn(pid, *args, **kwargs)
            if hasattr(result, "__await__"):
                result = await result
            return result

        return page_

    return wrap


def logged_in(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A page for any logged-in account (the project list, the community pages)."""

    @functools.wraps(fn)
    async def page_(*args: Any, **kwargs: Any) -> Any:
        if current() is None:
            return to_login()
        result = fn(*args, **kwargs)
        if hasattr(result, "__await__"):
            result = await result
        return result

    return page_
