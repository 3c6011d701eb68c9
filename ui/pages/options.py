"""Caps, a split by benefit and ways to pay, as one page per project: the same
computations as `elevator caps|benefit|financing PROJECT FILE` (elevator/plan/caps.py,
benefit.py, financing.py), the file's keys typed as form fields and read by the same
readers (elevator/plan/options_file.py).

Bad input is shown beside its field in both languages and computes nothing; what was
typed stays.  Only caps change the plan: with the edit right, caps that the plan can keep
exactly (elevator/plan/caps_fixed.py) are saved as agreed amounts through the usual safe
save, which warns about decisions the save would void.  The benefit split and the
financing options are computation only.
"""

from __future__ import annotations

import copy
from typing import Any

from nicegui import run, ui

from elevator.core.errors import ProjectError
from elevator.core.money_text import format_yuan
from elevator.core.text import t
from elevator.core.types import CONFIDENCE_MARK
from elevator.plan.benefit import benefit_shares
from elevator.plan.caps import CapResult, capped_shares
from elevator.plan.caps_fixed import caps_as_fixed
from elevator.plan.compose import shares
from elevator.plan.financing import compare_financing
from elevator.plan.options_file import READERS
from ui.editing import Editing, editor_page
from ui.option_views import (
    FORM_DATA,
    KINDS,
    benefit_lines,
    benefit_table,
    blank_form,
    caps_lines,
    caps_table,
    confidence_words,
    financing_chart,
    financing_lines,
    financing_table,
    on_page,
)
from ui.session import current
from ui.theme import lang, tr
from ui.views import validate
from ui.widgets import Problems, data_table, money_field, text_field

TOOLS = {"caps": capped_shares, "benefit": benefit_shares, "financing": compare_financing}


def compute(kind: str, data: dict, project: Any) -> tuple[Any, Any]:
    """The form's data read as the tool's file and computed; for caps also the fixed
    amounts that keep them in the plan (None when the plan cannot keep them exactly)."""
    given = READERS[kind](data, project, kind)
    result = TOOLS[kind](project, given)
    kept = caps_as_fixed(project, result) if kind == "caps" else None
    return result, kept


def _grid(columns: list[dict], rows: list[dict], marker: str) -> ui.table:
    return data_table(columns, rows, marker, wrap=False, per_page=0)


class OptionsPanel:
    def __init__(self, editing: Editing):
        self.editing = editing
        self.problems = {k: Problems() for k in KINDS}
        self.results: dict[str, ui.column] = {}
        self.capped: CapResult | None = None
        self.kept: dict | None = None
        self.project, self.invalid = validate(editing.data)
        self.form: dict = {}

    def data(self) -> dict:
        return self.form

    def build(self) -> None:
        ui.label(tr("ui.options.title")).classes("text-subtitle1")
        ui.label(tr("ui.options.note")).classes("text-caption")
        p = self.project
        try:
            if p is None:
                raise ProjectError(self.invalid)
            plan = shares(p)
        except ProjectError as e:  # the saved project cannot be shared: say why, stop
            problems = Problems()
            problems.place_summary()
            problems.show(e.problems)
            return
        payers = [h for h in plan.households if h.payer and h.fixed is None]
        life = p.running_costs.years if p.running_costs is not None else None
        self.form = blank_form(p.building.floors, [h.id for h in payers], life)
        self.now = {h.id: h.share for h in payers}
        for kind in KINDS:
            with ui.card().classes("w-full q-pa-sm").mark(f"{kind}-section"):
                ui.label(tr(f"ui.options.{kind}.title")).classes("text-subtitle1")
                ui.label(tr(f"ui.options.{kind}.note")).classes("text-caption")
                getattr(self, f"{kind}_form")(self.problems[kind])
                self.problems[kind].label_for(kind)
                ui.button(
                    tr("ui.options.run"),
                    icon="calculate",
                    on_click=lambda k=kind: self.run(k),
                ).props("no-caps").mark(f"{kind}-run")
                self.results[kind] = ui.column().classes("w-full gap-1").mark(f"{kind}-result")

    # --- the forms --------------------------------------------------------------------

    def caps_form(self, problems: Problems) -> None:
        for hid, share in self.now.items():
            with ui.column().classes("w-full gap-0"):
                ui.label(
                    tr("ui.options.caps.household", household=hid, amount=format_yuan(share))
                ).classes("text-body2")
                with ui.row().classes("w-full gap-2 items-start wrap"):
                    path = ("caps", hid)
                    money_field(
                        self.data, (*path, "amount"), tr("ui.options.caps.amount"), problems, _noop
                    )
                    text_field(
                        self.data,
                        (*path, "months"),
                        tr("ui.options.caps.months"),
                        problems,
                        _noop,
                        width="w-20",
                        numeric=True,
                    )
                    money_field(
                        self.data,
                        (*path, "monthly_income"),
                        tr("ui.options.caps.income"),
                        problems,
                        _noop,
                    )
                problems.label_for(f"caps.{hid}")

    def benefit_form(self, problems: Problems) -> None:
        inputs = {}
        with ui.row().classes("w-full gap-2 items-start wrap"):
            for f in self.form["benefit"]["per_floor"]:
                inputs[f] = money_field(
                    self.data,
                    ("benefit", "per_floor", f),
                    tr("ui.options.benefit.floor", floor=f),
                    problems,
                    _noop,
                    width="w-40",
                )
        problems.label_for("benefit.per_floor")

        def per_m2(e: Any) -> None:
            self.form["benefit"]["per_m2"] = bool(e.value)
            key = "floor_m2" if e.value else "floor"
            for f, inp in inputs.items():
                inp.props["label"] = tr(f"ui.options.benefit.{key}", floor=f)
                inp.update()

        ui.checkbox(tr("ui.options.benefit.per_m2"), on_change=per_m2).mark("benefit.per_m2")
        with ui.row().classes("w-full gap-2 items-start wrap"):
            text_field(
                self.data,
                ("benefit", "reference"),
                tr("ui.options.benefit.reference"),
                problems,
                _noop,
                width="w-72 max-w-full",
            )
            lg = lang()
            choices = {"": tr("ui.options.benefit.no_confidence")} | {
                c: confidence_words(c, lg) for c in CONFIDENCE_MARK
            }
            with ui.column().classes("gap-0 w-48"):
                ui.select(
                    choices,
                    value="",
                    label=tr("ui.options.benefit.confidence"),
                    on_change=lambda e: self.form["benefit"].__setitem__("confidence", e.value),
                ).props("dense").classes("w-full").mark("benefit.confidence")
                problems.label_for("benefit.confidence")

    def financing_form(self, problems: Problems) -> None:
        def field(name: str, width: str = "w-36") -> None:
            label = tr(f"ui.options.financing.{name}")
            text_field(
                self.data, ("financing", name), label, problems, _noop, width=width, numeric=True
            )

        with ui.row().classes("w-full gap-2 items-start wrap"):
            field("life_years")
            field("discount_rate")
        ui.label(tr("ui.options.financing.instalments")).classes("text-subtitle2")
        with ui.row().classes("w-full gap-2 items-start wrap"):
            field("instalment_years")
            field("instalment_rate")
            field("down_payment_percent")
            text_field(
                self.data,
                ("financing", "financier"),
                tr("ui.options.financing.financier"),
                problems,
                _noop,
                width="w-40",
            )
        self.per_floor(problems, "lease_monthly", "lease", money=True)
        ui.label(tr("ui.options.financing.per_ride")).classes("text-subtitle2")
        money_field(
            self.data,
            ("financing", "ride_fee"),
            tr("ui.options.financing.ride_fee"),
            problems,
            _noop,
        )
        self.per_floor(problems, "rides_per_month", "rides", money=False)

    def per_floor(self, problems: Problems, name: str, heading: str, *, money: bool) -> None:
        ui.label(tr(f"ui.options.financing.{heading}")).classes("text-subtitle2")
        with ui.row().classes("w-full gap-2 items-start wrap"):
            for f in self.form["financing"][name]:
                label = tr("ui.options.financing.floor", floor=f)
                path = ("financing", name, f)
                if money:
                    money_field(self.data, path, label, problems, _noop, width="w-28")
                else:
                    text_field(self.data, path, label, problems, _noop, width="w-24", numeric=True)
        problems.label_for(f"financing.{name}")

    # --- computing and showing ----------------------------------------------------------

    async def run(self, kind: str) -> None:
        box, problems = self.results[kind], self.problems[kind]
        box.clear()
        if problems.local:  # an amount that cannot be read: shown beside it, nothing computed
            problems.show([])
            return
        data, found = FORM_DATA[kind](self.form)
        try:
            if found:
                raise ProjectError(found)
            result, kept = await run.io_bound(compute, kind, data, self.project)
        except ProjectError as e:
            problems.show(on_page(kind, e.problems, self.form))
            return
        problems.clear()
        with box:
            getattr(self, f"show_{kind}")(result, kept, lang())

    def show_caps(self, r: CapResult, kept: dict | None, lg: str) -> None:
        _grid(*caps_table(r, lg), "caps-table")
        for line in caps_lines(r, lg):
            ui.label(line).classes("text-body2")
        self.capped, self.kept = r, kept
        if kept is None:
            if r.possible and r.rounds:
                ui.label(tr("ui.options.caps.not_kept")).classes("text-caption").mark(
                    "caps-not-kept"
                )
            return
        if not self.may_edit():
            ui.label(tr("ui.options.read_only")).classes("text-caption").mark("caps-read-only")
            return
        ui.label(tr("ui.options.caps.apply_note")).classes("text-caption")
        self.apply_button = (
            ui.button(tr("ui.options.caps.apply"), icon="save", on_click=self.apply_caps)
            .props("no-caps")
            .mark("caps-apply")
        )

    def show_benefit(self, r: Any, _kept: None, lg: str) -> None:
        _grid(*benefit_table(r, lg), "benefit-table")
        for i, line in enumerate(benefit_lines(r, lg)):
            ui.label(line).classes("text-body2").mark(f"benefit-line-{i}")

    def show_financing(self, c: Any, _kept: None, lg: str) -> None:
        lines = financing_lines(c, lg)
        ui.label(lines[0]).classes("text-body2")
        _grid(*financing_table(c, lg), "financing-table")
        for line in lines[1:]:
            ui.label(line).classes("text-body2").mark("financing-prefinanced")
        ui.echart(financing_chart(c, lg)).classes("w-full").style("height: 300px").mark(
            "financing-chart"
        )

    def may_edit(self) -> bool:
        account = current()
        return account is not None and account.can("edit", self.editing.pid, self.editing.community)

    async def apply_caps(self) -> None:
        """The capped households' amounts become agreed amounts of the plan (a new version,
        after the voiding warning); a cancelled or refused save leaves the working copy as
        it was."""
        r, kept = self.capped, self.kept
        if r is None or kept is None:
            return
        before = copy.deepcopy(self.editing.data)
        sharing = self.editing.data.setdefault("sharing", {})
        sharing["fixed"] = list(sharing.get("fixed") or []) + [
            {
                "household": hid,
                "amount": format_yuan(amount, grouping=False),
                # stored in Chinese, as the sharing engine's own default reasons are
                "reason": t("ui.options.caps.reason", "zh", cap=format_yuan(r.caps[hid])),
            }
            for hid, amount in kept.items()
        ]
        working = self.editing.data
        saved = await self.editing.save(self.problems["caps"], lambda: ui.navigate.reload())
        if not saved:
            if self.editing.data is working:  # not replaced by someone else's newer save
                self.editing.data = before
            return
        self.kept = None
        self.project, self.invalid = validate(self.editing.data)  # what runs next computes on
        self.apply_button.set_visibility(False)
        with self.results["caps"]:
            ui.label(tr("ui.options.caps.saved")).classes("text-body2").mark("caps-saved")


def _noop() -> None:
    """The forms compute on the button, not on every keystroke."""


def page(pid: int) -> None:
    editor_page(pid, "options", OptionsPanel)
