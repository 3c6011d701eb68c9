"""The project's audit log: who changed what, when (for mediators and administrators).

Rows are written by the store in the same transaction as the change they describe
(elevator.store.accounts.audit) with keys; they are shown in words
(elevator.documents.audit_words)."""

from __future__ import annotations

from nicegui import ui

from elevator.documents.audit_words import action_word, actor_word, detail_words
from elevator.store.accounts import AuditRow
from ui.editing import load
from ui.state import store
from ui.theme import frame, lang, tr
from ui.views import table
from ui.widgets import data_table


def audit_table(rows: list[AuditRow], marker: str = "audit") -> None:
    headers = [
        tr("ui.audit.col.seq"),
        tr("ui.field.when"),
        tr("ui.audit.col.actor"),
        tr("ui.audit.col.project"),
        tr("ui.audit.col.action"),
        tr("ui.audit.col.detail"),
    ]
    lg = lang()
    body = [
        [
            str(r.seq),
            r.at[:19].replace("T", " "),
            actor_word(r.actor, lg),
            "" if r.project_id is None else str(r.project_id),
            action_word(r.action, lg),
            detail_words(r.action, r.detail, lg),
        ]
        for r in rows
    ]
    columns, body = table(headers, body)
    data_table(columns, body, marker, per_page=50)


def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    with frame(record.name, pid, "audit"):
        ui.label(tr("ui.audit.note")).classes("text-caption text-grey-8")
        audit_table(store().accounts.audit_rows(pid))
