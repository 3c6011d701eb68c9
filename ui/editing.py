"""One user's working copy of a project, and saving it safely.

Edits change the working copy only; `save` validates and writes it in one
transaction, naming the version it started from.  If someone saved first the
save is refused, the latest values replace the working copy and the page is
rebuilt to show them.  A save that changes the plan households decided on first
says how many recorded decisions would stop counting and how each share moves,
and saves only when the mediator confirms (ui/change.py).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from elevator.core.errors import ProjectError
from elevator.core.text import t
from elevator.model.io import parse_project, project_to_data
from elevator.store.db import Conflict, Record
from ui.change import confirm_voiding, save_impact
from ui.state import store
from ui.theme import both, both_of, lang, tr, watch_unsaved
from ui.widgets import Problems


def _normal(data: dict) -> Any:
    """Project data as the store saves it (the data itself when it is not valid)."""
    try:
        return project_to_data(parse_project(data))
    except ProjectError:
        return data


class Editing:
    def __init__(self, record: Record, ability: str = "edit"):
        self.pid = record.id
        self.community = record.community
        self.ability = ability  # what saving needs: "edit", or "signoff" (feasibility)
        self.data = copy.deepcopy(record.data)
        self.saved = copy.deepcopy(record.data)  # the version the working copy started from
        self.version = record.version
        self.banner: ui.label | None = None
        self.saving = False  # one save (and one warning) at a time
        self._baseline = _normal(self.saved)
        self._checked: tuple[str, bool] = ("", False)
        # text typed in a field that could not be read yet (the working copy kept its old
        # value): unsaved too; the page's panel says (EditorPanel)
        self.unread: Callable[[], bool] = lambda: False

    @property
    def dirty(self) -> bool:
        """The working copy differs from the saved version it started from (as the store
        would save it: an empty list a page adds for its form is no change)."""
        if self.unread():
            return True
        if self.data == self.saved:
            return False
        key = json.dumps(self.data, sort_keys=True, default=str)
        if key != self._checked[0]:  # normalise only after an edit
            self._checked = (key, _normal(self.data) != self._baseline)
        return self._checked[1]

    def settle(self) -> None:
        """What the page put into the working copy to lay out its form is not an edit."""
        self.saved = copy.deepcopy(self.data)
        self._baseline = _normal(self.saved)

    def adopt(self, record: Record) -> None:
        """The working copy becomes this saved version."""
        self.data = copy.deepcopy(record.data)
        self.saved = copy.deepcopy(record.data)
        self._baseline = _normal(self.saved)
        self.version = record.version

    def place_banner(self) -> None:
        self.banner = (
            ui.label("")
            .classes("w-full text-body2 bg-amber-2 text-black q-pa-sm rounded-borders")
            .mark("conflict")
        )
        self.banner.set_visibility(False)

    async def save(
        self, problems: Problems, rebuild: Callable[[], None], *, restored_from: int | None = None
    ) -> bool:
        """Validate, warn about decisions the save would void, write.  True when saved.
        `restored_from`: the working copy is that older version's data (the history page)."""
        if self.saving:
            return False
        self.saving = True
        try:
            return await self._save(problems, rebuild, restored_from)
        finally:
            self.saving = False

    async def _save(
        self, problems: Problems, rebuild: Callable[[], None], restored_from: int | None
    ) -> bool:
        from ui.session import current

        account = current()  # checked at the click: a role may have been taken away
        if account is None or not account.can(self.ability, self.pid, self.community):
            ui.notify(both("ui.auth.read_only"), type="negative", multi_line=True)
            return False
        if problems.local:  # an amount the page could not read: never save around it
            problems.show([])
            ui.notify(both("ui.save.refused"), type="negative", multi_line=True)
            return False
        data = copy.deepcopy(self.data)
        impact = await run.io_bound(save_impact, self.pid, self.version, data)
        if impact is not None and impact.problems:
            return self._refused(problems, impact.problems)
        if impact is not None and impact.lost and not await confirm_voiding(impact):
            ui.notify(both("change.void.cancelled"), type="info")
            return False
        return self.write(problems, rebuild, data, restored_from=restored_from)

    def _refused(self, problems: Problems, found: list) -> bool:
        problems.show(found)
        ui.notify(both("ui.save.refused"), type="negative", multi_line=True)
        return False

    def write(
        self,
        problems: Problems,
        rebuild: Callable[[], None],
        data: dict,
        *,
        restored_from: int | None = None,
    ) -> bool:
        """Write `data` over the version the working copy started from (no warning:
        `save` has given it)."""
        from ui.session import current

        account = current()
        try:
            record = store().save(
                self.pid,
                data,
                self.version,
                actor=account.name if account else None,
                restored_from=restored_from,
            )
        except ProjectError as e:
            return self._refused(problems, e.problems)
        except Conflict as c:
            if c.latest is not None:
                self.adopt(c.latest)
            if self.banner is not None:
                self.banner.text = both_of(c)
                self.banner.set_visibility(True)
            ui.notify(both_of(c), type="warning", multi_line=True, timeout=10000)
            rebuild()
            return False
        self.adopt(record)
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
    """The version the working copy started from, and beside it a marker while the
    working copy has unsaved changes (the tabs and the browser ask before leaving then)."""
    # the binding also runs outside the page's request: take the language now
    lg = lang()
    label = (
        ui.label()
        .bind_text_from(editing, "version", lambda v: t("ui.version", lg, version=v))
        .classes("text-caption text-grey-8")
        .mark("version")
    )
    dirty_marker(editing, lg)
    return label


def dirty_marker(editing: Editing, lg: str) -> ui.label:
    # the browser's leave guard (ui/theme.py) reads this marker's text
    marker = ui.label("").classes("text-caption text-orange-9 elevator-dirty").mark("dirty")

    def update() -> None:
        text = t("change.dirty", lg) if editing.dirty else ""
        if marker.text != text:
            marker.text = text

    ui.timer(0.5, update)
    watch_unsaved(lambda: editing.dirty)
    return marker


class EditorPanel:
    """What every editing page holds: the working copy and its problems; each page
    adds its own build()."""

    def __init__(self, editing: Editing):
        self.editing = editing
        self.problems = Problems()
        editing.unread = lambda: bool(self.problems.local)

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
        editing.settle()
    return built
