"""Projects: list and search stairwells and communities; create from a sample, a blank
form, or an imported project file / household sheet."""

from __future__ import annotations

from typing import Any

from nicegui import events, ui

from elevator.core.errors import Problem, ProjectError
from elevator.model.imports import (
    MAX_UPLOAD_BYTES,
    PROJECT_SUFFIXES,
    SHEET_SUFFIXES,
    blank_project,
    households_from_sheet,
    project_from_file,
)
from elevator.model.io import load_project, project_to_data
from elevator.store.db import samples_dir
from ui.state import store
from ui.theme import both, frame, tr
from ui.widgets import Problems


def _open(pid: int) -> None:
    ui.navigate.to(f"/project/{pid}/sharing")


def create(data: Any, problems: Problems) -> int | None:
    """Save a new project (validated by the store); show problems, or open it."""
    try:
        record = store().create(data)
    except ProjectError as e:
        problems.show(e.problems)
        ui.notify(
            both("未创建：请改正标出的错误", "Not created: fix the marked fields"), type="negative"
        )
        return None
    ui.notify(both(f"已创建：{record.name}", f"Created: {record.name}"), type="positive")
    _open(record.id)
    return record.id


def page() -> None:
    with frame(tr("项目", "Projects")):
        _listing()
        with ui.row().classes("w-full gap-3 items-stretch"):
            _from_sample()
            _blank_form()
            _import_file()


def _listing() -> None:
    search = (
        ui.input(tr("搜索楼栋或小区", "Search stairwells or communities"))
        .props("dense clearable")
        .classes("w-full")
        .mark("search")
    )

    @ui.refreshable
    def results() -> None:
        q = search.value or ""
        records = store().list_projects(q)
        if not records:
            ui.label(tr("没有找到项目", "No projects found"))
        with ui.list().props("bordered separator").classes("w-full"):
            for r in records:
                with ui.item(on_click=lambda pid=r.id: _open(pid)).mark(f"project-{r.id}"):
                    with ui.item_section():
                        ui.item_label(r.name)
                        ui.item_label(
                            f"{r.community or '—'} · "
                            + tr(f"版本 {r.version}", f"version {r.version}")
                        ).props("caption")
        communities = store().communities(q)
        if communities:
            ui.label(tr("小区", "Communities")).classes("text-subtitle1 q-mt-sm")
            with ui.row().classes("gap-2 wrap"):
                for c in communities:
                    ui.button(
                        c.name, on_click=lambda n=c.name: ui.navigate.to(f"/community/{n}")
                    ).props("outline no-caps dense")

    results()
    search.on_value_change(results.refresh)


def _samples() -> dict[str, str]:
    return {p.name: p.stem for p in sorted(samples_dir().glob("*.yaml"))}


def _from_sample() -> None:
    problems = Problems()
    with ui.card().classes("col-12 col-md"):
        ui.label(tr("从示例创建", "From a sample")).classes("text-subtitle1")
        samples = _samples()
        choice = (
            ui.select(samples, value=next(iter(samples), None), label=tr("示例", "Sample"))
            .classes("w-full")
            .mark("sample")
        )
        problems.place_summary()

        def go() -> None:
            if not choice.value:
                return
            try:
                data = project_to_data(load_project(samples_dir() / choice.value))
            except ProjectError as e:
                problems.show(e.problems)
                return
            create(data, problems)

        ui.button(tr("创建", "Create"), on_click=go).mark("create-sample")


def _blank_form() -> None:
    problems = Problems()
    sheet: dict[str, Any] = {"households": None, "name": ""}
    with ui.card().classes("col-12 col-md"):
        ui.label(tr("新建空白项目", "New blank project")).classes("text-subtitle1")
        name = (
            ui.input(tr("名称（如 3栋1单元）", "Name (e.g. building 3 unit 1)"))
            .classes("w-full")
            .mark("blank-name")
        )
        problems.label_for("name")
        with ui.row().classes("gap-2"):
            floors = (
                ui.input(tr("层数", "Floors"), value="6")
                .props("dense inputmode=numeric")
                .classes("w-20")
                .mark("blank-floors")
            )
            units = (
                ui.input(tr("每层户数", "Flats per floor"), value="2")
                .props("dense inputmode=numeric")
                .classes("w-24")
                .mark("blank-units")
            )
            area = (
                ui.input(tr("每户面积 m²", "Area per flat m²"), value="70")
                .props("dense inputmode=decimal")
                .classes("w-28")
                .mark("blank-area")
            )
        problems.label_for("building")
        problems.label_for("units_per_floor")
        total = (
            ui.input(tr("工程造价（元）", "Construction cost (yuan)"))
            .props("dense inputmode=decimal")
            .classes("w-full")
            .mark("blank-total")
        )
        problems.label_for("costs")
        sheet_note = ui.label("").classes("text-caption")

        async def on_sheet(e: events.UploadEventArguments) -> None:
            try:
                content = await e.file.read()
                sheet["households"] = households_from_sheet(e.file.name, content)
            except ProjectError as err:
                sheet["households"] = None
                problems.show(err.problems)
                return
            problems.clear()
            sheet_note.text = tr(
                f"已从 {e.file.name} 读入 {len(sheet['households'])} 户",
                f"{len(sheet['households'])} flats read from {e.file.name}",
            )

        ui.label(
            tr(
                f"可选：住户表 CSV/XLSX（列：户号、楼层、面积、参与、业主；上限 {MAX_UPLOAD_BYTES // 1000} KB）",
                f"Optional: household sheet CSV/XLSX (columns id, floor, area_m2, participates, "
                f"owner; limit {MAX_UPLOAD_BYTES // 1000} KB)",
            )
        ).classes("text-caption")
        _upload(on_sheet, SHEET_SUFFIXES, problems).mark("sheet-upload")
        problems.place_summary()

        def go() -> None:
            try:
                data = blank_project(
                    name.value or "",
                    floors.value or "",
                    units.value or "",
                    area.value or "",
                    total.value or "",
                    sheet["households"],
                )
            except ProjectError as e:
                problems.show(e.problems)
                return
            create(data, problems)

        ui.button(tr("创建", "Create"), on_click=go).mark("create-blank")


def _upload(handler: Any, suffixes: tuple[str, ...], problems: Problems) -> ui.upload:
    def rejected() -> None:
        problems.show(
            [
                Problem(
                    "file",
                    f"文件被拒绝：超过 {MAX_UPLOAD_BYTES // 1000} KB 或类型不对",
                    f"file rejected: over {MAX_UPLOAD_BYTES // 1000} KB or wrong type",
                )
            ]
        )

    up = (
        ui.upload(
            on_upload=handler,
            auto_upload=True,
            max_file_size=MAX_UPLOAD_BYTES,
            on_rejected=rejected,
        )
        .props(f"accept={','.join(suffixes)} flat bordered")
        .classes("w-full")
    )
    return up


def _import_file() -> None:
    problems = Problems()
    with ui.card().classes("col-12 col-md"):
        ui.label(tr("导入项目文件", "Import a project file")).classes("text-subtitle1")
        ui.label(
            tr(
                f"YAML 或 JSON（与命令行相同的格式），上限 {MAX_UPLOAD_BYTES // 1000} KB",
                f"YAML or JSON (the CLI's format), limit {MAX_UPLOAD_BYTES // 1000} KB",
            )
        ).classes("text-caption")

        async def on_file(e: events.UploadEventArguments) -> None:
            try:
                content = await e.file.read()
                data = project_from_file(e.file.name, content)
            except ProjectError as err:
                problems.show(err.problems)
                ui.notify(
                    both("未导入：文件有错误", "Not imported: the file has problems"),
                    type="negative",
                )
                return
            create(data, problems)

        _upload(on_file, PROJECT_SUFFIXES, problems).mark("project-upload")
        problems.place_summary()
