"""A resident's page, reached by the household's own link `/r/{project_id}/{token}`.

The token opens one household of one project (elevator.access); anything else — a bad
token, another project's token, a revoked link — gets the same plain refusal and no data.
The household sees the published cost table (no owner names) with its own row marked and
only its own hardship aid (another household's aid and what it pays after aid are blanked),
the consent conditions and counts without anyone named (`consent_json(named=False)`),
its own decision, and its own objections with their replies.
"""

from __future__ import annotations

from nicegui import run, ui

from elevator.core.errors import ProjectError
from elevator.core.money import money_str
from elevator.core.text import Msg, t
from elevator.documents.consent import consent_json
from elevator.documents.tables import household_rows
from elevator.store.access import household_for_token
from ui.pages.consent import (
    Consultation,
    conditions_table,
    consultation,
    counts_text,
    current_version,
    rule_text,
    status_word,
    verdict_text,
)
from ui.pages.deal import resident_limit
from ui.state import store
from ui.theme import both, both_list, frame, lang, tr
from ui.views import table


def refuse() -> None:
    with frame(tr("ui.resident.invalid")):
        ui.label(tr("ui.resident.refused")).classes("text-body1").mark("refused")


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


async def page(project_id: str, token: str) -> None:
    found = resolve(project_id, token)
    if found is None:
        refuse()
        return
    pid, hid = found
    record = store().get(pid)
    with frame(tr("ui.resident.title", project=record.name, household=hid)):
        body = ui.column().classes("w-full gap-3")
        await ResidentPanel(pid, hid, token, body).build()


def own_aid_only(headers: list[str], rows: list[list[str]], hid: str, lg: str) -> list[list[str]]:
    """Blank the hardship aid of every other household, and what it pays after aid (from
    which the aid could be worked out); the total row keeps the project's totals but not
    the aid total (with one recipient it would name the amount)."""
    aid = t("label.aid", lg)
    if aid not in headers:
        return rows
    hidden = {headers.index(aid), headers.index(t("label.net", lg))}
    total = t("label.total", lg)
    out = []
    for r in rows:
        if r[0] == hid:
            out.append(r)
            continue
        cut = hidden if r[0] != total else {headers.index(aid)}
        out.append([("—" if i in cut else v) for i, v in enumerate(r)])
    return out


class ResidentPanel:
    def __init__(self, pid: int, hid: str, token: str, body: ui.column):
        self.pid, self.hid, self.token, self.body = pid, hid, token, body

    def still_valid(self) -> bool:
        """A click after the link was revoked is refused too."""
        if resolve(str(self.pid), self.token) != (self.pid, self.hid):
            self.body.clear()
            with self.body:
                ui.label(tr("ui.resident.revoked")).mark("refused")
            return False
        return True

    async def build(self) -> None:
        try:  # off the event loop: one resident cannot hold up the others
            c = await run.io_bound(consultation, store().get(self.pid))
        except ProjectError as e:
            c = e
        if c is None:  # cancelled: the page was left or the app is stopping
            return
        self.body.clear()
        with self.body:
            if isinstance(c, ProjectError):
                ui.label(tr("ui.resident.unavailable")).mark("unavailable")
                return
            self.shares(c)
            self.consent(c)
            resident_limit(self)  # the household's private limit (ui/pages/deal.py)
            self.objections()

    def shares(self, c: Consultation) -> None:
        mine = c.shares.by_id()[self.hid]
        ui.label(tr("ui.resident.pays", household=self.hid, amount=money_str(mine.share))).classes(
            "text-subtitle1 bg-amber-1 q-pa-sm rounded-borders w-full"
        ).mark("mine")
        ui.label(tr("ui.resident.plan_version", version=c.version)).classes(
            "text-caption text-grey-8"
        ).mark("plan-version")
        headers, rows = household_rows(c.shares, lang())
        rows = own_aid_only(headers, rows, self.hid, lang())
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
        ui.label(tr("ui.resident.vote")).classes("text-subtitle2")
        ui.label(rule_text(cj)).classes("text-body2")
        ui.label(verdict_text(cj)).classes("text-body1").mark("verdict")
        ui.label(counts_text(cj)).mark("counts")
        columns, rows = conditions_table(cj)
        ui.table(columns=columns, rows=rows, row_key="_k").props(
            "dense flat bordered wrap-cells"
        ).classes("w-full").mark("conditions")
        own = cj["viewer"]
        if own["stale"]:
            text = tr("ui.resident.stale")
        elif own["latest"] is None or own["decision"] == "none":
            text = tr("ui.resident.not_decided")
        else:
            text = tr("ui.resident.decided", decision=tr(f"decision.{own['decision']}"))
        ui.label(text).classes("text-body1").mark("own-decision")
        reason = (
            ui.input(tr("ui.resident.reason"))
            .props("dense maxlength=2000")
            .classes("w-80")
            .mark("decision-reason")
        )
        with ui.row().classes("gap-2"):
            for value in ("agree", "oppose", "abstain"):
                ui.button(
                    tr(f"decision.{value}"),
                    on_click=lambda v=value: self.decide(v, c.version, reason.value),
                ).props("no-caps").mark(f"decide-{value}")

    async def decide(self, value: str, shown_version: str, reason: str | None) -> None:
        if not self.still_valid():
            return
        if current_version(self.pid) != shown_version:
            ui.notify(both("ui.resident.plan_changed"), type="warning", multi_line=True)
            await self.build()
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
                actor=f"link:{self.hid}",
            )
        except ProjectError as e:
            ui.notify(both_list(e.problems), type="negative")
            return
        ui.notify(both("ui.resident.recorded", decision=Msg(f"decision.{value}")), type="positive")
        await self.build()

    def objections(self) -> None:
        ui.label(tr("ui.resident.objections")).classes("text-subtitle2")
        own = [o for o in store().objections(self.pid) if o.household == self.hid]
        for o in own:
            with ui.card().classes("w-full").mark(f"objection-{o.id}"):
                ui.label(f"{o.id} · {status_word(o.status)}").classes("text-caption")
                ui.label(o.reason).classes("text-body2 break-all")
                if o.reply:
                    ui.label(tr("ui.resident.reply", reply=o.reply)).classes(
                        "text-body2 break-all"
                    ).mark(f"reply-{o.id}")
                if o.status == "open":
                    ui.button(
                        tr("ui.resident.withdraw"),
                        on_click=lambda oid=o.id: self.withdraw(oid),
                    ).props("no-caps dense outline").mark(f"withdraw-{o.id}")
        text = (
            ui.textarea(tr("ui.resident.objection"))
            .props("autogrow maxlength=2000")
            .classes("w-full")
            .mark("objection-text")
        )
        ui.button(tr("ui.resident.submit"), on_click=lambda: self.file(text.value)).props(
            "no-caps"
        ).mark("objection-submit")

    async def file(self, reason: str | None) -> None:
        if not self.still_valid():
            return
        try:  # at most a few a day from one link (elevator.store.db.OBJECTIONS_PER_DAY)
            o = store().file_objection(self.pid, self.hid, reason or "", actor=f"link:{self.hid}")
        except ProjectError as e:
            ui.notify(both_list(e.problems), type="negative", multi_line=True)
            return
        ui.notify(both("ui.resident.filed", objection=o.id), type="positive")
        await self.build()

    async def withdraw(self, oid: str) -> None:
        if not self.still_valid():
            return
        store().withdraw_objection(self.pid, oid, household=self.hid, actor=f"link:{self.hid}")
        await self.build()
