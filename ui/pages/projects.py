"""Projects: list and search stairwells and communities; archive, restore and delete a
project; create from a sample, a blank form (which says which floors are exempt), or an
imported project file / household sheet."""

from __future__ import annotations

import functools
from typing import Any

from nicegui import events, ui

from elevator.core.errors import Problem, ProjectError
from elevator.core.text import Msg, t
from elevator.documents.words import policy_name
from elevator.model.imports import (
    MAX_UPLOAD_BYTES,
    PROJECT_SUFFIXES,
    SHEET_SUFFIXES,
    blank_project,
    households_from_sheet,
    project_from_file,
)
from elevator.model.io import load_project, project_to_data, read_data
from elevator.model.project import Sharing
from elevator.store.accounts import Account
from elevator.store.db import Conflict, Record, samples_dir
from ui.session import current
from ui.state import store
from ui.theme import both, both_of, frame, lang, tr
from ui.widgets import Problems

# the floors a new project exempts unless the mediator changes them: the model's default
DEFAULT_EXEMPT: list[int] = Sharing.model_fields["exempt_floors"].get_default(
    call_default_factory=True
)


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
    exempt = record.data.get("sharing", {}).get("exempt_floors", [])
    ui.notify(
        both("ui.projects.created", name=record.name) + "\n" + exempt_both(exempt),
        type="positive",
        multi_line=True,
    )
    _open(record.id)
    return record.id


def exempt_words(floors: list[int], lg: str) -> str:
    """The exempt floors in words ("免付楼层：1、2 层（…）"), or that there are none."""
    if not floors:
        return t("ui.projects.exempt_none", lg)
    listed = t("ui.projects.floor_sep", lg).join(str(f) for f in sorted(floors))
    return t("ui.projects.exempt_words", lg, floors=listed)


def exempt_both(floors: list[int]) -> str:
    return f"{exempt_words(floors, 'zh')} / {exempt_words(floors, 'en')}"


def sees_district(account: Account) -> bool:
    """The district simulation covers many stairwells at once: for administrators and
    accounts that hold a role on every project."""
    return account.admin or any(g.scope == "*" for g in account.grants)


def page() -> None:
    """The projects this account holds a role on (guarded by ui.session.logged_in)."""
    account = current()
    with frame(tr("ui.projects.title")):
        if account is not None and sees_district(account):
            ui.button(
                tr("ui.district.title"),
                icon="map",
                on_click=lambda: ui.navigate.to("/district"),
            ).props("outline no-caps dense").mark("district-link")
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
        active, archived = visible_projects(account, q)
        if not active:
            ui.label(tr("ui.projects.none_found"))
        with ui.list().props("bordered separator").classes("w-full").mark("project-list"):
            for r in active:
                _row(r, account, results.refresh)
        communities = [c for c in store().communities(q) if account.sees_community(c.name)]
        if communities:
            ui.label(tr("ui.projects.communities")).classes("text-subtitle1 q-mt-sm")
            with ui.row().classes("gap-2 wrap"):
                for c in communities:
                    ui.button(
                        c.name, on_click=lambda n=c.name: ui.navigate.to(f"/community/{n}")
                    ).props("outline no-caps dense")
        if archived:
            with (
                ui.expansion(tr("ui.projects.archived", count=len(archived)))
                .classes("w-full")
                .mark("archived")
            ):
                with ui.list().props("bordered separator").classes("w-full"):
                    for r in archived:
                        _row(r, account, results.refresh)

    results()
    search.on_value_change(results.refresh)


def visible_projects(account: Account, query: str = "") -> tuple[list[Record], list[Record]]:
    """(active, archived) projects this account may see."""

    def seen(archived: bool) -> list[Record]:
        return [
            r
            for r in store().list_projects(query, archived=archived)
            if account.can("view", r.id, r.community)
        ]

    return seen(False), seen(True)


def _caption(r: Record) -> str:
    """Community · policy in words · version (never the policy's file key)."""
    parts = [r.community or "—"]
    policy = r.data.get("policy")
    if policy:
        parts.append(policy_name(policy, lang()))
    return " · ".join(parts + [tr("ui.version", version=r.version)])


def _row(r: Record, account: Account, refresh: Any) -> None:
    with ui.item().classes("w-full").mark(f"project-{r.id}"):
        with (
            ui.item_section()
            .classes("cursor-pointer")
            .on("click", lambda pid=r.id: _open(pid))
            .mark(f"open-{r.id}")
        ):
            ui.item_label(r.name).classes("break-all")
            ui.item_label(_caption(r)).props("caption")
        if not account.can("edit", r.id, r.community):
            return
        with ui.item_section().props("side"):
            with ui.row().classes("gap-0 no-wrap"):
                if r.archived:
                    ui.button(
                        icon="unarchive", on_click=lambda: set_archived(r.id, False, refresh)
                    ).props("flat dense round").tooltip(tr("ui.projects.restore")).mark(
                        f"restore-{r.id}"
                    )
                else:
                    ui.button(
                        icon="archive", on_click=lambda: set_archived(r.id, True, refresh)
                    ).props("flat dense round").tooltip(tr("ui.projects.archive")).mark(
                        f"archive-{r.id}"
                    )
                ui.button(icon="delete", on_click=lambda: confirm_delete(r.id, refresh)).props(
                    "flat dense round color=negative"
                ).tooltip(tr("ui.projects.delete")).mark(f"delete-{r.id}")


def _editable(pid: int) -> Record | None:
    """The project, if the account may change it now (checked at the click: a role may
    have been taken away since the page was drawn); else a refusal and None."""
    account = current()
    record = store().get(pid)
    if account is None or record is None or not account.can("edit", pid, record.community):
        ui.notify(both("ui.auth.read_only"), type="negative", multi_line=True)
        return None
    return record


def set_archived(pid: int, archived: bool, refresh: Any) -> None:
    record = _editable(pid)
    if record is None:
        return
    try:
        store().archive(pid, archived, actor=current().name)
    except Conflict as c:
        ui.notify(both_of(c), type="warning", multi_line=True)
    else:
        key = "ui.projects.archived_done" if archived else "ui.projects.restored_done"
        ui.notify(both(key, name=record.name), type="positive")
    refresh()


def confirm_delete(pid: int, refresh: Any) -> None:
    """Ask, naming the project; delete only on the second click (the store keeps every
    version in its history and logs who deleted it)."""
    record = _editable(pid)
    if record is None:
        return
    with ui.dialog() as dialog, ui.card().classes("w-full").style("max-width: 360px"):
        ui.label(tr("ui.projects.delete_question", name=record.name)).classes(
            "text-body1 break-all"
        ).mark("delete-question")
        ui.label(tr("ui.projects.delete_note")).classes("text-caption")
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("ui.projects.cancel"), on_click=dialog.close).props("flat no-caps").mark(
                "delete-cancel"
            )

            def go() -> None:
                dialog.close()
                delete_project(record.id, record.version, refresh)

            ui.button(tr("ui.projects.delete_confirm"), on_click=go).props(
                "color=negative no-caps"
            ).mark("delete-confirm")
    dialog.open()


def delete_project(pid: int, version: int, refresh: Any) -> bool:
    record = _editable(pid)
    if record is None:
        return False
    try:
        store().delete(pid, version, actor=current().name)
    except Conflict as c:  # changed since the question was asked: ask again
        ui.notify(both_of(c), type="warning", multi_line=True)
        refresh()
        return False
    ui.notify(both("ui.projects.deleted", name=record.name), type="positive")
    refresh()
    return True


def _samples() -> dict[str, str]:
    """file name → the sample's own name and its policy in words (not the file's stem)."""
    lg = lang()
    return {
        p.name: _sample_label(p, p.stat().st_mtime_ns, lg)
        for p in sorted(samples_dir().glob("*.yaml"))
    }


@functools.lru_cache(maxsize=256)
def _sample_label(path: Any, mtime: int, lg: str) -> str:
    try:
        data = read_data(path)
    except ProjectError:
        return path.stem
    if not isinstance(data, dict):
        return path.stem
    name = str(data.get("name") or path.stem)
    policy = data.get("policy")
    if not policy:
        return name
    return t("ui.projects.sample_label", lg, name=name, policy=policy_name(str(policy), lg))


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
        exempt = _exempt_select(floors, problems)
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
            # the mediator's choice, said on the form (the store checks it lies in the building)
            data.setdefault("sharing", {})["exempt_floors"] = sorted(exempt.value or [])
            create(data, problems)

        ui.button(tr("ui.projects.create"), on_click=go).mark("create-blank")


def _exempt_select(floors: ui.input, problems: Problems) -> ui.select:
    """Which floors pay nothing, chosen on the form and said in words under it."""

    def options() -> list[int]:
        try:
            n = int(str(floors.value or "").strip())
        except ValueError:
            n = 0
        return list(range(1, max(1, min(n, 40)) + 1))

    choice = (
        ui.select(
            options(),
            multiple=True,
            value=[f for f in DEFAULT_EXEMPT if f in options()],
            label=tr("ui.sharing.exempt"),
        )
        .props("use-chips dense")
        .classes("w-full")
        .mark("blank-exempt")
    )
    problems.label_for("sharing.exempt_floors")
    words = (
        ui.label(exempt_words(choice.value, lang()))
        .classes("text-caption")
        .mark("blank-exempt-words")
    )

    def floors_changed() -> None:
        allowed = options()
        choice.set_options(allowed, value=[f for f in choice.value or [] if f in allowed])

    def chosen() -> None:
        words.text = exempt_words(list(choice.value or []), lang())

    floors.on_value_change(floors_changed)
    choice.on_value_change(chosen)
    return choice


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
