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
from elevator.feasibility.checklist import VERDICT_LABELS, VERDICTS
from elevator.model.io import parse_project
from elevator.plan import community as lib
from elevator.plan.compose import shares as compute_shares
from elevator.store.db import ROOT
from ui.state import store
from ui.theme import both, frame, lang, tr
from ui.views import table


def page(name: str) -> None:
    record = store().community(name)
    projects = store().community_projects(name)
    with frame(tr(f"小区：{name}", f"Community: {name}")):
        if record is None and not projects:
            ui.label(both(f"找不到小区 {name}", f"no community {name}")).classes("text-negative")
            return
        ui.label(tr("本应用中的楼栋项目", "Stairwell projects in the app")).classes(
            "text-subtitle1"
        )
        app_projects(projects)
        file = record.data.get("file") if record else None
        if file:
            ui.separator()
            ui.label(tr(f"小区资料文件：{file}", f"Community file: {file}")).classes(
                "text-subtitle1"
            )
            community_file(ROOT / file)


def app_projects(records: list) -> None:
    if not records:
        ui.label(tr("暂无", "none yet")).classes("text-caption")
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
        ui.label(f"⚠ {r.name}: " + "；".join(both(p.zh, p.en) for p in ps)).classes("text-negative")
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
            ui.label(f"⚠ {p.field}: {both(p.zh, p.en)}").classes("text-negative")
        return
    if result.illustrative:
        ui.label(
            tr(
                "【示例数据】各楼栋资料为示意，并非实测。",
                "[ILLUSTRATIVE] per-building facts are invented, not measured.",
            )
        ).classes("text-caption text-warning")
    summary(result)


def summary(result: Any) -> None:
    lg = lang()
    i = 0 if lg == "zh" else 1
    with ui.row().classes("w-full gap-2"):
        for v in VERDICTS:
            ui.label(f"{VERDICT_LABELS[v][i]}：{result.counts[v]}").classes(
                "text-body2 q-px-sm bg-grey-2 rounded-borders"
            ).mark(f"count-{v}")
    ui.label(
        tr(
            f"楼栋 {result.buildings}，单元（电梯）{len(result.rows)}，户数 {result.households}",
            f"{result.buildings} buildings, {len(result.rows)} stairwells (elevators), "
            f"{result.households} households",
        )
    ).classes("text-body2")
    for v in ("feasible", "conditional"):
        unknown = result.subsidy_unknown(v)
        ui.label(
            tr(
                f"{VERDICT_LABELS[v][0]}单元所需补贴合计 {money_str(result.subsidy(v))} 元"
                + (f"（{unknown} 个缺造价未计）" if unknown else ""),
                f"subsidy the {VERDICT_LABELS[v][1]} stairwells need: "
                f"{money_str(result.subsidy(v))} yuan"
                + (f" ({unknown} without a cost)" if unknown else ""),
            )
        ).classes("text-body2")
    ui.label(
        tr(
            f"有条件可行单元的条件费用合计 {money_str(result.condition_cost)} 元",
            f"condition cost of the conditional stairwells: {money_str(result.condition_cost)} yuan",
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
                "text": tr("各结论单元数", "Stairwells by verdict"),
                "textStyle": {"fontSize": 13},
            },
            "xAxis": {"type": "category", "data": [VERDICT_LABELS[v][i] for v in VERDICTS]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "data": [result.counts[v] for v in VERDICTS]}],
        }
    ).classes("w-full h-56").mark("community-chart")
    ui.label(tr("阶段：", "Stages: ") + "，".join(f"{k} {n}" for k, n in stages.items())).classes(
        "text-caption"
    )
