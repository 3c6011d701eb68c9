"""Community: the evaluator's workspace for every stairwell of a community — counts per
verdict, every stairwell paged, sorted and filtered by verdict, reason and stage (words
from the catalogue), a row opening its stairwell's feasibility page, the community's
PDF and XLSX — then the stairwells' costs and the subsidy they need.

Two sources, shown apart: the stairwell projects kept in the app (their rows open the
project), and the community's own file under cases/communities (if any; its stairwells
are not projects of the app, so their rows open nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nicegui import run, ui

from elevator.core.errors import ProjectError
from elevator.core.money_text import format_yuan
from elevator.core.text import t
from elevator.documents.community_rows import (
    WorkRow,
    community_workbook,
    filter_rows,
    reason_options,
    stage_options,
    stage_words,
    verdict_options,
    work_rows,
)
from elevator.documents.file_names import download_name
from elevator.documents.tables import stairwell_cost_rows
from elevator.feasibility.checklist import VERDICTS
from elevator.model.io import parse_project
from elevator.model.site import STAGES
from elevator.plan import community as lib
from elevator.plan.compose import shares as compute_shares
from elevator.store.db import ROOT
from ui.state import store
from ui.theme import both, both_list, both_of, frame, lang, tr
from ui.views import table
from ui.widgets import data_table

PAGE_SIZES = [10, 20, 50, 0]  # 0: every row on one page
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class AppCommunity:
    """The app's stairwell projects of a community, checked (off the event loop)."""

    result: Any = None
    costs: list = field(default_factory=list)  # (record, ShareResult)
    problems: list = field(default_factory=list)  # (record, [Problem])


def check_app_projects(records: list) -> AppCommunity:
    out = AppCommunity()
    stairwells = []
    for r in records:
        try:
            project = parse_project(r.data)
            # where = "#<id>": the row's link back to its project
            stairwells.append(lib.stairwell_from_project(project, f"#{r.id}"))
            out.costs.append((r, compute_shares(project)))
        except ProjectError as e:
            out.problems.append((r, e.problems))
    if stairwells:
        out.result = lib.check_stairwells(stairwells, {"name": records[0].community})
    return out


def check_file(path: Any) -> Any:
    try:
        return lib.check_community(path)
    except ProjectError as e:
        return e


def project_link(where: str) -> str | None:
    """A stairwell read from an app project ("#12") opens that project's checklist."""
    if where.startswith("#") and where[1:].isdigit():
        return f"/project/{where[1:]}/feasibility"
    return None


def export_name(community: str, part: str, ext: str, lg: str) -> str:
    """The download's file name: the community's name, which stairwells, the document
    (elevator/documents/file_names.py: the rule of every download)."""
    word = t("files.community_summary", lg, part=t(part, lg))
    return download_name(community, word, ext, fallback="community")


async def page(name: str) -> None:
    """Guarded by ui.session.logged_in; a role on the community (or everywhere) is needed."""
    from ui.guard import refuse
    from ui.session import current

    account = current()
    if account is None or not account.sees_community(name):
        refuse(tr("ui.auth.no_role_title"))
        return
    record = store().community(name)
    projects = store().community_projects(name)
    with frame(tr("ui.community.title", name=name)):
        ui.link(tr("community.work.district"), "/district").mark("district-link")
        if record is None and not projects:
            ui.label(both("ui.community.missing", name=name)).classes("text-negative")
            return
        body = ui.column().classes("w-full gap-2")
        with body:
            ui.spinner().mark("community-loading")
        checked = await run.io_bound(check_app_projects, projects) if projects else None
        file = record.data.get("file") if record else None
        from_file = await run.io_bound(check_file, ROOT / file) if file else None
        body.clear()
        with body:
            ui.label(tr("ui.community.app_projects")).classes("text-subtitle1")
            if checked is None:
                ui.label(tr("ui.community.none")).classes("text-caption")
            else:
                app_projects(name, checked)
            if file:
                ui.separator()
                # the file's words, not its path in the repository (an identifier to readers)
                ui.label(tr("community.work.part_file")).classes("text-subtitle1")
                community_file(name, from_file)


def app_projects(name: str, checked: AppCommunity) -> None:
    for r, ps in checked.problems:
        ui.label(f"⚠ {r.name}: " + both_list(ps)).classes("text-negative")
    if checked.result is not None:
        Workspace(name, checked.result, "app", "community.work.part_app").build()
    if checked.costs:
        with ui.expansion(tr("community.work.costs")).classes("w-full").props("dense"):
            cols, data = table(
                *stairwell_cost_rows([(r.name, x) for r, x in checked.costs], lang())
            )
            costs = data_table(cols, data, "community-costs", wrap=False, pagination=10)
            costs.props["rows-per-page-options"] = PAGE_SIZES


def community_file(name: str, result: Any) -> None:
    if isinstance(result, ProjectError):
        for p in result.problems[:20]:
            ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative")
        return
    if result.illustrative:
        ui.label(tr("ui.community.illustrative")).classes("text-caption text-warning")
    Workspace(name, result, "file", "community.work.part_file").build()


class Workspace:
    """One source's stairwells: counts, filters, the paged table, exports, totals."""

    def __init__(self, community: str, result: Any, marker: str, part: str):
        self.community, self.result, self.marker, self.part = community, result, marker, part
        self.lg = lang()
        self.rows = work_rows(result, self.lg)
        self.chosen: dict[str, str | None] = {"verdict": None, "reason": None, "stage": None}
        self.selects: dict[str, ui.select] = {}

    def build(self) -> None:
        m = self.marker
        with ui.row().classes("w-full gap-2"):
            for v in VERDICTS:
                ui.label(
                    tr(
                        "ui.community.count",
                        verdict=tr(f"verdict.{v}"),
                        count=self.result.counts[v],
                    )
                ).classes("text-body2 q-px-sm bg-grey-2 rounded-borders").mark(f"{m}-count-{v}")
        self.filters()
        self.shown = ui.label("").classes("text-caption").mark(f"{m}-shown")
        self.table = data_table(self.columns(), [], f"{m}-stairwells", pagination=20)
        self.table.props["rows-per-page-options"] = PAGE_SIZES
        self.table.add_slot(
            "body-cell-name",
            '<q-td :props="props">'
            '<a v-if="props.row.link" :href="props.row.link" class="text-primary" @click.stop>'
            "{{ props.value }}</a><span v-else>{{ props.value }}</span></q-td>",
        )
        self.table.on("rowClick", self.open_row)
        self.show()
        self.exports()
        self.totals()

    def columns(self) -> list[dict[str, Any]]:
        def col(name: str, key: str, **extra: Any) -> dict[str, Any]:
            return {
                "name": name,
                "field": name,
                "label": t(key, self.lg),
                "align": "left",
                "sortable": True,
                **extra,
            }

        def by(order: str) -> str:
            # Quasar sorts in the browser: verdicts and stages in their own order, not A-Z
            return f"(a, b, rowA, rowB) => rowA.{order} - rowB.{order}"

        narrow = {"classes": "gt-xs", "headerClasses": "gt-xs"}  # hidden on a phone
        return [
            col("name", "community.work.col.stairwell"),
            col("verdict", "doc.community.col.verdict", **{":sort": by("verdict_order")}),
            col("reasons", "community.work.col.reasons", sortable=False),
            col("stage", "doc.community.col.stage", **{":sort": by("stage_order")}),
            col("households", "doc.community.col.households", align="right", **narrow),
        ]

    def filters(self) -> None:
        every = {"": tr("community.work.any")}
        choices = {
            "verdict": verdict_options(self.rows, self.lg),
            "reason": reason_options(self.rows, self.lg),
            "stage": stage_options(self.rows, self.lg),
        }
        with ui.row().classes("w-full gap-2 items-start"):
            for what, options in choices.items():
                self.selects[what] = (
                    ui.select(
                        {**every, **options},
                        value="",
                        label=tr(f"community.work.filter.{what}"),
                        on_change=lambda e, w=what: self.choose(w, e.value),
                    )
                    .props("dense options-dense")
                    .classes("col-12 col-sm-3")
                    .mark(f"{self.marker}-filter-{what}")
                )
            ui.button(tr("community.work.clear"), on_click=self.clear).props(
                "flat dense no-caps"
            ).mark(f"{self.marker}-filter-clear")

    def choose(self, what: str, value: str | None) -> None:
        self.chosen[what] = value or None
        self.show()

    def clear(self) -> None:
        for what, select in self.selects.items():
            self.chosen[what] = None
            select.set_value("")
        self.show()

    def row(self, r: WorkRow) -> dict[str, Any]:
        return {
            "_k": r.index,
            "name": r.name,
            "verdict": t(f"verdict.{r.verdict}", self.lg),
            "verdict_order": VERDICTS.index(r.verdict),
            "reasons": t("doc.sep.list", self.lg).join(w for _, w in r.reasons) or "—",
            "stage": stage_words(r.stage, self.lg),
            "stage_order": STAGES.index(r.stage) if r.stage in STAGES else len(STAGES),
            "households": r.households if r.households is not None else "—",
            "link": project_link(r.where),
        }

    def show(self) -> None:
        rows = filter_rows(self.rows, **self.chosen)
        self.table.rows = [self.row(r) for r in rows]
        self.table.update()
        self.shown.text = tr("community.work.shown", shown=len(rows), total=len(self.rows))

    def open_row(self, e: Any) -> None:
        args = e.args if isinstance(e.args, list) else []
        row = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
        if row.get("link"):
            ui.navigate.to(row["link"])

    def exports(self) -> None:
        with ui.row().classes("w-full gap-2"):
            ui.button(tr("community.work.pdf"), icon="picture_as_pdf", on_click=self.pdf).props(
                "no-caps outline"
            ).mark(f"{self.marker}-pdf")
            ui.button(tr("community.work.xlsx"), icon="table_view", on_click=self.xlsx).props(
                "no-caps outline"
            ).mark(f"{self.marker}-xlsx")

    async def pdf(self) -> None:
        from elevator.documents.pdf import community_feasibility_pdf

        data = await run.io_bound(community_feasibility_pdf, self.result, self.lg)
        if data is not None:
            name = export_name(self.community, self.part, "pdf", self.lg)
            ui.download.content(data, name, "application/pdf")

    async def xlsx(self) -> None:
        data = await run.io_bound(community_workbook, self.result, self.lg)
        if data is not None:
            ui.download.content(data, export_name(self.community, self.part, "xlsx", self.lg), XLSX)

    def totals(self) -> None:
        result = self.result
        ui.label(
            tr(
                "ui.community.totals",
                buildings=result.buildings,
                stairwells=len(result.rows),
                households=result.households,
            )
        ).classes("text-body2")
        for v in ("feasible", "conditional"):
            unknown = result.subsidy_unknown(v)
            ui.label(
                tr(
                    "ui.community.subsidy",
                    verdict=tr(f"verdict.{v}"),
                    amount=format_yuan(result.subsidy(v)),
                    unknown=tr("ui.community.subsidy_unknown", count=unknown) if unknown else "",
                )
            ).classes("text-body2")
        ui.label(
            tr(
                "ui.community.condition_cost",
                verdict=tr("verdict.conditional"),
                amount=format_yuan(result.condition_cost),
            )
        ).classes("text-body2")
