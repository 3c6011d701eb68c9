"""Building: the stairwell's facts — floors and households, costs, subsidies (prefilled
from a city policy with their confidence marks), contributions, compensation and
running costs.  Every change is validated at once; Save writes it in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from nicegui import ui

from elevator.core.errors import ProjectError
from elevator.core.money_text import format_yuan, parse_money_text
from elevator.core.text import t
from elevator.core.types import CONFIDENCE_MARK, confidence_mark
from elevator.documents.words import name_in, policy_choices, policy_name
from elevator.model.io import parse_project
from elevator.policy.parameters import load_policy
from elevator.sharing.engine import construction_cost
from elevator.sharing.schemes import SCHEMES
from ui.editing import EditorPanel, editor_page, version_label
from ui.theme import both, lang, tr
from ui.views import validate
from ui.widgets import get_in, money_field, set_in, text_field

# how a subsidy's amount is stated (the words are the catalogue's shape.*)
SHAPES = ("per_elevator", "percent", "per_stop", "per_household")


def page(pid: int) -> None:
    editor_page(pid, "building", BuildingForm)


class BuildingForm(EditorPanel):
    def build(self) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            version_label(self.editing)
            ui.button(tr("ui.building.save"), icon="save", on_click=self.save).props(
                "no-caps"
            ).mark("save")
            self.status = ui.label("").classes("text-caption").mark("status")
        self.problems.place_summary()
        self.form = ui.column().classes("w-full gap-3")
        self.rebuild()

    def rebuild(self) -> None:
        self.problems.labels.clear()
        self.problems.forget_local()
        self.form.clear()
        with self.form:
            self.basics()
            self.households()
            self.costs()
            self.funding()
            self.compensation()
            self.running()
        self.check()

    # --- helpers ----------------------------------------------------------------

    def check(self) -> None:
        """Validate the working copy; show every problem beside its field."""
        _, problems = validate(self.data)
        self.problems.show(problems)
        bad = problems or self.problems.local
        self.status.text = (
            tr("ui.building.status.errors") if bad else tr("ui.building.status.valid")
        )

    def field(
        self, path: tuple, label: str, width: str = "w-32", numeric: bool = False, hint: str = ""
    ) -> ui.input:
        return text_field(
            lambda: self.data,
            path,
            label,
            self.problems,
            self.check,
            width=width,
            numeric=numeric,
            hint=hint,
        )

    def money(self, path: tuple, label: str, width: str = "w-36") -> ui.input:
        return money_field(lambda: self.data, path, label, self.problems, self.check, width=width)

    def structural(self, change: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            change()
            self.rebuild()

        return run

    # --- sections -----------------------------------------------------------------

    def basics(self) -> None:
        with ui.card().classes("w-full"):
            ui.label(tr("ui.building.basics")).classes("text-subtitle1")
            with ui.row().classes("w-full gap-2"):
                self.field(("name",), tr("ui.building.name"), "col-12 col-sm-6")
                self.field(("community",), tr("ui.building.community"), "col-12 col-sm-5")
            with ui.row().classes("w-full gap-2 items-start"):
                self.field(("building", "name"), tr("ui.building.building"), "w-28")
                self.field(("building", "floors"), tr("ui.field.floors"), "w-20", numeric=True)
                self.field(
                    ("building", "stops"),
                    tr("ui.building.stops"),
                    "w-24",
                    numeric=True,
                    hint=tr("ui.building.stops_hint"),
                )
                policies = {"": "—", **policy_choices(lang())}
                with ui.column().classes("gap-0 w-36"):
                    ui.select(
                        policies,
                        value=self.data.get("policy", ""),
                        label=tr("ui.building.policy"),
                        on_change=lambda e: self.set_and_check(("policy",), e.value),
                    ).classes("w-full").mark("policy")
                    self.problems.label_for("policy")
                self.field(("date",), tr("ui.building.date"), "w-36", hint="YYYY-MM-DD")

    def set_and_check(self, path: tuple, value: Any) -> None:
        set_in(self.data, path, value)
        self.check()

    def households(self) -> None:
        hs = self.data["building"]["households"]
        with ui.card().classes("w-full"):
            ui.label(tr("ui.building.households", count=len(hs))).classes("text-subtitle1")
            self.problems.label_for("building.households")
            for i, h in enumerate(hs):
                base = ("building", "households", i)
                with ui.row().classes("w-full gap-2 items-start no-wrap-sm").mark(f"household-{i}"):
                    self.field(base + ("id",), tr("ui.field.room"), "w-20")
                    self.field(base + ("floor",), tr("ui.field.floor"), "w-16", numeric=True)
                    self.field(base + ("area_m2",), tr("ui.field.area"), "w-24", numeric=True)
                    ui.checkbox(
                        tr("ui.building.participates"),
                        value=h.get("participates", True),
                        on_change=lambda e, p=base + ("participates",): self.set_and_check(
                            p, bool(e.value)
                        ),
                    ).mark(f"participates-{i}")
                    self.field(base + ("owner",), tr("ui.building.owner"), "w-32")
                    ui.button(icon="delete", on_click=self.structural(lambda i=i: hs.pop(i))).props(
                        "flat dense round"
                    ).mark(f"remove-household-{i}")

            def add() -> None:
                last = hs[-1] if hs else {"floor": 1, "area_m2": "70"}
                floor = last.get("floor", 1)
                hs.append(
                    {
                        "id": f"{floor}{len([h for h in hs if h.get('floor') == floor]) + 1:02d}",
                        "floor": floor,
                        "area_m2": last.get("area_m2", "70"),
                    }
                )

            ui.button(
                tr("ui.building.add_household"), icon="add", on_click=self.structural(add)
            ).props("flat no-caps").mark("add-household")

    def costs(self) -> None:
        costs = self.data.setdefault("costs", {})
        with ui.card().classes("w-full"):
            ui.label(tr("ui.field.construction_cost")).classes("text-subtitle1")
            self.problems.label_for("costs")
            with ui.row().classes("w-full gap-2 items-start"):
                if not costs.get("items"):  # with items, the items state the total
                    self.money(("costs", "total"), tr("ui.building.total"))
                self.money(("costs", "fixed"), tr("ui.building.fixed"))
                self.money(("costs", "per_floor"), tr("ui.building.per_floor"))
            ui.label(tr("ui.building.costs_note")).classes("text-caption")
            self.cost_items(costs)

    def cost_items(self, costs: dict) -> None:
        """Add, remove and edit the cost items; the stated total follows their sum."""
        items = costs.get("items") or []
        ui.label(tr("change.costs.items")).classes("text-subtitle2")
        self.problems.label_for("costs.items")
        for i in range(len(items)):
            base = ("costs", "items", i)
            with ui.row().classes("w-full gap-2 items-start").mark(f"cost-item-{i}"):
                self.field(base + ("name",), tr("ui.building.cost_item"), "w-40")
                money_field(
                    lambda: self.data,
                    base + ("amount",),
                    tr("ui.building.cost_amount"),
                    self.problems,
                    self.items_changed,
                )
                ui.button(
                    icon="delete", on_click=self.structural(lambda i=i: self.remove_item(i))
                ).props("flat dense round").mark(f"remove-cost-item-{i}")
        self.items_total = ui.label("").classes("text-body2").mark("cost-items-total")
        self.show_items_total()
        ui.button(
            tr("change.costs.add"), icon="add", on_click=self.structural(self.add_item)
        ).props("flat no-caps").mark("add-cost-item")

    def add_item(self) -> None:
        costs = self.data.setdefault("costs", {})
        items = costs.setdefault("items", [])
        # the first item carries the cost as it stands, so adding it changes no amount
        first = _cost_now(self.data) if not items else None
        amount = format_yuan(first, grouping=False) if first is not None else "0"
        items.append({"name": tr("change.costs.new_item"), "amount": amount})
        self.follow_items()

    def remove_item(self, i: int) -> None:
        costs = self.data["costs"]
        before = _items_sum(costs["items"])
        costs["items"].pop(i)
        if costs["items"]:
            self.follow_items()
            return
        costs.pop("items")
        alone = costs.get("fixed") in (None, "") and not costs.get("ladder")
        if alone and costs.get("total") in (None, "") and before is not None:
            costs["total"] = format_yuan(before, grouping=False)  # the cost stays stated

    def items_changed(self) -> None:
        self.follow_items()
        self.show_items_total()
        self.check()

    def follow_items(self) -> None:
        """The stated total is the items' sum (when every amount can be read), so a save is
        never refused for a total left behind."""
        costs = self.data.get("costs") or {}
        total = _items_sum(costs.get("items") or [])
        # a project whose items alone state the cost keeps it that way
        if total is not None and costs.get("items") and "total" in costs:
            costs["total"] = format_yuan(total, grouping=False)

    def show_items_total(self) -> None:
        costs = self.data.get("costs") or {}
        total = _items_sum(costs.get("items") or [])
        shown = bool(costs.get("items")) and total is not None
        self.items_total.text = (
            tr("change.costs.total_from_items", amount=format_yuan(total)) if shown else ""
        )
        self.items_total.set_visibility(shown)

    def funding(self) -> None:
        funding = self.data.setdefault("funding", {})
        subsidies = funding.get("subsidies")
        with ui.card().classes("w-full"):
            ui.label(tr("ui.building.subsidies")).classes("text-subtitle1")
            self.problems.label_for("funding")
            self.problems.label_for("funding.subsidies")
            if subsidies is None:
                self.policy_subsidies()
            for i, s in enumerate(subsidies or []):
                self.subsidy_row(subsidies, i, s)
            with ui.row().classes("gap-2"):
                ui.button(
                    tr("ui.building.prefill"),
                    icon="policy",
                    on_click=self.prefill,
                ).props("flat no-caps").mark("prefill")
                ui.button(
                    tr("ui.building.add_subsidy"),
                    icon="add",
                    on_click=self.structural(
                        lambda: funding.setdefault("subsidies", []).append(
                            {"name": tr("ui.building.new_subsidy"), "per_elevator": "0"}
                        )
                    ),
                ).props("flat no-caps").mark("add-subsidy")
        contributions = funding.setdefault("contributions", [])
        with ui.card().classes("w-full"):
            ui.label(tr("ui.building.contributions")).classes("text-subtitle1")
            for i, c in enumerate(contributions):
                base = ("funding", "contributions", i)
                with ui.row().classes("gap-2 items-start"):
                    self.field(base + ("name",), tr("ui.building.item_name"), "w-48")
                    self.money(base + ("amount",), tr("ui.building.amount_yuan"))
                    ui.button(
                        icon="delete", on_click=self.structural(lambda i=i: contributions.pop(i))
                    ).props("flat dense round")
            ui.button(
                tr("ui.building.add_contribution"),
                icon="add",
                on_click=self.structural(
                    lambda: contributions.append(
                        {"name": tr("ui.building.new_contribution"), "amount": "0"}
                    )
                ),
            ).props("flat no-caps").mark("add-contribution")

    def policy_subsidies(self) -> None:
        policy = self.data.get("policy")
        if not policy:
            ui.label(tr("ui.building.no_policy")).classes("text-caption")
            return
        subs = self.subsidies_of(policy)
        if subs is None:
            return
        ui.label(tr("ui.building.policy_subsidies", policy=policy_name(policy, lang()))).classes(
            "text-body2"
        )
        for s in subs:
            shape = next(k for k in SHAPES if getattr(s, k) is not None)
            ui.label(
                tr(
                    "ui.building.policy_subsidy",
                    mark=confidence_mark(s.confidence),
                    name=name_in(s.name, lang()),
                    shape=tr(f"shape.{shape}"),
                    value=getattr(s, shape)
                    if shape == "percent"
                    else format_yuan(getattr(s, shape)),
                    cap=f" ≤ {format_yuan(s.cap)}" if s.cap is not None else "",
                    confidence=_conf_text(s.confidence),
                )
            ).classes("text-caption")

    def subsidies_of(self, policy: str) -> list | None:
        """The policy's subsidies at the project's date, or None with the problems shown."""
        try:
            return load_policy(policy).subsidies_at(_date(self.data))
        except ProjectError as e:
            self.problems.show(e.problems)
            return None

    def subsidy_row(self, subsidies: list, i: int, s: dict) -> None:
        base = ("funding", "subsidies", i)
        shape = next((k for k in SHAPES if k in s), "per_elevator")
        with ui.column().classes("w-full gap-0"):
            with ui.row().classes("w-full gap-2 items-start"):
                self.field(base + ("name",), tr("ui.building.item_name"), "w-48")
                ui.select(
                    {k: tr(f"shape.{k}") for k in SHAPES},
                    value=shape,
                    on_change=lambda e, s=s: self.reshape(s, e.value),
                ).classes("w-40").props("dense")
                if shape == "percent":
                    self.field(base + (shape,), tr("ui.building.value"), "w-28", numeric=True)
                    self.money(base + ("cap",), tr("ui.building.cap"))
                else:
                    self.money(base + (shape,), tr("ui.building.value"))
                ui.button(
                    icon="delete", on_click=self.structural(lambda i=i: subsidies.pop(i))
                ).props("flat dense round").mark(f"remove-subsidy-{i}")
            ref = s.get("reference")
            title = ref.get("title") if isinstance(ref, dict) else ref
            note = " ".join(
                x
                for x in (
                    confidence_mark(s.get("confidence")),
                    _conf_text(s.get("confidence")) if s.get("confidence") else "",
                    title or tr("ui.building.no_source"),
                )
                if x
            )
            ui.label(note).classes("text-caption text-grey-8").mark(f"subsidy-source-{i}")

    def reshape(self, s: dict, shape: str) -> None:
        value = next((s.pop(k) for k in SHAPES if k in s), "0")
        if shape != "percent":
            s.pop("cap", None)
        s[shape] = value
        self.rebuild()

    def prefill(self) -> None:
        policy = self.data.get("policy")
        if not policy:
            ui.notify(both("ui.building.choose_policy"), type="warning")
            return
        subs = self.subsidies_of(policy)
        if subs is None:
            return
        self.data.setdefault("funding", {})["subsidies"] = [
            s.model_dump(mode="json", exclude_none=True) for s in subs
        ]
        self.rebuild()
        words = [
            t("ui.building.prefilled", lg, policy=policy_name(policy, lg), count=len(subs))
            for lg in ("zh", "en")
        ]
        ui.notify(" / ".join(words), type="info")

    def compensation(self) -> None:
        comps = self.data.setdefault("compensation", [])
        with ui.card().classes("w-full"):
            ui.label(tr("ui.building.compensation")).classes("text-subtitle1")
            for i, c in enumerate(comps):
                base = ("compensation", i)
                target = "floor" if "floor" in c else "household"
                with ui.row().classes("gap-2 items-start"):
                    ui.select(
                        {
                            "floor": tr("ui.building.to_floor"),
                            "household": tr("ui.building.to_household"),
                        },
                        value=target,
                        on_change=lambda e, c=c: self.retarget(c, e.value),
                    ).classes("w-28").props("dense")
                    self.field(base + (target,), tr("ui.building.target"), "w-24")
                    self.money(base + ("per_household",), tr("ui.building.per_household"))
                    self.field(base + ("reason",), tr("ui.building.reason"), "w-48")
                    ui.button(
                        icon="delete", on_click=self.structural(lambda i=i: comps.pop(i))
                    ).props("flat dense round")
            ui.button(
                tr("ui.building.add_compensation"),
                icon="add",
                on_click=self.structural(lambda: comps.append({"floor": 1, "per_household": "0"})),
            ).props("flat no-caps").mark("add-compensation")

    def retarget(self, c: dict, target: str) -> None:
        value = c.pop("floor", None) or c.pop("household", None) or ""
        c[target] = value
        self.rebuild()

    def running(self) -> None:
        rc = self.data.get("running_costs")
        with ui.card().classes("w-full"):
            ui.label(tr("ui.field.running_costs")).classes("text-subtitle1")
            if rc is None:
                ui.button(
                    tr("ui.building.add_running"),
                    icon="add",
                    on_click=self.structural(
                        lambda: self.data.__setitem__(
                            "running_costs",
                            {
                                "annual": [{"name": tr("ui.building.new_running"), "amount": "0"}],
                                "scheme": "same",
                                "years": 15,
                            },
                        )
                    ),
                ).props("flat no-caps").mark("add-running")
                return
            for i, item in enumerate(rc["annual"]):
                base = ("running_costs", "annual", i)
                with ui.row().classes("gap-2 items-start"):
                    self.field(base + ("name",), tr("ui.building.running_item"), "w-40")
                    self.money(base + ("amount",), tr("ui.building.per_year"))
                    ui.button(
                        icon="delete", on_click=self.structural(lambda i=i: rc["annual"].pop(i))
                    ).props("flat dense round")
            with ui.row().classes("gap-2 items-start"):
                ui.select(
                    {
                        "same": tr("ui.building.same_scheme"),
                        **{k: tr(f"scheme.{k}") for k in SCHEMES},
                    },
                    value=rc.get("scheme", "same"),
                    label=tr("ui.field.scheme"),
                    on_change=lambda e: self.set_and_check(("running_costs", "scheme"), e.value),
                ).classes("w-48")
                self.field(
                    ("running_costs", "years"), tr("ui.building.years"), "w-20", numeric=True
                )
                ui.button(
                    tr("ui.building.add_item"),
                    icon="add",
                    on_click=self.structural(
                        lambda: rc["annual"].append({"name": "", "amount": "0"})
                    ),
                ).props("flat no-caps")
                ui.button(
                    tr("ui.building.remove_running"),
                    icon="delete",
                    on_click=self.structural(lambda: self.data.pop("running_costs", None)),
                ).props("flat no-caps")

    async def save(self) -> None:
        await self.editing.save(self.problems, self.rebuild)
        self.check()


def _date(data: dict) -> dt.date:
    try:
        return dt.date.fromisoformat(str(get_in(data, ("date",)) or ""))
    except ValueError:
        return dt.date.today()


def _cost_now(data: dict) -> Fraction | None:
    """The construction cost the engine reads from the data now (None if it cannot)."""
    try:
        return construction_cost(parse_project(data))[0]
    except ProjectError:
        return None


def _items_sum(items: list) -> Fraction | None:
    """The cost items' sum, None while an amount cannot be read."""
    try:
        return sum(
            (parse_money_text(str(i.get("amount", ""))) for i in items if isinstance(i, dict)),
            Fraction(0),
        )
    except ProjectError:
        return None


def _conf_text(confidence: str | None) -> str:
    """The words of a confidence mark ("" for none)."""
    return tr(f"confidence.{confidence}") if confidence in CONFIDENCE_MARK else ""
