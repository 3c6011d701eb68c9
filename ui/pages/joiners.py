"""Late joiners: what a household that joins after the others pays in, and what each of
the others gets back, as a page — the same computation as `elevator join`
(elevator.plan.join.late_join).  With the edit right the household is then entered as
taking part, through the usual safe save.
"""

from __future__ import annotations

from nicegui import run, ui

from elevator.core.errors import Problem, ProjectError
from elevator.core.money_text import format_yuan
from elevator.core.text import Msg, t
from elevator.plan.join import JoinResult, late_join
from ui.editing import Editing, editor_page
from ui.session import current
from ui.theme import lang, tr
from ui.views import table, validate
from ui.widgets import Problems, data_table

# the library names the command's options; the page's fields carry these names
FIELDS = {"--household": "household", "--rate": "rate", "--years": "years"}


def on_page(problems: list[Problem]) -> list[Problem]:
    """The library's problems with the page's field names (not the CLI's options)."""
    return [Problem(FIELDS.get(p.field, p.field), p.message) for p in problems]


def years_of(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ProjectError([Problem("years", Msg("error.pydantic.int_type"))]) from None


def join_table(r: JoinResult, lg: str) -> tuple[list[dict], list[dict]]:
    """Each household: paid, recomputed share, refund, final — yuan, thousands separated."""
    old, new = r.old.by_id(), r.new.by_id()
    headers = [t("doc.col.room", lg)] + [
        t(f"cli.join.col.{k}", lg) for k in ("paid", "recomputed", "refund", "final")
    ]
    rows = [
        [
            h.id,
            format_yuan(old[h.id].share),
            format_yuan(new[h.id].share),
            format_yuan(r.refunds[h.id]) if h.id in r.refunds else "—",
            format_yuan(r.final[h.id]),
        ]
        for h in r.old.households
    ]
    return table(headers, rows)


def join_lines(r: JoinResult, lg: str) -> list[str]:
    """The buy-in in words (and indexed, when a rate was given), then the warnings."""
    line = t("ui.joiners.buy_in", lg, household=r.household, amount=format_yuan(r.buy_in))
    if r.years:
        line += t(
            "cli.join.indexed",
            lg,
            rate=f"{float(r.rate) * 100:g}%",
            years=r.years,
            amount=format_yuan(r.buy_in_indexed),
        )
    return [line] + [w.text(lg) for w in r.warnings]


class JoinPanel:
    def __init__(self, editing: Editing):
        self.editing = editing
        self.problems = Problems()
        self.outcome: JoinResult | None = None

    def outside(self) -> list[str]:
        households = self.editing.data.get("building", {}).get("households", [])
        return [h["id"] for h in households if h.get("participates") is False]

    def build(self) -> None:
        ui.label(tr("ui.joiners.title")).classes("text-subtitle1")
        ui.label(tr("ui.joiners.note")).classes("text-caption")
        outside = self.outside()
        if not outside:
            ui.label(tr("ui.joiners.nobody")).classes("text-body2").mark("joiners-nobody")
            return
        with ui.row().classes("w-full gap-2 items-start wrap"):
            with ui.column().classes("gap-0"):
                self.household = (
                    ui.select(outside, value=outside[0], label=tr("ui.joiners.household"))
                    .props("dense")
                    .classes("w-32")
                    .mark("joiners-household")
                )
                self.problems.label_for("household")
            with ui.column().classes("gap-0"):
                self.rate = (
                    ui.input(tr("ui.joiners.rate"), placeholder="3%")
                    .props("dense")
                    .classes("w-28")
                    .mark("joiners-rate")
                )
                self.problems.label_for("rate")
            with ui.column().classes("gap-0"):
                self.years = (
                    ui.input(tr("ui.joiners.years"))
                    .props("dense inputmode=numeric")
                    .classes("w-28")
                    .mark("joiners-years")
                )
                self.problems.label_for("years")
        self.problems.label_for("funding")
        self.problems.label_for("building")
        ui.button(tr("ui.joiners.run"), icon="calculate", on_click=self.run).props("no-caps").mark(
            "joiners-run"
        )
        self.result = ui.column().classes("w-full gap-1").mark("joiners-result")

    async def run(self) -> None:
        self.result.clear()
        project, found = validate(self.editing.data)
        try:
            if found:
                raise ProjectError(found)
            years = years_of(self.years.value)
            rate = (self.rate.value or "").strip() or None
            r = await run.io_bound(late_join, project, self.household.value, rate, years)
        except ProjectError as e:
            self.problems.show(on_page(e.problems))
            return
        self.problems.clear()
        self.outcome = r
        lg = lang()
        with self.result:
            columns, rows = join_table(r, lg)
            data_table(columns, rows, "joiners-table", wrap=False, per_page=0)
            for line in join_lines(r, lg):
                ui.label(line).classes("text-body2")
            if self.may_edit():
                ui.button(
                    tr("ui.joiners.apply", household=r.household), icon="save", on_click=self.apply
                ).props("no-caps").mark("joiners-apply")

    def may_edit(self) -> bool:
        account = current()
        return account is not None and account.can("edit", self.editing.pid, self.editing.community)

    async def apply(self) -> None:
        """The household takes part from now on (the buy-in is settled outside the plan)."""
        if self.outcome is None:
            return
        for h in self.editing.data["building"]["households"]:
            if h["id"] == self.outcome.household:
                h["participates"] = True
        await self.editing.save(self.problems, lambda: ui.navigate.reload())


def page(pid: int) -> None:
    editor_page(pid, "compare", JoinPanel)
