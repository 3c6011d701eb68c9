"""Compare: several schemes side by side for the same stairwell (table and chart).

Only the schemes that apply to this project are offered: the library computes every
scheme once (`elevator.plan.compare`, a few milliseconds) and those it cannot compute
are named on one line with the reason, each reason once.  The header leads on to the
negotiation solver and the late joiners.
"""

from __future__ import annotations

import re
from fractions import Fraction

from nicegui import ui

from elevator.core.money_text import format_yuan
from elevator.documents.comparison import not_applicable_line
from elevator.plan.compare import Comparison, compare
from elevator.sharing.schemes import SCHEMES
from ui.editing import load
from ui.theme import both_of, frame, lang, tr
from ui.views import compare_view, scheme_options, validate
from ui.widgets import data_table

_AMOUNT = re.compile(r"-?\d+\.\d{2}")
DEFAULT = ["area", "floor_coefficients", "floors_travelled", "elevator_rule", "shapley"]


def applicable(data: dict) -> Comparison | None:
    """Every scheme tried on the project (None when the project itself is invalid)."""
    project, problems = validate(data)
    return None if problems else compare(project, list(SCHEMES))


def chosen_by_default(current: str, names: list[str]) -> list[str]:
    """The project's own scheme first, then the usual ones, of those that apply."""
    first = [current] if current in names else []
    return first + [s for s in DEFAULT if s != current and s in names]


def grouped(rows: list[dict]) -> list[dict]:
    """The table's amounts with thousands separators (the library gives plain decimals;
    the fairness marks and the labels stay as they are)."""

    def cell(value: object) -> object:
        if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
            return value
        return format_yuan(Fraction(value))

    return [{k: (v if k in ("_k", "c0", "c1") else cell(v)) for k, v in r.items()} for r in rows]


def _links(pid: int) -> None:
    with ui.row().classes("w-full gap-2 wrap"):
        ui.button(
            tr("ui.negotiate.title"),
            icon="handshake",
            on_click=lambda: ui.navigate.to(f"/project/{pid}/negotiate"),
        ).props("outline no-caps dense").mark("to-negotiate")
        ui.button(
            tr("ui.joiners.title"),
            icon="person_add",
            on_click=lambda: ui.navigate.to(f"/project/{pid}/joiners"),
        ).props("outline no-caps dense").mark("to-joiners")


def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    lg = lang()
    current = record.data.get("sharing", {}).get("scheme", "area")
    tried = applicable(record.data)
    names = [r.scheme.name for r in tried.results] if tried else list(SCHEMES)
    with frame(record.name, pid, "compare"):
        _links(pid)
        options = {k: v for k, v in scheme_options(lg).items() if k in names}
        picker = (
            ui.select(
                options,
                multiple=True,
                value=chosen_by_default(current, names),
                label=tr("ui.compare.schemes"),
            )
            .props("use-chips")
            .classes("w-full")
            .mark("schemes")
        )
        line = not_applicable_line(tried, lg) if tried else ""
        if line:
            ui.label(line).classes("text-caption text-grey-8").mark("not-applicable")

        @ui.refreshable
        def body() -> None:
            view = compare_view(record.data, list(picker.value or []), lg)
            for p in view.problems:
                ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative")
            if view.table[0]:
                data_table(
                    view.table[0], grouped(view.table[1]), "compare-table", wrap=False, per_page=0
                )
                ui.label(view.legend).classes("text-caption")
                ui.echart(view.chart).classes("w-full h-72").mark("compare-chart")
                ui.label(tr("ui.compare.note")).classes("text-caption")

        body()
        picker.on_value_change(body.refresh)
