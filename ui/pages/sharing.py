"""Cost sharing: pick a scheme, edit its parameters, and watch the tables update.

Every input change recomputes with the library (`ui.views.sharing_view`) and
refreshes the tables and chart in place; "Save" writes the sharing settings.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from elevator.core.money import ROUNDING_UNITS
from ui.editing import Editing, EditorPanel, load, version_label
from ui.theme import frame, lang, tr
from ui.views import scheme_options, sharing_view
from ui.widgets import data_table, set_in

# how a floor's share is split among its households (ui.sharing.within.*)
WITHIN = ("equal", "area")


def page(pid: int, flat: str | None = None) -> None:
    """`?flat=502` opens the page with that flat highlighted (a link a resident can keep)."""
    record = load(pid)
    if record is None:
        return
    editing = Editing(record)
    with frame(record.name, pid, "sharing"):
        editing.place_banner()
        panel = SharingPanel(editing)
        ids = {h["id"] for h in record.data["building"]["households"]}
        panel.mine = flat if flat in ids else None
        panel.build()


class SharingPanel(EditorPanel):
    def __init__(self, editing: Editing):
        super().__init__(editing)
        self.mine: str | None = None
        self.lang = lang()

    def build(self) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            version_label(self.editing)
            ui.button(tr("ui.sharing.save"), icon="save", on_click=self.save).props("no-caps").mark(
                "save"
            )
        self.inputs = ui.column().classes("w-full gap-2")
        self.problems.place_summary()
        self.results = ui.column().classes("w-full gap-2")
        with self.results:
            self.mine_card = (
                ui.label("")
                .classes("text-body1 bg-amber-1 q-pa-sm rounded-borders w-full")
                .mark("mine")
            )
            self.total = ui.label("").classes("text-subtitle1").mark("total")
            ui.label(tr("ui.sharing.funding")).classes("text-subtitle2")
            self.funding = data_table([], [], "funding")
            ui.label(tr("ui.sharing.households")).classes("text-subtitle2")
            self.households = data_table([], [], "households", wrap=False, per_page=0)
            self.rounding = ui.label("").classes("text-caption")
            self.chart = ui.echart({"series": []}).classes("w-full h-64").mark("chart")
            with ui.card().classes("w-full"):
                ui.label(tr("ui.sharing.formula")).classes("text-subtitle2")
                self.words = ui.label("").classes("text-body2")
                self.formula = ui.label("").classes("text-body2 break-all").mark("formula")
                self.legend = ui.label("").classes("text-caption text-grey-8")
            with ui.card().classes("w-full"):
                # no-subsidy, stand-alone, equal treatment, monotone: each violation in words
                self.checks = ui.column().classes("gap-0").mark("checks")
            self.running_title = ui.label(tr("ui.field.running_costs")).classes("text-subtitle2")
            self.running = data_table([], [], "running", wrap=False, per_page=0)
        self.build_inputs()
        self.refresh()

    # --- inputs -----------------------------------------------------------------

    def set(self, path: tuple, value: Any) -> None:
        set_in(self.data, path, value)
        self.refresh()

    def build_inputs(self) -> None:
        self.inputs.clear()
        self.problems.labels.clear()
        sharing = self.data.setdefault("sharing", {})
        ids = [h["id"] for h in self.data["building"]["households"]]
        with self.inputs:
            with ui.row().classes("w-full gap-2 items-start"):
                with ui.column().classes("gap-0 col-12 col-sm-5"):
                    ui.select(
                        scheme_options(self.lang),
                        value=sharing.get("scheme", "area"),
                        label=tr("ui.field.scheme"),
                        on_change=lambda e: self.on_scheme(e.value),
                    ).classes("w-full").mark("scheme")
                    self.problems.label_for("sharing.scheme")
                ui.select(
                    {"": "—", **{i: i for i in ids}},
                    value=self.mine or "",
                    label=tr("ui.sharing.mine"),
                    on_change=lambda e: self.on_mine(e.value),
                ).classes("col-6 col-sm-3").mark("mine-select")
                ui.select(
                    {k: tr(f"rounding.{k}") for k in ROUNDING_UNITS},
                    value=sharing.get("rounding", "fen"),
                    label=tr("ui.sharing.round_to"),
                    on_change=lambda e: self.set(("sharing", "rounding"), e.value),
                ).classes("col-5 col-sm-3").mark("rounding")
            with ui.row().classes("w-full gap-3 items-center"):
                ui.switch(
                    tr("ui.sharing.by_area"),
                    value=bool(sharing.get("by_area")),
                    on_change=lambda e: self.set(("sharing", "by_area"), e.value),
                ).mark("by_area")
                ui.select(
                    {k: tr(f"ui.sharing.within.{k}") for k in WITHIN},
                    value=sharing.get("within_floor", "equal"),
                    label=tr("ui.sharing.within_floor"),
                    on_change=lambda e: self.set(("sharing", "within_floor"), e.value),
                ).classes("w-40").mark("within_floor")
                floors = list(range(1, int(self.data["building"]["floors"]) + 1))
                with ui.column().classes("gap-0"):
                    ui.select(
                        floors,
                        multiple=True,
                        value=list(sharing.get("exempt_floors", [1])),
                        label=tr("ui.sharing.exempt"),
                        on_change=lambda e: self.set(
                            ("sharing", "exempt_floors"), sorted(e.value or [])
                        ),
                    ).classes("w-40").props("use-chips dense").mark("exempt_floors")
                    self.problems.label_for("sharing.exempt_floors")
            if sharing.get("scheme") == "floor_coefficients":
                self.coefficient_inputs(floors)

    def coefficient_inputs(self, floors: list[int]) -> None:
        coeffs = self.data["sharing"].setdefault("coefficients", {})
        ui.label(tr("ui.sharing.coefficients")).classes("text-subtitle2")
        self.problems.label_for("sharing.coefficients")
        with ui.row().classes("w-full gap-2"):
            for f in floors:
                key = next((k for k in coeffs if str(k) == str(f)), str(f))
                path = ("sharing", "coefficients", key)
                with ui.column().classes("gap-0 w-24"):
                    inp = (
                        ui.input(tr("ui.sharing.floor", floor=f), value=str(coeffs.get(key, "")))
                        .props("dense inputmode=decimal")
                        .mark(f"coef-{f}")
                    )
                    inp.on_value_change(lambda e, p=path: self.set(p, (e.value or "").strip()))
                    self.problems.label_for(f"sharing.coefficients.{f}")
                    # a slider for quick changes during a meeting; typing stays exact
                    top = max(3, int(self.data["building"]["floors"]) - 1)  # room for k = f − 1
                    ui.slider(
                        min=0,
                        max=top,
                        step=0.1,
                        value=_as_float(coeffs.get(key)),
                        on_change=lambda e, i=inp: _slide(i, e.value),
                    ).props("dense").mark(f"slider-{f}")

    def on_scheme(self, name: str) -> None:
        sharing = self.data.setdefault("sharing", {})
        sharing["scheme"] = name
        if name == "floor_coefficients" and not sharing.get("coefficients"):
            # a starting point to edit: the floors-travelled weights k = f − 1 (policy-facts §3)
            sharing["coefficients"] = {
                str(f): str(f - 1) for f in range(1, int(self.data["building"]["floors"]) + 1)
            }
        self.build_inputs()
        self.refresh()

    def on_mine(self, value: str) -> None:
        self.mine = value or None
        self.refresh()

    # --- results ------------------------------------------------------------------

    def refresh(self) -> None:
        view = sharing_view(self.data, self.lang, self.mine)
        self.problems.show(view.problems)
        self.results.set_visibility(not view.problems)
        if view.problems:
            return
        self.funding.columns, self.funding.rows = view.funding
        self.households.columns, self.households.rows = view.households
        self.total.text = tr("ui.sharing.total", total=view.total)
        self.rounding.text = view.rounding
        self.chart.options.clear()
        self.chart.options.update(view.chart)
        self.chart.update()
        self.words.text = view.words
        self.formula.text = view.formula_text
        self.legend.text = view.formula_legend
        self.checks.clear()
        with self.checks:
            for i, line in enumerate(view.checks):
                ui.label(line).classes("text-subtitle2" if i == 0 else "text-body2")
        if view.mine:
            rid, net, run = view.mine
            text = tr("ui.sharing.mine_pays", room=rid, amount=net)
            if run:
                text += tr("ui.sharing.mine_running", amount=run)
            self.mine_card.text = text
        self.mine_card.set_visibility(view.mine is not None)
        has_running = view.running is not None
        self.running_title.set_visibility(has_running)
        self.running.set_visibility(has_running)
        if view.running:
            self.running.columns, self.running.rows = view.running

    async def save(self) -> None:
        await self.editing.save(self.problems, self.rebuild)

    def rebuild(self) -> None:
        self.build_inputs()
        self.refresh()


def _as_float(value: Any) -> float:
    try:
        from fractions import Fraction

        return float(Fraction(str(value)))
    except (ValueError, ZeroDivisionError):
        return 0.0


def _slide(inp: ui.input, value: float) -> None:
    text = f"{value:.1f}"
    if _as_float(inp.value) != float(text):
        inp.value = text
