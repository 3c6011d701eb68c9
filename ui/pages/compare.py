"""Compare: several schemes side by side for the same stairwell (table and chart)."""

from __future__ import annotations

from nicegui import ui

from elevator.sharing.schemes import SCHEMES
from ui.editing import load
from ui.theme import both_of, frame, lang, tr
from ui.views import compare_view, scheme_options

DEFAULT = ["area", "floor_coefficients", "floors_travelled", "elevator_rule", "shapley"]


def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    current = record.data.get("sharing", {}).get("scheme", "area")
    chosen = [current] + [s for s in DEFAULT if s != current and s in SCHEMES]
    with frame(record.name, pid, "compare"):
        picker = (
            ui.select(
                scheme_options(lang()),
                multiple=True,
                value=chosen,
                label=tr("ui.compare.schemes"),
            )
            .props("use-chips")
            .classes("w-full")
            .mark("schemes")
        )

        @ui.refreshable
        def body() -> None:
            view = compare_view(record.data, list(picker.value or []), lang())
            for p in view.problems:
                ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative")
            for name, why in view.skipped:
                ui.label(tr("ui.compare.skipped", scheme=tr(f"scheme.{name}"), why=why)).classes(
                    "text-caption text-warning"
                )
            if view.table[0]:
                t = (
                    ui.table(columns=view.table[0], rows=view.table[1], row_key="_k")
                    .props("dense flat bordered")
                    .classes("w-full")
                    .mark("compare-table")
                )
                t.props["pagination"] = {"rowsPerPage": 0}
                ui.label(view.legend).classes("text-caption")
                ui.echart(view.chart).classes("w-full h-72").mark("compare-chart")
                ui.label(tr("ui.compare.note")).classes("text-caption")

        body()
        picker.on_value_change(body.refresh)
