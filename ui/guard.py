"""The guards of the pages: a login, and a role on the project (ui/session.py says who is
logged in and what the account may do)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from nicegui import ui

from ui.session import current, to_login
from ui.state import store
from ui.theme import frame, tr


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
