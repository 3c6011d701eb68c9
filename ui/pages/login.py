"""Logging in and out.  The password is checked off the event loop (argon2 takes tens of
milliseconds by design); failures are slowed and then locked per account and per address
(elevator.store.accounts)."""

from __future__ import annotations

from nicegui import run, ui

from ui.session import client_address, current, sign_in
from ui.state import store
from ui.theme import both, frame, tr


def safe_next(target: str | None) -> str:
    """Only a path of this app: never another site (`//evil`, `https://…`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def page(next: str = "/") -> None:  # noqa: A002 - the query parameter's name
    target = safe_next(next)
    with frame(tr("ui.auth.title")):
        if current() is not None:
            ui.label(tr("ui.auth.already", name=current().name)).mark("already")
        name = ui.input(tr("ui.auth.name")).props("dense autocomplete=username").mark("login-name")
        password = (
            ui.input(tr("ui.auth.password"), password=True)
            .props("dense autocomplete=current-password")
            .mark("login-password")
        )
        error = ui.label("").classes("text-negative").mark("login-error")
        address = client_address()

        async def submit() -> None:
            result = await run.io_bound(
                store().accounts.login, name.value or "", password.value or "", address
            )
            password.value = ""
            if result.account is None:
                if result.refusal == "locked":
                    error.text = both("ui.auth.locked", minutes=max(1, result.seconds // 60))
                elif result.refusal == "wait":
                    error.text = both("ui.auth.wait", seconds=result.seconds)
                else:
                    error.text = both("ui.auth.wrong")
                return
            sign_in(result.account)
            ui.navigate.to(target)

        password.on("keydown.enter", submit)
        ui.button(tr("ui.auth.login"), on_click=submit).props("no-caps").mark("login")
        ui.label(tr("ui.auth.residents")).classes("text-caption text-grey-8")
