"""Documents: the PDF cost table, signature sheet, comparison, XLSX workbook,
feasibility report and the project file, each made by the library's printers.

Every file is named for its project ("兴发小区 3栋 1单元-分摊表.pdf", the one rule of
elevator/documents/file_names.py): a folder of downloads from several stairwells stays
readable.  The buttons stack full width, so the page is never wider than a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from elevator.core.errors import ProjectError
from elevator.core.text import t
from elevator.documents.file_names import download_name
from elevator.model.io import dump_project_json, dump_project_yaml, parse_project
from elevator.plan.compare import compare
from elevator.plan.compose import shares as compute_shares
from elevator.sharing.schemes import SCHEMES
from ui.editing import load
from ui.theme import both_of, frame, lang, tr


def printing() -> Any:
    """The PDF printer, imported when a PDF is asked for: fpdf and its fonts take ~30 MB
    that an app process serving other pages does not need."""
    from elevator.documents import pdf

    return pdf


def _cost_table(project: Any, lg: str) -> bytes:
    return printing().cost_table_pdf(project, compute_shares(project), lg)


def _signatures(project: Any, lg: str) -> bytes:
    return printing().signature_sheet_pdf(project, compute_shares(project), lg)


def _workbook(project: Any, lg: str) -> bytes:
    from elevator.documents import workbook  # openpyxl (and numpy through it) when asked for

    return workbook.project_workbook(project, lg)


def _compare(project: Any, lg: str) -> bytes:
    return printing().compare_pdf(compare(project, list(SCHEMES)), lg)


# (marker, button words, file name, media type, builder): catalogue keys for the words
# and the name; the file keeps its Chinese name in either language
DOCUMENTS: list[tuple[str, str, str, str, Callable[[Any, str], bytes]]] = [
    (
        "cost-table",
        "ui.documents.cost_table",
        "ui.documents.file.cost_table",
        "application/pdf",
        _cost_table,
    ),
    (
        "signatures",
        "ui.documents.signatures",
        "ui.documents.file.signatures",
        "application/pdf",
        _signatures,
    ),
    (
        "compare",
        "ui.documents.compare",
        "ui.documents.file.compare",
        "application/pdf",
        _compare,
    ),
    (
        "workbook",
        "ui.documents.workbook",
        "ui.documents.file.workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _workbook,
    ),
    (
        "feasibility",
        "ui.documents.feasibility",
        "ui.documents.file.feasibility",
        "application/pdf",
        lambda project, lg: printing().feasibility_pdf(project, lang=lg),
    ),
]


def file_name(project_name: str, pid: int, what: str = "", ext: str = "") -> str:
    """ "<project>-<what>.<ext>"; `what` may carry its own extension ("分摊表.pdf")."""
    if not ext and "." in what:
        what, _, ext = what.rpartition(".")
    return download_name(project_name, what, ext, fallback=f"project-{pid}")


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
                ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative")
            return
        lg = lang()
        ui.label(tr("ui.documents.made_from", version=record.version)).classes("text-caption")
        # one full-width button per line: nothing sits beside it to push the page wider
        with ui.column().classes("w-full max-w-full gap-2"):
            for marker, words, name, media, build in DOCUMENTS:
                filename = file_name(record.name, pid, t(name, "zh"))
                _button(
                    tr(words), "download", _download(project, lg, build, filename, media, errors)
                ).mark(f"doc-{marker}")
            ui.separator()
            _button(
                tr("ui.documents.yaml"),
                "description",
                lambda: ui.download.content(
                    dump_project_yaml(project).encode("utf-8"),
                    file_name(record.name, pid, ext="yaml"),
                    "application/yaml",
                ),
            ).mark("doc-yaml")
            _button(
                tr("ui.documents.json"),
                "data_object",
                lambda: ui.download.content(
                    dump_project_json(project).encode("utf-8"),
                    file_name(record.name, pid, ext="json"),
                    "application/json",
                ),
            ).mark("doc-json")


def _button(words: str, icon: str, on_click: Callable) -> ui.button:
    """A download button as wide as the column (never wider), its words free to wrap."""
    return (
        ui.button(words, icon=icon, on_click=on_click)
        .props("no-caps outline align=left")
        .classes("w-full max-w-full")
        .style("white-space: normal")
    )


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
                    ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative")
            return
        ui.download.content(content, filename, media)

    return go
