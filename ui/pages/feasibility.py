"""Feasibility: the site facts as a form (by checklist area, with units and hints), the
findings, verdict, conditions and fallbacks (all from `elevator.feasibility`), and the
evaluator's stage sign-offs (`elevator.site` / `feasibility.sign_off`)."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

from nicegui import ui

from elevator.core.errors import Problem, ProjectError
from elevator.core.money_text import format_yuan
from elevator.core.text import catalogue, t
from elevator.core.types import confidence_mark
from elevator.documents.words import citation, fact_choices, policy_name, rule_question
from elevator.feasibility.checklist import AREAS, assess, rules_file
from elevator.feasibility.workflow import sign_off, workflow_status
from elevator.model.io import parse_project, project_to_data
from elevator.model.site import PIPELINES, STAGES, Site, site_fact_info, stage_checklists
from ui.editing import EditorPanel, editor_page, version_label
from ui.theme import both, both_of, either, lang, tr
from ui.widgets import set_in

NONE = "__none__"
RESULT_COLOURS = {
    "pass": "text-positive",
    "blocking": "text-negative",
    "conditional": "text-warning",
    "advisory": "text-info",
    "incomplete": "text-grey-8",
}
# an evaluator's result for one item (the words are the catalogue's signoff.*)
SIGNOFF_RESULTS = ("pass", "fail", "conditional", "not_applicable")


def fact_areas() -> dict[str, str]:
    """Each site fact → the checklist area of the first rule that reads it."""
    out: dict[str, str] = {}
    for rule in rules_file().rules:
        for fact in rule.facts:
            out.setdefault(fact, rule.area)
    return out


def fact_kind(name: str) -> tuple[str, tuple]:
    """bool | choice | list | number | text, and the choices."""
    ann = Site.model_fields[name].annotation
    args = [a for a in typing.get_args(ann) if a is not type(None)] or [ann]
    inner = args[0]
    if inner is bool:
        return "bool", ()
    if typing.get_origin(inner) is typing.Literal:
        return "choice", typing.get_args(inner)
    if typing.get_origin(inner) is list:
        return "list", PIPELINES
    if inner in (int, float):
        return "number", ()
    return "text", ()


def fact_hint(name: str, meta: dict) -> str:
    """A fact's hint in words.  The catalogue's `fact.<name>.hint` is written for sheet
    columns and names the values' keys (`flat` / `half_landing`, `gas` …); where the form
    offers the words themselves, `feasibility.hint.<name>` says it without the keys."""
    key = f"feasibility.hint.{name}"
    if key in catalogue("zh"):
        return tr(key)
    return either(meta.get("hint_zh", ""), meta.get("hint_en", ""))


def page(pid: int) -> None:
    editor_page(pid, "feasibility", FeasibilityPanel, "signoff")


class FeasibilityPanel(EditorPanel):
    def build(self) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            version_label(self.editing)
            ui.button(tr("ui.feasibility.save"), icon="save", on_click=self.save).props(
                "no-caps"
            ).mark("save")
        self.problems.place_summary()
        self.verdict = ui.column().classes("w-full gap-1").mark("verdict")
        self.form = ui.column().classes("w-full gap-2")
        self.stages = ui.column().classes("w-full gap-2")
        self.rebuild()

    def rebuild(self) -> None:
        self.problems.labels.clear()
        self.form.clear()
        with self.form:
            self.fact_form()
        self.refresh()

    # --- the form -------------------------------------------------------------------

    def fact_form(self) -> None:
        info = site_fact_info()
        areas = fact_areas()
        site = self.data.get("site") or {}
        grouped: dict[str, list[str]] = {a: [] for a in AREAS}
        extras: list[str] = []
        for name, meta in info.items():
            if name == "storeys":
                continue  # read from building.floors
            area = areas.get(name)
            (grouped[area] if area in grouped and meta.get("contract") else extras).append(name)
        for area in AREAS:
            if not grouped[area]:
                continue
            with (
                ui.expansion(tr(f"area.{area}"), value=True)
                .classes("w-full")
                .props("dense header-class=text-subtitle1")
            ):
                with ui.row().classes("w-full gap-3 items-start"):
                    for name in grouped[area]:
                        self.fact_input(name, info[name], site.get(name))
        with (
            ui.expansion(tr("ui.feasibility.extras"))
            .classes("w-full")
            .props("dense header-class=text-subtitle1")
        ):
            with ui.row().classes("w-full gap-3 items-start"):
                for name in extras:
                    self.fact_input(name, info[name], site.get(name))

    def fact_input(self, name: str, meta: dict, value: Any) -> None:
        label = either(meta["zh"], meta["en"])
        if meta.get("unit"):
            label += tr("ui.feasibility.unit", unit=meta["unit"])
        hint = fact_hint(name, meta)
        kind, choices = fact_kind(name)
        path = ("site", name)
        with ui.column().classes("gap-0 col-12 col-sm-5 col-md-3"):
            if kind == "bool":
                options = {
                    "": tr("ui.feasibility.unknown"),
                    "true": tr("ui.feasibility.yes"),
                    "false": tr("ui.feasibility.no"),
                }
                current = "" if value is None else ("true" if value else "false")
                el = ui.select(
                    options,
                    value=current,
                    label=label,
                    on_change=lambda e: self.set(
                        path, None if e.value == "" else e.value == "true"
                    ),
                )
            elif kind == "choice":
                words = dict(fact_choices(name, lang())) or {c: c for c in choices}
                el = ui.select(
                    {"": tr("ui.feasibility.unknown"), **words},
                    value=value or "",
                    label=label,
                    on_change=lambda e: self.set(path, e.value or None),
                )
            elif kind == "list":
                options = {
                    NONE: tr("ui.feasibility.none"),
                    **{p: tr(f"pipeline.{p}") for p in choices},
                }
                current = [NONE] if value == [] else list(value or [])
                el = ui.select(
                    options,
                    value=current,
                    multiple=True,
                    label=label,
                    on_change=lambda e: self.set_list(path, e.value or []),
                )
                el.props("use-chips")
            else:
                el = ui.input(
                    label,
                    value="" if value is None else str(value),
                    on_change=lambda e: self.set(path, (e.value or "").strip() or None),
                )
                if kind == "number":
                    el.props("inputmode=decimal")
            el.classes("w-full").props("dense").mark(f"site.{name}")
            if hint:
                el.props["hint"] = hint
            self.problems.label_for(f"site.{name}")

    def set(self, path: tuple, value: Any) -> None:
        if self.data.get("site") is None:
            self.data["site"] = {}
        set_in(self.data, path, value)
        if not self.data["site"]:
            self.data.pop("site")
        self.refresh()

    def set_list(self, path: tuple, values: list[str]) -> None:
        if NONE in values:
            values = [] if values[-1] == NONE else [v for v in values if v != NONE]
            self.data.setdefault("site", {})[path[-1]] = values
            self.refresh()
            return
        self.set(path, values or None)

    # --- results --------------------------------------------------------------------

    def project(self) -> tuple[Any, list[Problem]]:
        try:
            return parse_project(self.data), []
        except ProjectError as e:
            return None, e.problems

    def refresh(self) -> None:
        project, problems = self.project()
        assessment = None
        if project is not None:
            try:
                assessment = assess(project)
            except ProjectError as e:
                problems = e.problems
        self.problems.show(problems)
        self.verdict.clear()
        with self.verdict:
            if assessment is not None:
                self.show_assessment(assessment)
        self.stages.clear()
        if project is not None:
            with self.stages:
                self.show_stages(project, assessment)

    def show_assessment(self, a: Any) -> None:
        colour = {
            "feasible": "bg-green-2",
            "conditional": "bg-amber-2",
            "infeasible": "bg-red-2",
            "incomplete": "bg-grey-3",
        }[a.verdict]
        ui.label(tr("ui.feasibility.verdict", verdict=tr(f"verdict.{a.verdict}"))).classes(
            f"text-h6 q-pa-sm rounded-borders w-full {colour}"
        ).mark("verdict-label")
        ui.label(
            tr("ui.feasibility.policy", policy=policy_name(a.policy, lang()), date=a.date)
        ).classes("text-caption")
        if a.conditions:
            ui.label(tr("ui.feasibility.conditions")).classes("text-subtitle2")
            for c in a.conditions:
                cost = (
                    tr("ui.feasibility.cost", amount=format_yuan(c.cost))
                    if c.cost is not None
                    else tr("ui.feasibility.not_quoted")
                )
                ui.label(f"• {either(c.text_zh, c.text_en)} — {cost}").classes("text-body2")
            ui.label(
                tr("ui.feasibility.condition_cost", amount=format_yuan(a.condition_cost))
            ).classes("text-body2")
        if a.fallbacks:
            ui.label(tr("ui.feasibility.fallbacks")).classes("text-subtitle2")
            for b in a.fallbacks:
                ui.label(
                    tr(
                        "ui.feasibility.fallback",
                        mark=confidence_mark(b.confidence),
                        name=either(b.name_zh, b.name_en),
                        note=either(b.note_zh, b.note_en),
                    )
                ).classes("text-body2")
        by_area = a.by_area()
        with (
            ui.expansion(tr("ui.feasibility.findings"), value=True).classes("w-full").props("dense")
        ):
            for area in AREAS:
                if not by_area[area]:
                    continue
                ui.label(tr(f"area.{area}")).classes("text-subtitle2 q-mt-xs")
                for f in by_area[area]:
                    with ui.column().classes("gap-0 q-ml-sm"):
                        ui.label(
                            f"{tr(f'result.{f.result}')} · {either(f.question_zh, f.question_en)}"
                        ).classes(f"text-body2 {RESULT_COLOURS[f.result]}").mark(
                            f"finding-{f.rule}"
                        )
                        ui.label(either(f.message_zh, f.message_en)).classes("text-caption")
                        if f.remedy_zh:
                            remedy = either(f.remedy_zh, f.remedy_en)
                            ui.label(tr("ui.feasibility.remedy", remedy=remedy)).classes(
                                "text-caption"
                            )
                        ui.label(f"{confidence_mark(f.confidence)} {citation(f.source)}").classes(
                            "text-caption text-grey-7"
                        )

    # --- evaluator stages -----------------------------------------------------------------

    def item_words(self, project: Any, assessment: Any, item_id: str, item: dict) -> str:
        """A stage item in words; an item that is a checklist rule is its question with
        the policy's threshold filled in (the catalogue holds it with `{threshold}`)."""
        if item_id in self.rule_ids:
            if assessment is not None:
                for f in assessment.findings:
                    if f.rule == item_id:
                        return either(f.question_zh, f.question_en)
            when = assessment.date if assessment is not None else project.date or dt.date.today()
            policy = assessment.policy if assessment is not None else project.policy
            return rule_question(policy, when, item_id, lang())
        return either(item["zh"], item["en"])

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in rules_file().rules)

    def show_stages(self, project: Any, assessment: Any) -> None:
        ui.label(tr("ui.feasibility.stages")).classes("text-subtitle1")
        status = workflow_status(project, assessment)
        for st in status:
            mark = "▶ " if st["current"] else ("✓ " if st["reached"] else "· ")
            with (
                ui.expansion(
                    tr(
                        "ui.feasibility.stage",
                        mark=mark,
                        stage=tr(f"stage.{st['stage']}"),
                        signed=st["signed"],
                        items=len(st["items"]),
                    ),
                    value=st["current"],
                )
                .classes("w-full")
                .props("dense")
                .mark(f"stage-{st['stage']}")
            ):
                for item in st["items"]:
                    s = item["signoff"]
                    text = self.item_words(project, assessment, item["id"], item)
                    if s:
                        text += tr(
                            "ui.feasibility.signed",
                            result=tr(f"signoff.{s['result']}"),
                            name=s["name"],
                            date=s["date"],
                        )
                    ui.label(text).classes("text-caption").mark(f"item-{st['stage']}")
        self.sign_passed_form(project, assessment, status)
        self.signoff_form(project, assessment)

    def signoff_form(self, project: Any, assessment: Any) -> None:
        form: dict[str, Any] = {}  # the chosen stage and the form's fields
        with ui.card().classes("w-full"):
            ui.label(tr("ui.feasibility.sign_title")).classes("text-subtitle2")
            self.stage_and_item(project, assessment, form)
            with ui.row().classes("w-full gap-2 items-start"):
                form["name"] = (
                    ui.input(tr("ui.feasibility.evaluator"))
                    .props("dense")
                    .classes("w-40")
                    .mark("signoff-name")
                )
                form["date"] = (
                    ui.input(tr("ui.feasibility.date"), value=dt.date.today().isoformat())
                    .props("dense")
                    .classes("w-32")
                    .mark("signoff-date")
                )
                form["result"] = (
                    ui.select(
                        {k: tr(f"signoff.{k}") for k in SIGNOFF_RESULTS},
                        value="pass",
                        label=tr("ui.feasibility.result"),
                    )
                    .props("dense")
                    .classes("w-36")
                    .mark("signoff-result")
                )
                form["note"] = ui.input(tr("ui.feasibility.note")).props("dense").classes("w-48")
            form["errors"] = (
                ui.label("").classes("text-negative text-caption").mark("signoff-errors")
            )
            ui.button(
                tr("ui.feasibility.sign"),
                icon="verified",
                on_click=lambda: self.sign(project, form),
            ).props("no-caps").mark("signoff-save")

    def stage_and_item(self, project: Any, assessment: Any, form: dict[str, Any]) -> None:
        """The stage (up to the one after the stage reached) and one item of its checklist."""
        reached = STAGES.index(project.evaluation.stage) if project.evaluation else 0
        stages = {s: tr(f"stage.{s}") for s in STAGES[: reached + 2]}
        form["stage"] = STAGES[reached]
        with ui.row().classes("w-full gap-2 items-start"):
            items_select = (
                ui.select({}, label=tr("ui.feasibility.item"))
                .classes("col-12 col-sm-6")
                .props("dense")
                .mark("signoff-item")
            )
            form["item"] = items_select

            def items_for(stage: str) -> None:
                form["stage"] = stage
                items = stage_checklists()[stage]["items"]
                items_select.options = {
                    k: self.item_words(project, assessment, k, v) for k, v in items.items()
                }
                items_select.value = next(iter(items), None)
                items_select.update()

            ui.select(
                stages,
                value=form["stage"],
                label=tr("ui.feasibility.stage_select"),
                on_change=lambda e: items_for(e.value),
            ).classes("col-12 col-sm-5").props("dense").mark("signoff-stage")
            items_for(form["stage"])

    # --- every passed item of a stage at once ----------------------------------------------

    def sign_passed_form(self, project: Any, assessment: Any, status: list[dict]) -> None:
        """One stage, one name, one date: a pass for every item of the stage that the
        checklist passed and nobody has signed yet."""
        reached = STAGES.index(project.evaluation.stage) if project.evaluation else 0
        passed = {
            st["stage"]: [
                it["id"] for it in st["items"] if it["checklist"] == "pass" and not it["signoff"]
            ]
            for st in status
        }
        form: dict[str, Any] = {"stage": STAGES[reached]}
        with ui.card().classes("w-full"):
            ui.label(tr("feasibility.sign_passed.title")).classes("text-subtitle2")
            count = ui.label("").classes("text-caption").mark("signall-count")

            def show(stage: str) -> None:
                form["stage"] = stage
                n = len(passed[stage])
                count.text = (
                    tr("feasibility.sign_passed.count", count=n)
                    if n
                    else tr("feasibility.sign_passed.none")
                )

            with ui.row().classes("w-full gap-2 items-start"):
                ui.select(
                    {s: tr(f"stage.{s}") for s in STAGES[: reached + 2]},
                    value=form["stage"],
                    label=tr("ui.feasibility.stage_select"),
                    on_change=lambda e: show(e.value),
                ).classes("col-12 col-sm-4").props("dense").mark("signall-stage")
                form["name"] = (
                    ui.input(tr("ui.feasibility.evaluator"))
                    .props("dense")
                    .classes("col-12 col-sm-3")
                    .mark("signall-name")
                )
                form["date"] = (
                    ui.input(tr("ui.feasibility.date"), value=dt.date.today().isoformat())
                    .props("dense")
                    .classes("col-12 col-sm-3")
                    .mark("signall-date")
                )
            show(form["stage"])
            form["errors"] = (
                ui.label("").classes("text-negative text-caption").mark("signall-errors")
            )
            ui.button(
                tr("feasibility.sign_passed.button"),
                icon="done_all",
                on_click=lambda: self.sign_passed(project, passed[form["stage"]], form),
            ).props("no-caps").mark("signall-save")

    async def sign_passed(self, project: Any, items: list[str], form: dict[str, Any]) -> None:
        from ui.session import current

        account = current()  # checked at the click, as Editing.save does
        if account is None or not account.can("signoff", self.editing.pid, self.editing.community):
            ui.notify(both("ui.auth.read_only"), type="negative", multi_line=True)
            return
        errors = form["errors"]
        name = (form["name"].value or "").strip()
        if not name:
            errors.text = both("feasibility.sign_passed.need_name")
            return
        try:
            day = dt.date.fromisoformat((form["date"].value or "").strip())
        except ValueError:
            errors.text = both("ui.feasibility.bad_date")
            return
        if not items:
            errors.text = both("feasibility.sign_passed.none")
            return
        signed = project
        try:
            for item in items:
                signed = sign_off(signed, form["stage"], item, name, day, "pass", advance=True)
        except ProjectError as e:
            errors.text = t("ui.sep.list").join(f"{p.field}: {both_of(p)}" for p in e.problems)
            return
        errors.text = ""
        self.editing.data = project_to_data(signed)
        if await self.editing.save(self.problems, self.rebuild):
            ui.notify(tr("feasibility.sign_passed.done", count=len(items)), type="positive")
        self.rebuild()

    async def sign(self, project: Any, form: dict[str, Any]) -> None:
        """Record the sign-off (moving the project on to a later stage it names) and save."""
        errors = form["errors"]
        try:
            day = dt.date.fromisoformat((form["date"].value or "").strip())
        except ValueError:
            errors.text = both("ui.feasibility.bad_date")
            return
        try:
            signed = sign_off(
                project,
                form["stage"],
                form["item"].value or "",
                (form["name"].value or "").strip(),
                day,
                form["result"].value,
                (form["note"].value or "").strip() or None,
                advance=True,
            )
        except ProjectError as e:
            errors.text = t("ui.sep.list").join(f"{p.field}: {both_of(p)}" for p in e.problems)
            return
        errors.text = ""
        self.editing.data = project_to_data(signed)
        await self.editing.save(self.problems, self.rebuild)
        self.rebuild()

    async def save(self) -> None:
        await self.editing.save(self.problems, self.rebuild)
        self.refresh()
