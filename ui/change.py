"""What a save would change, in the mediator's words: the recorded decisions that would stop
counting and each household's share before and after (elevator/plan/changes.py computes;
this module lays it out).  Used by the save warning (ui/editing.py) and the version
history page (ui/pages/history.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from nicegui import ui

from elevator.core.errors import Problem, ProjectError
from elevator.core.money_text import format_yuan
from elevator.model.io import parse_project
from elevator.plan.changes import HouseholdChange, result_of, share_changes, version_of, voided
from ui.state import store
from ui.theme import tr
from ui.views import table
from ui.widgets import data_table


@dataclass(frozen=True)
class SaveImpact:
    """A save's effect on the consultation: `problems` when the data cannot be saved at
    all, else the latest decisions it would void and every household's share."""

    problems: list[Problem]
    lost: list[Any]  # DecisionRow: the latest counted decision of each household
    changes: list[HouseholdChange]

    def count(self, decision: str) -> int:
        return sum(1 for row in self.lost if row.decision == decision)


def voided_rows(rows: Sequence[Any], before: Mapping, after: Mapping) -> list[Any]:
    """The decisions that count on the saved plan and would not on the new one (plan
    versions as the consent page records them: elevator.plan.compose's split)."""
    if not rows:
        return []
    return voided(rows, version_of(before), version_of(after))


def save_impact(pid: int, version: int, data: dict) -> SaveImpact | None:
    """Off the event loop: what saving `data` over saved `version` would do; None when
    that version is gone (the save will meet the newer one and be refused)."""
    try:
        parse_project(data)
    except ProjectError as e:
        return SaveImpact(problems=e.problems, lost=[], changes=[])
    before = store().version_data(pid, version)
    if before is None:
        return None
    lost = voided_rows(store().decisions(pid), before, data)
    if not lost:
        return SaveImpact(problems=[], lost=[], changes=[])
    return SaveImpact(
        problems=[], lost=lost, changes=share_changes(result_of(before), result_of(data))
    )


def signed_yuan(amount: Fraction | None) -> str:
    """'+1,234.50', '-980.00', '0.00'; '—' when there is no amount."""
    if amount is None:
        return "—"
    return ("+" if amount > 0 else "") + format_yuan(amount)


def yuan(amount: Fraction | None) -> str:
    return "—" if amount is None else format_yuan(amount)


def share_table(changes: Sequence[HouseholdChange], marker: str) -> ui.table | None:
    """The households whose share moves: flat, before, after, difference (few columns:
    it fits a phone).  None, with a note, when no share moves."""
    moved = [c for c in changes if c.changed]
    if not moved:
        ui.label(tr("change.void.none_changed")).classes("text-body2").mark(f"{marker}-none")
        return None
    headers = [
        tr("change.col.household"),
        tr("change.col.before"),
        tr("change.col.after"),
        tr("change.col.delta"),
    ]
    body = [[c.id, yuan(c.before), yuan(c.after), signed_yuan(c.delta)] for c in moved]
    columns, rows = table(headers, body)
    return data_table(columns, rows, marker, per_page=0)


async def confirm_voiding(impact: SaveImpact) -> bool:
    """Ask before a save that voids recorded decisions; True only on the mediator's
    explicit confirmation (the dialog closes only by its two buttons)."""
    with ui.dialog().props("persistent") as dialog, ui.card().classes("w-full max-w-xl"):
        dialog.mark("void-dialog")
        ui.label(tr("change.void.title", count=len(impact.lost))).classes(
            "text-subtitle1 text-negative"
        ).mark("void-count")
        ui.label(
            tr(
                "change.void.counts",
                agree=impact.count("agree"),
                oppose=impact.count("oppose"),
                abstain=impact.count("abstain"),
            )
        ).classes("text-body2").mark("void-kinds")
        ui.label(tr("change.void.shares")).classes("text-subtitle2")
        share_table(impact.changes, "void-shares")
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("change.void.cancel"), on_click=lambda: dialog.submit(False)).props(
                "outline no-caps"
            ).mark("void-cancel")
            ui.button(tr("change.void.confirm"), on_click=lambda: dialog.submit(True)).props(
                "no-caps color=negative"
            ).mark("void-confirm")
    try:
        return bool(await dialog)
    finally:
        dialog.delete()
