"""Negotiation: the floor coefficients that meet what the households agreed, as a page.

The same solver as `elevator negotiate` (elevator.plan.negotiate.solve): the mediator
writes the agreed sentences as rows (floor, relation, amount), the page validates each
row beside it in both languages, and shows what every floor's household pays, the spread,
each agreement checked, or which agreements cannot hold together.  With the edit right
the result becomes the project's sharing (floor coefficients and compensation) through
the usual safe save.
"""

from __future__ import annotations

from typing import Any

from nicegui import run, ui
from pydantic import ValidationError

from elevator.core.errors import Problem, ProjectError, problems_from_validation
from elevator.core.money_text import format_yuan, parse_money_text
from elevator.core.text import Msg
from elevator.model.io import project_to_data
from elevator.plan.negotiate import (
    RELATIONS,
    Constraint,
    Negotiation,
    constraint_label,
    description,
    solve,
)
from ui.editing import Editing, editor_page
from ui.session import current
from ui.theme import lang, tr
from ui.views import table, validate
from ui.widgets import Problems, data_table

# relations that compare with another floor (the row's "other floor" and "times")
TIMES = ("at_most_times", "at_least_times")
# relations whose amount is money (or "5%" of the amount shared)
AMOUNTS = ("pays_at_most", "pays_at_least", "pays")


def _whole(text: str, field: str, problems: list[Problem]) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        problems.append(Problem(field, Msg("error.pydantic.int_type")))
        return None


def _money(text: str, field: str, problems: list[Problem]) -> Any:
    """ "5%" stays a percent of the amount; anything else is yuan as people write it."""
    text = (text or "").strip()
    if text.endswith("%"):
        return text
    try:
        return parse_money_text(text, field=field)
    except ProjectError as e:
        problems.extend(e.problems)
        return None


def row_data(row: dict[str, str], i: int, problems: list[Problem]) -> dict[str, Any]:
    """One form row → the constraint as the CLI's file writes it."""
    where = f"constraints[{i}]"
    rel = row.get("relation") or AMOUNTS[0]
    data: dict[str, Any] = {"id": f"#{i + 1}"}
    floor = _whole(row.get("floor", ""), f"{where}.floor", problems)
    if floor is not None:
        data["floor"] = floor
    value = (row.get("value") or "").strip()
    if rel in AMOUNTS or rel == "receives":
        data[rel] = _money(value, f"{where}.{rel}", problems)
    elif rel in TIMES:
        other = _whole(row.get("other", ""), f"{where}.{rel}.floor", problems)
        data[rel] = {"floor": other, "factor": value or None}
    else:  # rise_from_below: a percent
        data[rel] = value if value.endswith("%") else (f"{value}%" if value else None)
    return data


def constraints_of(rows: list[dict[str, str]]) -> list[Constraint]:
    """The form's rows as validated constraints; every problem at once, each on its row."""
    problems: list[Problem] = []
    out: list[Constraint] = []
    for i, row in enumerate(rows):
        found: list[Problem] = []
        data = row_data(row, i, found)
        if found:
            problems += found
            continue
        try:
            out.append(Constraint.model_validate(data))
        except ValidationError as e:
            problems += problems_from_validation(e, prefix=f"constraints[{i}]")
    if not rows:
        problems.append(Problem("constraints", Msg("ui.negotiate.none")))
    if problems:
        raise ProjectError(problems)
    return out


def result_table(n: Negotiation, lg: str) -> tuple[list[dict], list[dict]]:
    """Floor, what one household there pays (yuan, thousands separated), coefficient ≈."""
    from elevator.core.text import t

    headers = [t(f"cli.negotiate.col.{k}", lg) for k in ("floor", "pays", "approx")]
    rows = [
        [
            t("ui.sharing.floor", lg, floor=f),
            format_yuan(n.pays[f]) if f in n.pays else "—",
            f"{float(n.coefficients[f]):.4f}",
        ]
        for f in sorted(n.coefficients)
    ]
    return table(headers, rows)


def result_lines(n: Negotiation, lg: str) -> list[str]:
    """The result in words: the spread, each agreement checked, the fairness checks; or the
    agreements that cannot hold together."""
    from elevator.core.text import t

    if not n.solved:
        return [t("cli.negotiate.conflict", lg)] + [
            f"{constraint_label(n.constraints[i], i)}: {description(n.constraints[i]).text(lg)}"
            for i in n.conflict
        ]
    spread = t("negotiate.amount.yuan", lg, amount=format_yuan(n.spread))
    lines = [t("ui.negotiate.spread", lg, amount=spread)]
    for c in n.checks:
        ok = t("cli.negotiate.holds" if c.holds else "cli.negotiate.fails", lg)
        note = "" if c.holds_rounded else t("cli.negotiate.rounded_note", lg)
        lines.append(f"{c.label}: {c.words.text(lg)} — {ok}{note}")
    fair = n.fairness
    if fair is not None:
        lines += [v.zh if lg == "zh" else v.en for v in fair.violations]
        if not fair.violations:
            lines.append(t("cli.negotiate.fair", lg))
    return lines


class NegotiatePanel:
    def __init__(self, editing: Editing):
        self.editing = editing
        self.problems = Problems()
        self.rows: list[dict[str, str]] = [{"relation": AMOUNTS[0]}]
        self.solution: Negotiation | None = None

    def build(self) -> None:
        ui.label(tr("ui.negotiate.title")).classes("text-subtitle1")
        ui.label(tr("ui.negotiate.note")).classes("text-caption")
        self.box = ui.column().classes("w-full gap-2")
        self.form()
        self.problems.label_for("constraints")
        self.problems.label_for("building")
        with ui.row().classes("gap-2"):
            ui.button(tr("ui.negotiate.add"), icon="add", on_click=self.add).props(
                "outline no-caps dense"
            ).mark("negotiate-add")
            ui.button(tr("ui.negotiate.run"), icon="calculate", on_click=self.run).props(
                "no-caps"
            ).mark("negotiate-run")
        self.result = ui.column().classes("w-full gap-1").mark("negotiate-result")

    def form(self) -> None:
        """The rows, drawn again whenever one is added, removed or changes its relation."""
        self.box.clear()
        for label in [k for k in self.problems.labels if k.startswith("constraints[")]:
            del self.problems.labels[label]
        with self.box:
            self.rows_ui()

    def rows_ui(self) -> None:
        relations = {r: tr(f"ui.negotiate.relation.{r}") for r in RELATIONS}
        for i, row in enumerate(self.rows):
            with ui.card().classes("w-full q-pa-sm").mark(f"c{i}"):
                with ui.row().classes("w-full gap-2 items-end wrap"):
                    ui.label(f"#{i + 1}").classes("text-body2")
                    ui.select(
                        relations,
                        value=row.get("relation", AMOUNTS[0]),
                        label=tr("ui.negotiate.relation"),
                        on_change=lambda e, r=row: self.relation_changed(r, e.value),
                    ).props("dense").classes("w-52 max-w-full").mark(f"c{i}-relation")
                    self.field(row, "floor", tr("ui.negotiate.floor"), f"c{i}-floor", "w-16")
                    if row.get("relation") in TIMES:
                        self.field(row, "other", tr("ui.negotiate.other"), f"c{i}-other", "w-20")
                    self.field(row, "value", self.value_label(row), f"c{i}-value", "w-32")
                    ui.button(icon="close", on_click=lambda i=i: self.remove(i)).props(
                        "flat dense round"
                    ).mark(f"c{i}-remove")
                self.problems.label_for(f"constraints[{i}]")

    @staticmethod
    def value_label(row: dict[str, str]) -> str:
        rel = row.get("relation") or AMOUNTS[0]
        key = "times" if rel in TIMES else "percent" if rel == "rise_from_below" else "amount"
        return tr(f"ui.negotiate.value.{key}")

    @staticmethod
    def field(row: dict[str, str], key: str, label: str, marker: str, width: str) -> None:
        ui.input(
            label,
            value=row.get(key, ""),
            on_change=lambda e: row.__setitem__(key, e.value or ""),
        ).props("dense").classes(width).mark(marker)

    def relation_changed(self, row: dict[str, str], value: str) -> None:
        row["relation"] = value
        self.form()

    def add(self) -> None:
        self.rows.append({"relation": AMOUNTS[0]})
        self.form()

    def remove(self, i: int) -> None:
        del self.rows[i]
        self.form()

    async def run(self) -> None:
        self.result.clear()
        project, found = validate(self.editing.data)
        try:
            if found:
                raise ProjectError(found)
            constraints = constraints_of(self.rows)
            n = await run.io_bound(solve, project, constraints)
        except ProjectError as e:
            self.problems.show(e.problems)
            return
        self.problems.clear()
        self.solution = n
        self.show(n)

    def show(self, n: Negotiation) -> None:
        lg = lang()
        with self.result:
            if n.solved:
                columns, rows = result_table(n, lg)
                data_table(columns, rows, "negotiate-table", wrap=False, per_page=0)
            for line in result_lines(n, lg):
                ui.label(line).classes("text-body2")
            if n.solved and self.may_edit():
                ui.button(tr("ui.negotiate.apply"), icon="save", on_click=self.apply).props(
                    "no-caps"
                ).mark("negotiate-apply")

    def may_edit(self) -> bool:
        account = current()
        return account is not None and account.can("edit", self.editing.pid, self.editing.community)

    async def apply(self) -> None:
        """The solved sharing and compensation become the project's (a new version)."""
        n = self.solution
        if n is None or n.project is None:
            return
        solved = project_to_data(n.project)
        self.editing.data["sharing"] = solved["sharing"]
        self.editing.data["compensation"] = solved.get("compensation", [])
        await self.editing.save(self.problems, lambda: ui.navigate.reload())


def page(pid: int) -> None:
    editor_page(pid, "compare", NegotiatePanel)
