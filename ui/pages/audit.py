"""The project's audit log: who changed what, when (for mediators and administrators).

Rows are written by the store in the same transaction as the change they describe
(elevator.store.accounts.audit); a resident's own-link action shows as `link:<room>`."""

from __future__ import annotations

from nicegui import ui

from elevator.store.accounts import AuditRow
from ui.editing import load
from ui.state import store
from ui.theme import frame, tr
from ui.views import table


def audit_table(rows: list[AuditRow], marker: str = "audit") -> None:
    headers = [
        tr("ui.audit.col.seq"),
        tr("ui.field.when"),
        tr("ui.audit.col.actor"),
        tr("ui.audit.col.project"),
        tr("ui.audit.col.action"),
        tr("ui.audit.col.detail"),
    ]
    body = [
        [
            str(r.seq),
            r.at[:19].replace("T", " "),
            r.actor,
            "" if r.project_id is None else str(r.project_id),
            r.action,
            r.detail,
        ]
        for r in rows
    ]
    columns, body = table(headers, body)
    t = (
        ui.table(columns=columns, rows=body, row_key="_k")
        .props("dense flat bordered wrap-cells")
        .classes("w-full")
        .mark(marker)
    )
    t.props["pagination"] = {"rowsPerPage": 50}


def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    with frame(record.name, pid, "audit"):
        ui.label(tr("ui.audit.note")).classes("text-caption text-grey-8")
        audit_table(store().accounts.audit_rows(pid))
