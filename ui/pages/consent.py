"""The mediator's consent page (表决): who decided what, the rule's thresholds, what is missing,
paper signatures, objections and replies, the publicity period, and resident links.

Guarded by the project's passcode (set the first time, then asked once per browser; the
unlocked state lives in `app.storage.user`, tied to the stored hash so a new passcode locks
every browser again).  Every change is a new row in the store (elevator/store.py); the
evaluation is the library's (`elevator.consent.evaluate` with the store's history).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import app, ui

from elevator.consent.evaluation import DECISION_WORDS, ConsentResult, evaluate, exact_str
from elevator.consent.publicity import publicity_status
from elevator.core.errors import ProjectError
from elevator.documents.consent import consent_json
from elevator.model.io import parse_project
from elevator.plan.compose import shares as compute_shares
from elevator.plan.versions import plan_version
from elevator.policy.consent_rules import publicity_default
from elevator.sharing.engine import ShareResult
from elevator.store.access import resident_token, verify_passcode
from elevator.store.db import DecisionRow, Record
from ui.editing import load
from ui.state import store
from ui.theme import both, frame, tr
from ui.views import table

STORED_WORDS = {
    **{k: v for k, v in DECISION_WORDS.items() if k != "none"},
    "withdrawn": ("撤回", "withdrawn"),
}
VIA = {"own_link": ("本户链接", "own link"), "paper": ("纸质签字", "paper")}
STATUS = {
    "open": ("待答复", "open"),
    "answered": ("已答复", "answered"),
    "withdrawn": ("已撤回", "withdrawn"),
}
BASIS = {"area": ("面积 m²", "area m²"), "headcount": ("户数", "households")}


@dataclass
class Consultation:
    """One project's consultation as it stands: plan version, shares, evaluation, history."""

    record: Record
    shares: ShareResult
    version: str
    result: ConsentResult
    rows: list[DecisionRow]


def consultation(record: Record) -> Consultation:
    """Raises ProjectError when the saved project cannot be shared."""
    project = parse_project(record.data)
    shares = compute_shares(project)
    version = plan_version(shares)
    rows = store().decisions(record.id)
    result = evaluate(project, version=version, decisions=[r.as_decision() for r in rows])
    return Consultation(record, shares, version, result, rows)


def current_version(pid: int) -> str | None:
    """The plan version of the saved project now (a click may come after someone saved)."""
    record = store().get(pid)
    try:
        return plan_version(compute_shares(parse_project(record.data))) if record else None
    except ProjectError:
        return None


def stored_word(value: str) -> str:
    return tr(*STORED_WORDS[value])


def problems_label(e: ProjectError) -> None:
    for p in e.problems:
        ui.label(f"⚠ {p.field}: {both(p.zh, p.en)}").classes("text-negative text-body2")


def conditions_table(cj: dict) -> tuple[list[dict], list[dict]]:
    zh = tr("zh", "en") == "zh"
    headers = [
        tr("条件", "Condition"),
        tr("依据", "Basis"),
        tr("门槛", "Threshold"),
        tr("需要", "Needed"),
        tr("现有", "Have"),
        tr("满足", "Holds"),
        tr("还缺", "Missing"),
    ]
    rows = []
    for c in cj["conditions"]:
        share = c["kind"] == "share"
        threshold = f"{c['fraction']} × {c['base']} = {c['threshold']}" if share else ""
        rows.append(
            [
                c["label"]["zh" if zh else "en"],
                tr(*BASIS[c["basis"]]),
                threshold,
                c["needed"],
                c["have"],
                tr("是", "yes") if c["holds"] else tr("否", "NO"),
                c["missing"]["zh" if zh else "en"],
            ]
        )
    return table(headers, rows)


def verdict_text(cj: dict) -> str:
    zh = tr("zh", "en") == "zh"
    words = cj["missing"]["zh" if zh else "en"]
    return (
        tr("表决已通过。", "The vote has passed. ")
        if cj["passed"]
        else tr("尚未通过：", "Not passed yet: ")
    ) + ("" if cj["passed"] else words)


def rule_text(cj: dict) -> str:
    zh = tr("zh", "en") == "zh"
    refs = "；".join(r.get("title", "") for r in cj["reference"])
    return (
        f"{tr('表决规则', 'Rule')}: {cj['rule_label']['zh' if zh else 'en']} "
        f"{cj['confidence_mark']} — {refs}"
    )


# --- the passcode guard --------------------------------------------------------


def _fingerprint(stored_hash: str) -> str:
    return hashlib.sha256(stored_hash.encode("ascii")).hexdigest()[:16]


def unlocked(pid: int) -> bool:
    stored = store().passcode_hash(pid)
    if stored is None:
        return False
    return app.storage.user.get("consent_unlocked", {}).get(str(pid)) == _fingerprint(stored)


def _unlock(pid: int) -> None:
    marks = dict(app.storage.user.get("consent_unlocked", {}))
    marks[str(pid)] = _fingerprint(store().passcode_hash(pid))
    app.storage.user["consent_unlocked"] = marks


def lock_form(pid: int, body: ui.column, on_open) -> None:
    has_code = store().passcode_hash(pid) is not None
    with body:
        if has_code:
            ui.label(
                tr(
                    "此页仅供调解员使用，请输入项目口令。",
                    "This page is for the mediator: enter the project passcode.",
                )
            ).mark("locked")
        else:
            ui.label(
                tr(
                    "首次使用：请为本项目设置调解员口令（至少 6 位）。以后打开本页需要输入该口令。",
                    "First use: set the mediator passcode for this project (at least 6 "
                    "characters). It will be asked for whenever this page is opened.",
                )
            ).mark("locked")
        code = (
            ui.input(tr("口令", "Passcode"), password=True)
            .props("dense")
            .classes("w-64")
            .mark("passcode")
        )
        again = None
        if not has_code:
            again = (
                ui.input(tr("再次输入口令", "Passcode again"), password=True)
                .props("dense")
                .classes("w-64")
                .mark("passcode-again")
            )
        error = ui.label("").classes("text-negative").mark("passcode-error")

        def submit() -> None:
            value = code.value or ""
            if has_code:
                if not verify_passcode(value, store().passcode_hash(pid)):
                    error.text = both("口令不正确", "wrong passcode")
                    return
            else:
                if value != (again.value or ""):
                    error.text = both("两次输入的口令不一致", "the two passcodes differ")
                    return
                try:
                    store().set_passcode(pid, value)
                except ProjectError as e:
                    error.text = "；".join(both(p.zh, p.en) for p in e.problems)
                    return
            _unlock(pid)
            body.clear()
            on_open()

        ui.button(
            tr("进入", "Open") if has_code else tr("设置口令并进入", "Set and open"),
            on_click=submit,
        ).props("no-caps").mark("unlock")


def guarded(fn: Callable[..., None], tab: str) -> Callable[..., None]:
    """Once a project has a passcode, its other pages (owner names, the editable plan) ask
    for it too; without a passcode they stay open as before."""

    @functools.wraps(fn)  # NiceGUI reads the page's parameters from the signature
    def page_(pid: int, *args: Any, **kwargs: Any) -> None:
        if store().passcode_hash(pid) is None or unlocked(pid):
            return fn(pid, *args, **kwargs)
        record = load(pid)
        if record is None:
            return
        with frame(record.name, pid, tab):
            body = ui.column().classes("w-full gap-3")
            lock_form(pid, body, lambda: ui.navigate.to(f"/project/{pid}/{tab}"))

    return page_


def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    with frame(record.name, pid, "consent"):
        body = ui.column().classes("w-full gap-3")

        def open_panel() -> None:
            ConsentPanel(pid, body).build()

        if unlocked(pid):
            open_panel()
        else:
            lock_form(pid, body, open_panel)


# --- the mediator's panel --------------------------------------------------------


class ConsentPanel:
    def __init__(self, pid: int, body: ui.column):
        self.pid = pid
        self.body = body
        self.show_links = False

    def build(self) -> None:
        self.body.clear()
        record = store().get(self.pid)
        with self.body:
            try:
                c = consultation(record)
            except ProjectError as e:
                ui.label(tr("项目数据有误，无法计算分摊与表决：", "The project cannot be shared:"))
                problems_label(e)
                return
            self.c = c
            self.summary(c)
            self.households(c)
            self.record_form(c)
            self.history(c)
            self.objections()
            self.publicity()
            self.links(c)

    def summary(self, c: Consultation) -> None:
        cj = consent_json(c.result, named=True)
        ui.label(
            f"{tr('方案版本', 'Plan version')}: {c.version}（{tr('保存版本', 'saved version')} "
            f"{c.record.version}）"
        ).classes("text-caption text-grey-8").mark("plan-version")
        ui.label(rule_text(cj)).classes("text-body2").mark("rule")
        ui.label(verdict_text(cj)).classes(
            "text-subtitle1 q-pa-sm rounded-borders w-full "
            + ("bg-green-1" if cj["passed"] else "bg-amber-1")
        ).mark("verdict")
        in_file = len(c.record.data.get("consent", {}).get("decisions", []))
        if in_file:  # imported into the history when the project was created or imported
            ui.label(
                tr(
                    f"项目文件中的 {in_file} 条表决记录已在导入时记入下方历史（按导入时的方案版本）。",
                    f"The project file's {in_file} decision entries joined the history below "
                    f"when the project was imported (on the plan of that moment).",
                )
            ).classes("text-caption text-grey-8").mark("file-decisions")
        counts = cj["counts"]
        ui.label(
            tr(
                f"同意 {counts['agree']} 户，反对 {counts['oppose']} 户，弃权 {counts['abstain']} 户，"
                f"未表态 {counts['none']} 户；旧方案上的表态 {cj['stale']} 户（不计入）",
                f"agree {counts['agree']}, oppose {counts['oppose']}, abstain "
                f"{counts['abstain']}, no decision {counts['none']}; {cj['stale']} decided on "
                f"an older plan (not counted)",
            )
        ).mark("counts")
        columns, rows = conditions_table(cj)
        ui.table(columns=columns, rows=rows, row_key="_k").props(
            "dense flat bordered wrap-cells"
        ).classes("w-full").mark("conditions")

    def households(self, c: Consultation) -> None:
        ui.label(tr("各户表态", "Each household's decision")).classes("text-subtitle2")
        latest: dict[str, DecisionRow] = {}
        for r in c.rows:
            latest[r.household] = r
        headers = [
            tr("户号", "Room"),
            tr("楼层", "Floor"),
            tr("面积 m²", "Area m²"),
            tr("计入", "Counts as"),
            tr("最近表态", "Latest entry"),
            tr("方式", "Via"),
            tr("录入人", "Recorded by"),
            tr("时间", "When"),
            tr("说明", "Note"),
        ]
        rows = []
        for h in c.result.households:
            r = latest.get(h.id)
            note = ""
            if h.stale:
                note = tr(
                    f"旧方案 {r.plan_version} 上的表态，不计入",
                    f"given on older plan {r.plan_version}; not counted",
                )
            rows.append(
                [
                    h.id,
                    str(h.floor),
                    exact_str(h.area_m2),
                    tr(*DECISION_WORDS[h.decision]),
                    stored_word(r.decision) if r else "",
                    tr(*VIA[r.via]) if r else "",
                    (r.recorded_by or "") if r else "",
                    r.at[:16].replace("T", " ") if r else "",
                    note,
                ]
            )
        columns, rows = table(headers, rows)
        t = (
            ui.table(columns=columns, rows=rows, row_key="_k")
            .props("dense flat bordered wrap-cells")
            .classes("w-full")
            .mark("households")
        )
        t.props["pagination"] = {"rowsPerPage": 0}

    def record_form(self, c: Consultation) -> None:
        ui.label(tr("录入纸质签字", "Record a paper signature")).classes("text-subtitle2")
        ids = [h.id for h in c.result.households]
        with ui.row().classes("w-full gap-2 items-end"):
            who = ui.select(ids, label=tr("户号", "Room")).classes("w-32").mark("paper-household")
            what = (
                ui.select(
                    {k: tr(*v) for k, v in STORED_WORDS.items()},
                    value="agree",
                    label=tr("表态", "Decision"),
                )
                .classes("w-32")
                .mark("paper-decision")
            )
            reason = (
                ui.input(tr("理由/备注（可选）", "Reason / note (optional)"))
                .props("dense maxlength=2000")
                .classes("w-64")
                .mark("paper-reason")
            )
            by = (
                ui.input(
                    tr("录入人（调解员）", "Recorded by (mediator)"),
                    value=app.storage.user.get("mediator_name", ""),
                )
                .props("dense maxlength=80")
                .classes("w-48")
                .mark("paper-by")
            )

            def submit() -> None:
                if not who.value:
                    ui.notify(both("请选择户号", "choose the room"), type="warning")
                    return
                if not (by.value or "").strip():
                    ui.notify(both("请填写录入人", "enter who records it"), type="warning")
                    return
                app.storage.user["mediator_name"] = by.value.strip()
                if current_version(self.pid) != c.version:
                    ui.notify(
                        both(
                            "方案已更新，已刷新本页，请核对后再录入",
                            "the plan changed; the page was refreshed, check and record again",
                        ),
                        type="warning",
                        multi_line=True,
                    )
                    self.build()
                    return
                try:
                    store().record_decision(
                        self.pid,
                        who.value,
                        what.value,
                        "paper",
                        c.version,
                        by.value.strip(),
                        (reason.value or "").strip() or None,
                    )
                except ProjectError as e:
                    ui.notify("；".join(both(p.zh, p.en) for p in e.problems), type="negative")
                    return
                ui.notify(both(f"已录入 {who.value}", f"recorded {who.value}"), type="positive")
                self.build()

            ui.button(tr("录入", "Record"), icon="edit_note", on_click=submit).props(
                "no-caps"
            ).mark("paper-record")

    def history(self, c: Consultation) -> None:
        with (
            ui.expansion(
                tr(
                    f"表决记录（共 {len(c.rows)} 条，只追加不修改）",
                    f"Decision history ({len(c.rows)} entries, append-only)",
                )
            )
            .classes("w-full")
            .mark("history-toggle")
        ):
            headers = [
                tr("序号", "No."),
                tr("户号", "Room"),
                tr("表态", "Decision"),
                tr("方式", "Via"),
                tr("录入人", "Recorded by"),
                tr("时间", "When"),
                tr("方案版本", "Plan version"),
                tr("理由", "Reason"),
            ]
            rows = [
                [
                    str(r.seq),
                    r.household,
                    stored_word(r.decision),
                    tr(*VIA[r.via]),
                    r.recorded_by or "",
                    r.at[:16].replace("T", " "),
                    r.plan_version
                    + ("" if r.plan_version == c.version else tr("（旧）", " (old)")),
                    r.reason or "",
                ]
                for r in c.rows
            ]
            columns, rows = table(headers, rows)
            t = (
                ui.table(columns=columns, rows=rows, row_key="_k")
                .props("dense flat bordered wrap-cells")
                .classes("w-full")
                .mark("history")
            )
            t.props["pagination"] = {"rowsPerPage": 0}

    def objections(self) -> None:
        ui.label(tr("异议与答复", "Objections and replies")).classes("text-subtitle2")
        objections = store().objections(self.pid)
        if not objections:
            ui.label(tr("暂无异议", "No objections")).classes("text-body2").mark("no-objections")
        headers = [
            tr("编号", "No."),
            tr("户号", "Room"),
            tr("理由", "Reason"),
            tr("状态", "Status"),
            tr("答复", "Reply"),
            tr("答复人", "Replied by"),
        ]
        rows = [
            [o.id, o.household, o.reason, tr(*STATUS[o.status]), o.reply or "", o.replied_by or ""]
            for o in objections
        ]
        columns, rows = table(headers, rows)
        ui.table(columns=columns, rows=rows, row_key="_k").props(
            "dense flat bordered wrap-cells"
        ).classes("w-full").mark("objections").set_visibility(bool(objections))
        answerable = [o.id for o in objections if o.status != "withdrawn"]
        if not answerable:
            return
        with ui.row().classes("w-full gap-2 items-end"):
            which = (
                ui.select(answerable, value=answerable[0], label=tr("异议", "Objection"))
                .classes("w-28")
                .mark("reply-objection")
            )
            text = (
                ui.textarea(tr("答复", "Reply"))
                .props("dense autogrow maxlength=4000")
                .classes("w-80")
                .mark("reply-text")
            )

            def reply() -> None:
                by = app.storage.user.get("mediator_name") or tr("调解员", "mediator")
                try:
                    store().reply_objection(self.pid, which.value, text.value or "", by)
                except ProjectError as e:
                    ui.notify("；".join(both(p.zh, p.en) for p in e.problems), type="negative")
                    return
                ui.notify(
                    both(f"已答复 {which.value}", f"replied to {which.value}"), type="positive"
                )
                self.build()

            def withdraw_it() -> None:  # a household may withdraw on paper too
                store().withdraw_objection(self.pid, which.value)
                self.build()

            ui.button(tr("答复", "Reply"), on_click=reply).props("no-caps").mark("reply")
            ui.button(tr("登记撤回", "Mark withdrawn"), on_click=withdraw_it).props(
                "no-caps outline"
            ).mark("withdraw-objection")

    def publicity(self) -> None:
        ui.label(tr("公示期", "Publicity period")).classes("text-subtitle2")
        p = store().publicity(self.pid)
        default = publicity_default()
        today = dt.date.today()
        if p is not None:
            s = publicity_status(p, store().objections(self.pid), today)
            text = tr(
                f"公示自 {s.start} 起 {s.working_days} 个工作日，至 {s.last_day} 止（已过 "
                f"{s.elapsed} 个工作日）",
                f"posted {s.start}, {s.working_days} working days, "
                f"through {s.last_day} ({s.elapsed} elapsed)",
            )
            if p.closed_on:
                text += tr(f"；已于 {p.closed_on} 结束", f"; closed on {p.closed_on}")
            ui.label(text).classes("text-body2").mark("publicity")
            if not p.closed_on:
                for z, e in zip(s.reasons_zh, s.reasons_en):
                    ui.label(tr(z, e)).classes("text-caption text-grey-8")

                def close() -> None:
                    try:
                        store().close_publicity(self.pid, dt.date.today())
                    except ProjectError as e:
                        ui.notify(
                            both("不能结束公示", "cannot close the publicity period")
                            + "："
                            + "；".join(both(x.zh, x.en) for x in e.problems),
                            type="negative",
                            multi_line=True,
                        )
                        return
                    ui.notify(both("公示已结束", "publicity closed"), type="positive")
                    self.build()

                ui.button(tr("结束公示", "Close publicity"), on_click=close).props("no-caps").mark(
                    "publicity-close"
                )
        if p is None or p.closed_on:
            with ui.row().classes("w-full gap-2 items-end"):
                start = (
                    ui.input(
                        tr("公示开始日（不计入）", "Posted on (not counted)"),
                        value=today.isoformat(),
                    )
                    .props("dense")
                    .classes("w-48")
                    .mark("publicity-start")
                )
                days = (
                    ui.input(
                        tr(
                            f"工作日数（默认 {default.working_days} "
                            f"{'[W]' if default.confidence == 'weak' else ''}）",
                            f"working days (default {default.working_days})",
                        ),
                        value=str(default.working_days),
                    )
                    .props("dense inputmode=numeric")
                    .classes("w-48")
                    .mark("publicity-days")
                )

                def begin() -> None:
                    try:
                        day = dt.date.fromisoformat((start.value or "").strip())
                        n = int((days.value or "").strip())
                        store().start_publicity(self.pid, day, n)
                    except ValueError:
                        ui.notify(
                            both(
                                "日期应为 YYYY-MM-DD，天数应为整数",
                                "the date must be YYYY-MM-DD and the days a whole number",
                            ),
                            type="negative",
                        )
                        return
                    except ProjectError as e:
                        ui.notify("；".join(both(x.zh, x.en) for x in e.problems), type="negative")
                        return
                    self.build()

                ui.button(tr("开始公示", "Start publicity"), on_click=begin).props("no-caps").mark(
                    "publicity-begin"
                )

    def links(self, c: Consultation) -> None:
        ui.label(tr("住户链接", "Resident links")).classes("text-subtitle2")
        ui.label(
            tr(
                "每户一个链接：住户凭链接查看分摊表、表态、提出异议。撤销后旧链接失效，并生成新链接。",
                "One link per household: it opens the cost table, the decision and objections "
                "for that household only. Revoking makes the old link stop working and "
                "gives a new one.",
            )
        ).classes("text-caption text-grey-8")
        if not self.show_links:

            def reveal() -> None:
                self.show_links = True
                self.build()

            ui.button(tr("生成并显示链接", "Generate and show links"), on_click=reveal).props(
                "no-caps outline"
            ).mark("show-links")
            return
        secret = store().resident_secret()
        epochs = store().link_epochs(self.pid)
        base = _base_url()
        for h in c.result.households:
            token = resident_token(secret, str(self.pid), h.id, epochs.get(h.id, 0))
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                ui.label(h.id).classes("w-16")
                ui.input(value=f"{base}/r/{self.pid}/{token}").props("dense readonly").classes(
                    "grow"
                ).mark(f"link-{h.id}")

                def revoke(hid: str = h.id) -> None:
                    store().revoke_link(self.pid, hid)
                    ui.notify(
                        both(f"{hid} 的旧链接已撤销", f"{hid}'s old link was revoked"),
                        type="positive",
                    )
                    self.build()

                ui.button(tr("撤销", "Revoke"), on_click=revoke).props(
                    "no-caps dense outline"
                ).mark(f"revoke-{h.id}")


def _base_url() -> str:
    """The address the browser used, so the mediator can copy a whole link."""
    try:
        return str(ui.context.client.request.base_url).rstrip("/")
    except (AttributeError, RuntimeError):
        return ""
