"""Documents: the PDF cost table, signature sheet, comparison, XLSX workbook,
feasibility report and the project file, each made by the library's printers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from elevator.core.errors import ProjectError
from elevator.documents import pdf as printing
from elevator.documents import workbook
from elevator.model.io import dump_project_json, dump_project_yaml, parse_project
from elevator.plan.compare import compare
from elevator.plan.compose import shares as compute_shares
from elevator.sharing.schemes import SCHEMES
from ui.editing import load
from ui.theme import both, frame, lang, tr


def _cost_table(project: Any, lg: str) -> bytes:
    return printing.cost_table_pdf(project, compute_shares(project), lg)


def _signatures(project: Any, lg: str) -> bytes:
    return printing.signature_sheet_pdf(project, compute_shares(project), lg)


def _compare(project: Any, lg: str) -> bytes:
    return printing.compare_pdf(compare(project, list(SCHEMES)), lg)


# (key, zh, en, file name, media type, builder)
DOCUMENTS: list[tuple[str, str, str, str, str, Callable[[Any, str], bytes]]] = [
    (
        "cost-table",
        "费用分摊表（PDF，含签字页）",
        "Cost table (PDF, with signature pages)",
        "分摊表.pdf",
        "application/pdf",
        _cost_table,
    ),
    (
        "signatures",
        "签字确认表（PDF）",
        "Signature sheet (PDF)",
        "签字表.pdf",
        "application/pdf",
        _signatures,
    ),
    (
        "compare",
        "方案比较（PDF）",
        "Schemes compared (PDF)",
        "方案比较.pdf",
        "application/pdf",
        _compare,
    ),
    (
        "workbook",
        "工作簿（XLSX）",
        "Workbook (XLSX)",
        "分摊.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        workbook.project_workbook,
    ),
    (
        "feasibility",
        "可行性评估报告（PDF）",
        "Feasibility report (PDF)",
        "可行性报告.pdf",
        "application/pdf",
        lambda project, lg: printing.feasibility_pdf(project, lang=lg),
    ),
]


def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    with frame(record.name, pid, "documents"):
        errors = ui.column().classes("w-full gap-0")
        try:
            project = parse_project(record.data)
        except ProjectError as e:
            for p in e.problems:
                ui.label(f"⚠ {p.field}: {both(p.zh, p.en)}").classes("text-negative")
            return
        lg = lang()
        ui.label(
            tr(
                f"以下文件按已保存的版本 {record.version} 生成。",
                f"Documents are made from the saved version {record.version}.",
            )
        ).classes("text-caption")
        with ui.column().classes("w-full gap-2"):
            for key, zh, en, filename, media, build in DOCUMENTS:
                with ui.row().classes("w-full items-center gap-2"):
                    ui.button(
                        tr(zh, en),
                        icon="download",
                        on_click=_download(project, lg, build, filename, media, errors),
                    ).props("no-caps outline").classes("col-12 col-sm-auto").mark(f"doc-{key}")
            ui.separator()
            ui.button(
                tr("项目文件（YAML）", "Project file (YAML)"),
                icon="description",
                on_click=lambda: ui.download.content(
                    dump_project_yaml(project).encode("utf-8"),
                    f"project-{pid}.yaml",
                    "application/yaml",
                ),
            ).props("no-caps outline").mark("doc-yaml")
            ui.button(
                tr("项目文件（JSON）", "Project file (JSON)"),
                icon="data_object",
                on_click=lambda: ui.download.content(
                    dump_project_json(project).encode("utf-8"),
                    f"project-{pid}.json",
                    "application/json",
                ),
            ).props("no-caps outline").mark("doc-json")


def _download(
    project: Any,
    lg: str,
    build: Callable[[Any, str], bytes],
    filename: str,
    media: str,
    errors: ui.column,
) -> Callable:
    async def go() -> None:
        errors.clear()
        try:
            content = await run.io_bound(build, project, lg)
        except ProjectError as e:
            with errors:
                for p in e.problems:
                    ui.label(f"⚠ {p.field}: {both(p.zh, p.en)}").classes("text-negative")
            return
        ui.download.content(content, filename, media)

    return go
