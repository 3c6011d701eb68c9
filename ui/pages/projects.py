"""Projects: list and search stairwells and communities; create from a sample, a blank
form, or an imported project file / household sheet."""

from __future__ import annotations

from typing import Any

from nicegui import events, ui

from elevator.core.errors import Problem, ProjectError
from elevator.core.text import Msg
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
from ui.session import current
from ui.state import store
from ui.theme import both, frame, tr
from ui.widgets import Problems


def _open(pid: int) -> None:
    ui.navigate.to(f"/project/{pid}/sharing")


def create(data: Any, problems: Problems) -> int | None:
    """Save a new project (validated by the store); show problems, or open it."""
    account = current()
    if account is None or not account.creates_projects:
        ui.notify(both("ui.auth.read_only"), type="negative")
        return None
    try:
        record = store().create(data, actor=account.name)
    except ProjectError as e:
        problems.show(e.problems)
        ui.notify(both("ui.projects.not_created"), type="negative")
        return None
    ui.notify(both("ui.projects.created", name=record.name), type="positive")
    _open(record.id)
    return record.id


def page() -> None:
    """The projects this account holds a role on (guarded by ui.session.logged_in)."""
    account = current()
    with frame(tr("ui.projects.title")):
        _listing()
        if account is not None and account.creates_projects:
            with ui.row().classes("w-full gap-3 items-stretch"):
                _from_sample()
                _blank_form()
                _import_file()


def _listing() -> None:
    search = (
        ui.input(tr("ui.projects.search")).props("dense clearable").classes("w-full").mark("search")
    )

    @ui.refreshable
    def results() -> None:
        q = search.value or ""
        account = current()
        if account is None:
            return
        records = [r for r in store().list_projects(q) if account.can("view", r.id, r.community)]
        if not records:
            ui.label(tr("ui.projects.none_found"))
        with ui.list().props("bordered separator").classes("w-full"):
            for r in records:
                with ui.item(on_click=lambda pid=r.id: _open(pid)).mark(f"project-{r.id}"):
                    with ui.item_section():
                        ui.item_label(r.name)
                        ui.item_label(
                            f"{r.community or '—'} · " + tr("ui.version", version=r.version)
                        ).props("caption")
        communities = [c for c in store().communities(q) if account.sees_community(c.name)]
        if communities:
            ui.label(tr("ui.projects.communities")).classes("text-subtitle1 q-mt-sm")
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
        ui.label(tr("ui.projects.from_sample")).classes("text-subtitle1")
        samples = _samples()
        choice = (
            ui.select(samples, value=next(iter(samples), None), label=tr("ui.projects.sample"))
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

        ui.button(tr("ui.projects.create"), on_click=go).mark("create-sample")


def _blank_form() -> None:
    problems = Problems()
    sheet: dict[str, Any] = {"households": None, "name": ""}
    with ui.card().classes("col-12 col-md"):
        ui.label(tr("ui.projects.blank")).classes("text-subtitle1")
        name = ui.input(tr("ui.projects.blank_name")).classes("w-full").mark("blank-name")
        problems.label_for("name")
        with ui.row().classes("gap-2"):
            floors = _number(tr("ui.field.floors"), "6", "numeric", "w-20", "blank-floors")
            units = _number(tr("ui.projects.units"), "2", "numeric", "w-24", "blank-units")
            area = _number(tr("ui.projects.area"), "70", "decimal", "w-28", "blank-area")
        problems.label_for("building")
        problems.label_for("units_per_floor")
        total = (
            ui.input(tr("ui.field.construction_cost"))
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
                "ui.projects.sheet_read", file=e.file.name, count=len(sheet["households"])
            )

        ui.label(tr("ui.projects.sheet_note", kb=MAX_UPLOAD_BYTES // 1000)).classes("text-caption")
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

        ui.button(tr("ui.projects.create"), on_click=go).mark("create-blank")


def _number(label: str, value: str, mode: str, width: str, marker: str) -> ui.input:
    """A small number field of the blank form (typed as text, read exactly)."""
    return ui.input(label, value=value).props(f"dense inputmode={mode}").classes(width).mark(marker)


def _upload(handler: Any, suffixes: tuple[str, ...], problems: Problems) -> ui.upload:
    def rejected() -> None:
        problems.show([Problem("file", Msg("ui.projects.rejected", kb=MAX_UPLOAD_BYTES // 1000))])

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
        ui.label(tr("ui.projects.import")).classes("text-subtitle1")
        ui.label(tr("ui.projects.import_note", kb=MAX_UPLOAD_BYTES // 1000)).classes("text-caption")

        async def on_file(e: events.UploadEventArguments) -> None:
            try:
                content = await e.file.read()
                data = project_from_file(e.file.name, content)
            except ProjectError as err:
                problems.show(err.problems)
                ui.notify(both("ui.projects.not_imported"), type="negative")
                return
            create(data, problems)

        _upload(on_file, PROJECT_SUFFIXES, problems).mark("project-upload")
        problems.place_summary()
