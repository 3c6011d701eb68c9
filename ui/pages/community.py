"""Community: the summary of its stairwells — verdicts, progress (stage), costs and the
subsidy they need — with a chart.  Two sources, shown apart: the stairwell projects
kept in the app, and the community's own file under cases/communities (if any)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from nicegui import ui

from elevator.core.errors import ProjectError
from elevator.core.money import money_str
from elevator.documents.community import summary_rows
from elevator.documents.tables import stairwell_cost_rows
from elevator.feasibility.checklist import VERDICTS
from elevator.model.io import parse_project
from elevator.plan import community as lib
from elevator.plan.compose import shares as compute_shares
from elevator.store.db import ROOT
from ui.state import store
from ui.theme import both, both_list, both_of, frame, lang, tr
from ui.views import table


def page(name: str) -> None:
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
        if record is None and not projects:
            ui.label(both("ui.community.missing", name=name)).classes("text-negative")
            return
        ui.label(tr("ui.community.app_projects")).classes("text-subtitle1")
        app_projects(projects)
        file = record.data.get("file") if record else None
        if file:
            ui.separator()
            ui.label(tr("ui.community.file", file=file)).classes("text-subtitle1")
            community_file(ROOT / file)


def app_projects(records: list) -> None:
    if not records:
        ui.label(tr("ui.community.none")).classes("text-caption")
        return
    stairwells, costs, problems = [], [], []
    for r in records:
        try:
            project = parse_project(r.data)
            stairwells.append(lib.stairwell_from_project(project, f"#{r.id}"))
            result = compute_shares(project)
            costs.append((r, result))
        except ProjectError as e:
            problems.append((r, e.problems))
    for r, ps in problems:
        ui.label(f"⚠ {r.name}: " + both_list(ps)).classes("text-negative")
    if stairwells:
        summary(lib.check_stairwells(stairwells, {"name": records[0].community}))
    if costs:
        cols, data = table(*stairwell_cost_rows([(r.name, x) for r, x in costs], lang()))
        t = (
            ui.table(columns=cols, rows=data, row_key="_k")
            .props("dense flat bordered")
            .classes("w-full")
            .mark("community-costs")
        )
        t.props["pagination"] = {"rowsPerPage": 0}
        with ui.row().classes("gap-2"):
            for r, _ in costs:
                ui.button(
                    r.name, on_click=lambda pid=r.id: ui.navigate.to(f"/project/{pid}/sharing")
                ).props("flat dense no-caps")


def community_file(path: Any) -> None:
    try:
        result = lib.check_community(path)
    except ProjectError as e:
        for p in e.problems[:20]:
            ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative")
        return
    if result.illustrative:
        ui.label(tr("ui.community.illustrative")).classes("text-caption text-warning")
    summary(result)


def summary(result: Any) -> None:
    lg = lang()
    with ui.row().classes("w-full gap-2"):
        for v in VERDICTS:
            ui.label(
                tr("ui.community.count", verdict=tr(f"verdict.{v}"), count=result.counts[v])
            ).classes("text-body2 q-px-sm bg-grey-2 rounded-borders").mark(f"count-{v}")
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
                amount=money_str(result.subsidy(v)),
                unknown=tr("ui.community.subsidy_unknown", count=unknown) if unknown else "",
            )
        ).classes("text-body2")
    ui.label(
        tr(
            "ui.community.condition_cost",
            verdict=tr("verdict.conditional"),
            amount=money_str(result.condition_cost),
        )
    ).classes("text-body2")
    cols, rows = table(*summary_rows(result, lg))
    t = (
        ui.table(columns=cols, rows=rows, row_key="_k")
        .props("dense flat bordered wrap-cells")
        .classes("w-full")
        .mark("community-summary")
    )
    t.props["pagination"] = {"rowsPerPage": 10}
    stages = Counter(r.stairwell.stage or "—" for r in result.rows)
    ui.echart(
        {
            "tooltip": {},
            "grid": {"left": 40, "right": 10, "top": 30, "bottom": 30},
            "title": {
                "text": tr("ui.community.chart"),
                "textStyle": {"fontSize": 13},
            },
            "xAxis": {"type": "category", "data": [tr(f"verdict.{v}") for v in VERDICTS]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "data": [result.counts[v] for v in VERDICTS]}],
        }
    ).classes("w-full h-56").mark("community-chart")
    listed = tr("ui.community.stage_sep").join(f"{k} {n}" for k, n in stages.items())
    ui.label(tr("ui.community.stages", stages=listed)).classes("text-caption")
