"""The common page layout (header, navigation, language switch) and the app's words.

Every word comes from the text catalogue (elevator/core/text.py) by key:
`tr("ui.building.save")` is the text in the browser's language, `both(key)` is
"中文 / English" (messages about the user's input).  Chinese is the default; the
English switch is kept per browser in `app.storage.user` (a signed cookie names the
browser).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from nicegui import Client, app, ui

from elevator.core import text


def lang() -> str:
    try:
        return app.storage.user.get("lang", "zh")
    except (RuntimeError, AssertionError):  # outside a page (e.g. the benchmark)
        return "zh"


def tr(key: str, /, **params: Any) -> str:
    """Interface text in the browser's language."""
    return text.t(key, lang(), **params)


def both(key: str, /, **params: Any) -> str:
    """Messages about the user's input are always shown in both languages."""
    return text.both(key, **params)


def either(zh: str, en: str) -> str:
    """Words that come in both languages with the data (a fact's label from the site
    model, a checklist question), in the browser's language."""
    return text.pick((zh, en), lang())


class Bilingual(Protocol):
    zh: str
    en: str


def both_of(message: Bilingual) -> str:
    """A library message (a Problem, a Conflict: anything with .zh and .en), as it is
    shown to the user: in both languages."""
    return f"{message.zh} / {message.en}"


def both_list(messages: Iterable[Bilingual]) -> str:
    """Several library messages on one line, each in both languages."""
    return text.t("ui.sep.list").join(both_of(m) for m in messages)


PROJECT_TABS = [
    "building",
    "sharing",
    "compare",
    "options",
    "feasibility",
    "documents",
    "consent",
    "history",
    "audit",
]
# the ability a tab needs (ui/main.py guards the pages with the same)
TAB_ABILITY = {"consent": "consent", "audit": "audit", "options": "view"}


def _toggle_lang() -> None:
    app.storage.user["lang"] = "en" if lang() == "zh" else "zh"
    ui.navigate.reload()


def _account_menu():
    """The logged-in name, the admin page (for admins) and logging out."""
    from ui.session import current, logout

    account = current()
    if account is None:
        return None
    ui.label(account.name).classes("text-white text-body2").mark("account-name")
    if account.admin:
        ui.button(tr("ui.admin.title"), on_click=lambda: ui.navigate.to("/admin")).props(
            "flat dense no-caps color=white"
        ).mark("admin-link")
    ui.button(tr("ui.auth.logout"), on_click=logout).props("flat dense no-caps color=white").mark(
        "logout"
    )
    return account


# --- the unsaved-changes guard ------------------------------------------------------
# An editing page names its check here (ui/editing.py); the tab buttons ask before
# leaving while it says yes, and the browser asks on reload / close / a typed address
# while the page's dirty marker (class elevator-dirty) has text.
_UNSAVED: weakref.WeakKeyDictionary[Client, Callable[[], bool]] = weakref.WeakKeyDictionary()

# a table shown as cards on a phone (ui.widgets.cards_on_phone): heading and value on one
# line, so a household's row stays about one screen's third high
PHONE_CARDS_CSS = """
.q-table__grid-item { padding: 2px 0; }
.q-table__grid-item-card { padding: 6px 10px; }
.q-table__grid-item-row { display: flex; gap: 8px; justify-content: space-between; align-items: baseline; }
.q-table__grid-item-row + .q-table__grid-item-row { margin-top: 1px; }
.q-table__grid-item-title { font-size: 12px; flex: none; max-width: 40%; }
.q-table__grid-item-value { font-size: 14px; text-align: right; overflow-wrap: anywhere; min-width: 0; }
"""

LEAVE_GUARD = """<script>
window.addEventListener('beforeunload', (e) => {
  const m = document.querySelector('.elevator-dirty');
  if (!window.elevatorLeaving && m && m.textContent.trim()) { e.preventDefault(); e.returnValue = ''; }
});
</script>"""


def watch_unsaved(check: Callable[[], bool]) -> None:
    """This page holds a working copy: `check()` says whether it has unsaved changes."""
    _UNSAVED[ui.context.client] = check


def _unsaved() -> bool:
    check = _UNSAVED.get(ui.context.client)
    return bool(check and check())


def _leave(url: str) -> None:
    ui.run_javascript("window.elevatorLeaving = true")  # the browser need not ask again
    ui.navigate.to(url)


def go_to(url: str) -> None:
    """Navigate, asking first when the page has unsaved changes."""
    if not _unsaved():
        ui.navigate.to(url)
        return
    with ui.dialog() as dialog, ui.card():
        dialog.mark("leave-dialog")
        ui.label(tr("change.leave.title")).classes("text-body1")
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("change.leave.stay"), on_click=dialog.close).props("no-caps").mark(
                "leave-stay"
            )
            ui.button(tr("change.leave.go"), on_click=lambda: (dialog.close(), _leave(url))).props(
                "outline no-caps color=negative"
            ).mark("leave-go")
    dialog.open()


def _tabs(account, project_id: int) -> list[str]:
    from ui.state import store

    record = store().get(project_id)
    if account is None or record is None:
        return []
    return [
        k
        for k in PROJECT_TABS
        if account.can(TAB_ABILITY.get(k, "view"), record.id, record.community)
    ]


# Quasar's own words (a table's "no data", "rows per page") follow the reader's language
QUASAR_LANGUAGE = {"zh": "zh-CN", "en": "en-US"}


def _quasar_language() -> None:
    """The app runs with zh-CN (ui.run); this client's page gets the reader's language.
    The page's settings are shared by every client of its route: this one gets a copy."""
    client = ui.context.client
    want = QUASAR_LANGUAGE[lang()]
    if client.page.resolve_language() != want:
        client.page = copy.copy(client.page)
        client.page.language = want


@contextmanager
def frame(title: str, project_id: int | None = None, active: str = "") -> Iterator[None]:
    """Header, project tabs and a centred, phone-friendly content column."""
    _quasar_language()
    ui.colors(primary="#0f766e")
    ui.add_head_html(LEAVE_GUARD)
    ui.add_css(PHONE_CARDS_CSS)
    with ui.header().classes("items-center justify-between q-px-md q-py-xs bg-primary"):
        with ui.row().classes("items-center gap-2 no-wrap"):
            ui.link(tr("ui.title"), "/").classes("text-white text-lg font-bold no-underline")
        with ui.row().classes("items-center gap-1 no-wrap"):
            account = _account_menu()
            # the switch names the other language
            ui.button(tr("ui.lang.other"), on_click=_toggle_lang).props(
                "flat dense no-caps color=white"
            ).mark("lang-switch")
    with ui.column().classes("w-full max-w-5xl mx-auto q-pa-sm gap-3"):
        if account is not None and account.demo:
            ui.label(tr("ui.auth.demo_banner")).classes(
                "w-full text-body2 bg-amber-2 text-black q-pa-xs rounded-borders"
            ).mark("demo-banner")
        if project_id is not None:
            with ui.row().classes("w-full gap-1 wrap"):
                for key in _tabs(account, project_id):
                    btn = ui.button(
                        tr(f"ui.tab.{key}"),
                        on_click=lambda k=key: go_to(f"/project/{project_id}/{k}"),
                    )
                    btn.props("no-caps dense" + ("" if key == active else " outline"))
                    btn.mark(f"tab-{key}")
        ui.label(title).classes("text-h6 break-all")
        yield
