"""Version history: every saved version (number, time, who saved it), two of them compared
(the inputs that differ, in words, and each household's share), and an older version
restored — saved again as a new version, through the same warning as any save that
voids recorded decisions (ui/editing.py), and audit-logged as a restore.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from nicegui import run, ui

from elevator.plan.changes import FieldChange, HouseholdChange, field_changes, result_of
from elevator.plan.changes import share_changes as shares_between
from elevator.store.accounts import AuditRow
from ui.change import share_table
from ui.editing import Editing, load
from ui.session import current
from ui.state import store
from ui.theme import frame, tr
from ui.views import table
from ui.widgets import Problems, data_table, field_words, value_words

SAVES = ("project.create", "project.save", "project.restore")


@dataclass(frozen=True)
class Diff:
    fields: list[FieldChange]
    shares: list[HouseholdChange]
    older_valid: bool
    newer_valid: bool


def savers(rows: list[AuditRow]) -> dict[int, str]:
    """Who saved each version, from the audit log ("3 -> 4" names version 4; a project
    is created as version 1)."""
    out: dict[int, str] = {}
    for r in rows:
        if r.action == "project.create":
            out.setdefault(1, r.actor)
        elif r.action in SAVES:
            target = r.detail.split("->")[-1].split("(")[0].strip()
            if target.isdigit():
                out.setdefault(int(target), r.actor)
    return out


def diff(older: dict[str, Any], newer: dict[str, Any]) -> Diff:
    """Off the event loop: the inputs that differ and each household's share."""
    before, after = result_of(older), result_of(newer)
    return Diff(
        fields=field_changes(older, newer),
        shares=shares_between(before, after),
        older_valid=before is not None,
        newer_valid=after is not None,
    )


def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    with frame(record.name, pid, "history"):
        ui.label(tr("change.history.note")).classes("text-caption text-grey-8")
        History(pid).build()


class History:
    def __init__(self, pid: int):
        self.pid = pid
        self.problems = Problems()

    def build(self) -> None:
        self.body = ui.column().classes("w-full gap-3")
        self.fill()

    def fill(self) -> None:
        versions = store().versions(self.pid)
        self.data = {n: d for n, _at, d in versions}
        self.current = versions[-1][0]
        who = savers(store().accounts.audit_rows(self.pid))
        self.body.clear()
        with self.body:
            self.version_list(versions, who)
            self.pickers(versions)
            self.problems.place_summary()
            self.diff_box = ui.column().classes("w-full gap-2")
            self.compare_later()

    def version_list(self, versions: list, who: dict[int, str]) -> None:
        headers = [
            tr("change.history.col.version"),
            tr("ui.field.when"),
            tr("change.history.col.who"),
        ]
        rows = [
            [self.name(n), at[:19].replace("T", " "), who.get(n, "—")]
            for n, at, _data in reversed(versions)
        ]
        columns, body = table(headers, rows)
        data_table(columns, body, "versions", per_page=20)

    def name(self, n: int) -> str:
        return tr("change.history.current", version=n) if n == self.current else str(n)

    def pickers(self, versions: list) -> None:
        options = {n: self.name(n) for n, _at, _d in reversed(versions)}
        newer = self.current
        older = versions[-2][0] if len(versions) > 1 else newer
        with ui.row().classes("w-full gap-2 items-end"):
            self.older = (
                ui.select(options, value=older, label=tr("change.history.older"))
                .classes("w-36")
                .props("dense")
                .mark("history-older")
            )
            self.newer = (
                ui.select(options, value=newer, label=tr("change.history.newer"))
                .classes("w-36")
                .props("dense")
                .mark("history-newer")
            )
            account = current()
            record = store().get(self.pid)
            if account is not None and record and account.can("edit", record.id, record.community):
                ui.button(
                    tr("change.history.restore"), icon="restore", on_click=self.restore
                ).props("no-caps outline").mark("history-restore")
        self.older.on_value_change(lambda _e: self.compare_later())
        self.newer.on_value_change(lambda _e: self.compare_later())

    def compare_later(self) -> None:
        ui.timer(0, self.compare, once=True)

    async def compare(self) -> None:
        a, b = self.older.value, self.newer.value
        if a == b:
            self.diff_box.clear()
            with self.diff_box:
                ui.label(tr("change.history.same_version")).classes("text-body2").mark(
                    "history-same"
                )
            return
        old, new = (a, b) if a < b else (b, a)
        result = await run.io_bound(diff, self.data[old], self.data[new])
        self.show(result, self.data[new])

    def show(self, result: Diff, newer: dict) -> None:
        self.diff_box.clear()
        with self.diff_box:
            ui.label(tr("change.history.inputs")).classes("text-subtitle1")
            self.fields_table(result.fields, newer)
            ui.label(tr("change.history.shares")).classes("text-subtitle1")
            if not (result.older_valid and result.newer_valid):
                ui.label(tr("change.history.invalid")).classes("text-body2 text-negative")
            share_table(result.shares, "history-shares")

    def fields_table(self, fields: list[FieldChange], newer: dict) -> None:
        if not fields:
            ui.label(tr("change.history.same")).classes("text-body2").mark("history-fields-none")
            return
        headers = [tr("change.col.field"), tr("change.col.old_value"), tr("change.col.new_value")]
        rows = [
            [
                field_words(f.path, newer),
                value_words(f.path.rsplit(".", 1)[-1], f.before),
                value_words(f.path.rsplit(".", 1)[-1], f.after),
            ]
            for f in fields
        ]
        columns, body = table(headers, rows)
        for column in columns:
            column["align"] = "left"
        data_table(columns, body, "history-fields", per_page=0)

    async def restore(self) -> None:
        """Save the older picked version's data as a new version."""
        old = min(self.older.value, self.newer.value)
        record = store().get(self.pid)
        if record is None or old == record.version:
            ui.notify(tr("change.history.same_version"), type="info")
            return
        editing = Editing(record)
        editing.data = copy.deepcopy(self.data[old])
        body = self.body  # fill() deletes the button this click came from
        if await editing.save(self.problems, self.fill, restored_from=old):
            ui.notify(tr("change.history.restored", old=old, new=editing.version), type="positive")
            with body:
                self.fill()
