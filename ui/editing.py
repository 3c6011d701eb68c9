"""One user's working copy of a project, and saving it safely.

Edits change the working copy only; `save` validates and writes it in one
transaction, naming the version it started from.  If someone saved first the
save is refused, the latest values replace the working copy and the page is
rebuilt to show them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from nicegui import ui

from elevator.core.errors import ProjectError
from elevator.core.text import t
from elevator.store.db import Conflict, Record
from ui.state import store
from ui.theme import both, both_of, lang, tr
from ui.widgets import Problems


class Editing:
    def __init__(self, record: Record, ability: str = "edit"):
        self.pid = record.id
        self.community = record.community
        self.ability = ability  # what saving needs: "edit", or "signoff" (feasibility)
        self.data = copy.deepcopy(record.data)
        self.version = record.version
        self.banner: ui.label | None = None

    def place_banner(self) -> None:
        self.banner = (
            ui.label("")
            .classes("w-full text-body2 bg-amber-2 text-black q-pa-sm rounded-borders")
            .mark("conflict")
        )
        self.banner.set_visibility(False)

    def save(self, problems: Problems, rebuild: Callable[[], None]) -> bool:
        from ui.session import current

        account = current()  # checked at the click: a role may have been taken away
        if account is None or not account.can(self.ability, self.pid, self.community):
            ui.notify(both("ui.auth.read_only"), type="negative", multi_line=True)
            return False
        try:
            record = store().save(self.pid, self.data, self.version, actor=account.name)
        except ProjectError as e:
            problems.show(e.problems)
            ui.notify(
                both("ui.save.refused"),
                type="negative",
                multi_line=True,
            )
            return False
        except Conflict as c:
            if c.latest is not None:
                self.data = copy.deepcopy(c.latest.data)
                self.version = c.latest.version
            if self.banner is not None:
                self.banner.text = both_of(c)
                self.banner.set_visibility(True)
            ui.notify(both_of(c), type="warning", multi_line=True, timeout=10000)
            rebuild()
            return False
        self.data = copy.deepcopy(record.data)
        self.version = record.version
        if self.banner is not None:
            self.banner.set_visibility(False)
        problems.clear()
        ui.notify(both("ui.save.saved", version=record.version), type="positive")
        return True


def load(pid: int) -> Record | None:
    record = store().get(pid)
    if record is None:
        ui.label(both("ui.project.missing", pid=pid)).classes("text-negative")
        ui.link(tr("ui.project.back"), "/")
    return record


def version_label(editing: Editing) -> ui.label:
    # the binding also runs outside the page's request: take the language now
    lg = lang()
    return (
        ui.label()
        .bind_text_from(editing, "version", lambda v: t("ui.version", lg, version=v))
        .classes("text-caption text-grey-8")
        .mark("version")
    )


class EditorPanel:
    """What every editing page holds: the working copy and its problems; each page
    adds its own build()."""

    def __init__(self, editing: Editing):
        self.editing = editing
        self.problems = Problems()

    @property
    def data(self) -> dict:
        return self.editing.data


def editor_page(
    pid: int, tab: str, panel: type[EditorPanel], ability: str = "edit"
) -> EditorPanel | None:
    """Load the project, frame the page on its tab, and build the panel in it."""
    from ui.theme import frame

    record = load(pid)
    if record is None:
        return None
    editing = Editing(record, ability)
    with frame(record.name, pid, tab):
        editing.place_banner()
        built = panel(editing)
        built.build()
    return built
