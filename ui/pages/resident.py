"""A resident's page, reached by the household's own link `/r/{project_id}/{token}`.

The token opens one household of one project (elevator.access); anything else — a bad
token, another project's token, a revoked link — gets the same plain refusal and no data.
The household sees the published cost table (no owner names) with its own row marked,
the consent conditions and counts without anyone named (`consent_json(named=False)`),
its own decision, and its own objections with their replies.
"""

from __future__ import annotations

from nicegui import ui

from elevator.consent.evaluation import DECISION_WORDS
from elevator.core.errors import ProjectError
from elevator.core.money import money_str
from elevator.documents.consent import consent_json
from elevator.documents.tables import household_rows
from elevator.store.access import household_for_token
from ui.pages.consent import (
    STATUS,
    Consultation,
    conditions_table,
    consultation,
    current_version,
    rule_text,
    verdict_text,
)
from ui.state import store
from ui.theme import both, frame, tr
from ui.views import table


def refuse() -> None:
    with frame(tr("链接无效", "Link not valid")):
        ui.label(
            tr(
                "此链接无效或已被撤销。请向调解员索取本户的新链接。",
                "This link is not valid or has been revoked. Ask the mediator for your "
                "household's new link.",
            )
        ).classes("text-body1").mark("refused")


def resolve(project_id: str, token: str) -> tuple[int, str] | None:
    """(project id, household) this link opens, or None."""
    try:
        pid = int(project_id)
    except ValueError:
        return None
    record = store().get(pid)
    if record is None:
        return None
    ids = [h["id"] for h in record.data["building"]["households"]]
    hid = household_for_token(
        store().resident_secret(), str(pid), token, ids, store().link_epochs(pid)
    )
    return (pid, hid) if hid else None


def page(project_id: str, token: str) -> None:
    found = resolve(project_id, token)
    if found is None:
        refuse()
        return
    pid, hid = found
    record = store().get(pid)
    with frame(f"{record.name} · {tr('住户', 'household')} {hid}"):
        body = ui.column().classes("w-full gap-3")
        ResidentPanel(pid, hid, token, body).build()


class ResidentPanel:
    def __init__(self, pid: int, hid: str, token: str, body: ui.column):
        self.pid, self.hid, self.token, self.body = pid, hid, token, body

    def still_valid(self) -> bool:
        """A click after the link was revoked is refused too."""
        if resolve(str(self.pid), self.token) != (self.pid, self.hid):
            self.body.clear()
            with self.body:
                ui.label(tr("此链接已被撤销。", "This link has been revoked.")).mark("refused")
            return False
        return True

    def build(self) -> None:
        self.body.clear()
        with self.body:
            try:
                c = consultation(store().get(self.pid))
            except ProjectError:
                ui.label(
                    tr(
                        "方案正在修改中，请稍后再来。",
                        "The plan is being revised; please come back later.",
                    )
                ).mark("unavailable")
                return
            self.shares(c)
            self.consent(c)
            self.objections()

    def shares(self, c: Consultation) -> None:
        mine = c.shares.by_id()[self.hid]
        ui.label(
            tr(
                f"本户 {self.hid}：应付 {money_str(mine.share)} 元",
                f"Household {self.hid}: pays {money_str(mine.share)} yuan",
            )
        ).classes("text-subtitle1 bg-amber-1 q-pa-sm rounded-borders w-full").mark("mine")
        ui.label(f"{tr('方案版本', 'Plan version')}: {c.version}").classes(
            "text-caption text-grey-8"
        ).mark("plan-version")
        headers, rows = household_rows(c.shares, tr("zh", "en"))
        rows = [(["★ " + r[0]] + r[1:]) if r[0] == self.hid else r for r in rows]
        columns, rows = table(headers, rows)
        t = (
            ui.table(columns=columns, rows=rows, row_key="_k")
            .props("dense flat bordered")
            .classes("w-full")
            .mark("households")
        )
        t.props["pagination"] = {"rowsPerPage": 0}

    def consent(self, c: Consultation) -> None:
        cj = consent_json(c.result, named=False, viewer=self.hid)
        ui.label(tr("表决情况", "The vote")).classes("text-subtitle2")
        ui.label(rule_text(cj)).classes("text-body2")
        ui.label(verdict_text(cj)).classes("text-body1").mark("verdict")
        counts = cj["counts"]
        ui.label(
            tr(
                f"同意 {counts['agree']} 户，反对 {counts['oppose']} 户，弃权 {counts['abstain']} 户，"
                f"未表态 {counts['none']} 户",
                f"agree {counts['agree']}, oppose "
                f"{counts['oppose']}, abstain {counts['abstain']}, no decision "
                f"{counts['none']}",
            )
        ).mark("counts")
        columns, rows = conditions_table(cj)
        ui.table(columns=columns, rows=rows, row_key="_k").props(
            "dense flat bordered wrap-cells"
        ).classes("w-full").mark("conditions")
        own = cj["viewer"]
        if own["stale"]:
            text = tr(
                "本户此前在旧方案上的表态不计入，请对当前方案重新表态。",
                "Your earlier decision was on an older plan and does not count; please "
                "decide on the current plan.",
            )
        elif own["latest"] is None or own["decision"] == "none":
            text = tr("本户尚未表态。", "Your household has not decided yet.")
        else:
            text = tr(
                f"本户当前表态：{DECISION_WORDS[own['decision']][0]}",
                f"Your current decision: {DECISION_WORDS[own['decision']][1]}",
            )
        ui.label(text).classes("text-body1").mark("own-decision")
        reason = (
            ui.input(tr("理由（可选）", "Reason (optional)"))
            .props("dense maxlength=2000")
            .classes("w-80")
            .mark("decision-reason")
        )
        with ui.row().classes("gap-2"):
            for value in ("agree", "oppose", "abstain"):
                ui.button(
                    tr(*DECISION_WORDS[value]),
                    on_click=lambda v=value: self.decide(v, c.version, reason.value),
                ).props("no-caps").mark(f"decide-{value}")

    def decide(self, value: str, shown_version: str, reason: str | None) -> None:
        if not self.still_valid():
            return
        if current_version(self.pid) != shown_version:
            ui.notify(
                both(
                    "方案已更新，请查看新的分摊表后再表态",
                    "the plan has changed; look at the new table and decide again",
                ),
                type="warning",
                multi_line=True,
            )
            self.build()
            return
        try:
            store().record_decision(
                self.pid,
                self.hid,
                value,
                "own_link",
                shown_version,
                self.hid,
                (reason or "").strip() or None,
            )
        except ProjectError as e:
            ui.notify("；".join(both(p.zh, p.en) for p in e.problems), type="negative")
            return
        ui.notify(
            both(f"已记录：{DECISION_WORDS[value][0]}", f"recorded: {DECISION_WORDS[value][1]}"),
            type="positive",
        )
        self.build()

    def objections(self) -> None:
        ui.label(tr("本户的异议与答复", "Your objections and the replies")).classes(
            "text-subtitle2"
        )
        own = [o for o in store().objections(self.pid) if o.household == self.hid]
        for o in own:
            with ui.card().classes("w-full").mark(f"objection-{o.id}"):
                ui.label(f"{o.id} · {tr(*STATUS[o.status])}").classes("text-caption")
                ui.label(o.reason).classes("text-body2 break-all")
                if o.reply:
                    ui.label(f"{tr('答复', 'Reply')}: {o.reply}").classes(
                        "text-body2 break-all"
                    ).mark(f"reply-{o.id}")
                if o.status == "open":
                    ui.button(
                        tr("撤回此异议", "Withdraw this objection"),
                        on_click=lambda oid=o.id: self.withdraw(oid),
                    ).props("no-caps dense outline").mark(f"withdraw-{o.id}")
        text = (
            ui.textarea(tr("提出异议（理由）", "File an objection (reason)"))
            .props("autogrow maxlength=2000")
            .classes("w-full")
            .mark("objection-text")
        )
        ui.button(tr("提交异议", "Submit objection"), on_click=lambda: self.file(text.value)).props(
            "no-caps"
        ).mark("objection-submit")

    def file(self, reason: str | None) -> None:
        if not self.still_valid():
            return
        try:
            o = store().file_objection(self.pid, self.hid, reason or "")
        except ProjectError as e:
            ui.notify("；".join(both(p.zh, p.en) for p in e.problems), type="negative")
            return
        ui.notify(both(f"异议 {o.id} 已提交", f"objection {o.id} filed"), type="positive")
        self.build()

    def withdraw(self, oid: str) -> None:
        if not self.still_valid():
            return
        store().withdraw_objection(self.pid, oid, household=self.hid)
        self.build()
