"""A resident's page, "我家的账单", reached by the household's own link `/r/{project_id}/{token}`.

The token opens one household of one project (elevator.access); anything else — a bad
token, another project's token, a revoked link — gets the same plain refusal and no data.

Phone first (390 px, large type, nothing wider than the screen): the first screen shows
what the household pays, why in one sentence, and where the subsidies come from; then the
chain from the construction cost to the amount the households share, a small chart of
every household's share with this one marked, and what changed since the version the
household decided on (or, without a decision, last looked at in this browser).  Then the
consent conditions and counts without anyone named (`consent_json(named=False)`), its own
decision, its private limit and its own objections with their replies.  The exact
fractions and the full household table (only its own hardship aid: another household's
aid and what it pays after aid are blanked) stay one tap away under "精确计算".
Words and numbers come from `elevator.documents.bill`; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nicegui import app, run, ui

from elevator.core.errors import ProjectError
from elevator.core.text import Msg, t
from elevator.documents.bill import Bill, BillChanges, bill, changes_since
from elevator.documents.consent import consent_json
from elevator.documents.tables import formula_legend, formula_line, household_rows
from elevator.model.io import parse_project
from elevator.sharing.formulas import formula_for_result
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
from ui.widgets import data_table

MINE = "#f59e0b"  # this household's bar
OTHERS = "#0f766e"  # the theme's primary colour


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


@dataclass(kw_only=True)
class ResidentView:
    """Everything the page shows, computed off the event loop."""

    consultation: Consultation
    bill: Bill
    changes: BillChanges
    formula: str
    legend: str


def compared_plan(rows: list[Any], hid: str, seen: str | None) -> tuple[str | None, str | None]:
    """The plan to compare with: the one the household last decided on (and how), or,
    without a decision, the one this browser last showed it; (None, None): nothing."""
    own = [r for r in rows if r.household == hid and r.decision != "withdrawn"]
    if own:
        return own[-1].plan_version, own[-1].decision
    return seen, None


def resident_view(pid: int, hid: str, lg: str, seen: str | None) -> ResidentView:
    """The household's bill, what changed, the consultation; raises ProjectError when the
    saved project cannot be shared."""
    record = store().get(pid)
    c = consultation(record)
    project = parse_project(record.data)
    plan, decision = compared_plan(c.rows, hid, seen)
    changes = changes_since(store().versions(pid), plan, record.data, hid, lg, decision=decision)
    formula = formula_for_result(c.shares)
    return ResidentView(
        consultation=c,
        bill=bill(project, c.shares, hid, lg),
        changes=changes,
        formula=formula_line(formula, lg),
        legend=formula_legend(formula, lg),
    )


def chart_options(b: Bill, lg: str) -> dict[str, Any]:
    """Every household's share in floor order, this one in orange; fits a phone's width."""
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 8, "bottom": 8, "top": 24, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [x.id for x in b.bars],
            "axisLabel": {"rotate": 45 if len(b.bars) > 8 else 0, "fontSize": 11},
        },
        "yAxis": {"type": "value", "name": t("ui.unit.yuan", lg)},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": float(x.amount),
                        "itemStyle": {"color": MINE if x.mine else OTHERS},
                    }
                    for x in b.bars
                ],
            }
        ],
    }


SEEN = "resident.seen"  # app.storage.user: the plan each household's page last showed


def seen_plan(pid: int, hid: str) -> str | None:
    try:
        return app.storage.user.get(SEEN, {}).get(f"{pid}/{hid}")
    except (RuntimeError, AssertionError):  # no browser storage (e.g. a benchmark)
        return None


def remember_plan(pid: int, hid: str, plan: str) -> None:
    try:
        seen = dict(app.storage.user.get(SEEN, {}))
        seen[f"{pid}/{hid}"] = plan
        app.storage.user[SEEN] = seen
    except (RuntimeError, AssertionError):
        pass


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
        lg, seen = lang(), seen_plan(self.pid, self.hid)
        try:  # off the event loop: one resident cannot hold up the others
            v = await run.io_bound(resident_view, self.pid, self.hid, lg, seen)
        except ProjectError as e:
            v = e
        if v is None:  # cancelled: the page was left or the app is stopping
            return
        self.body.clear()
        with self.body:
            if isinstance(v, ProjectError):
                ui.label(tr("ui.resident.unavailable")).mark("unavailable")
                return
            remember_plan(self.pid, self.hid, v.consultation.version)
            self.first_screen(v)
            self.chain(v.bill)
            self.chart(v.bill)
            self.changes(v.changes)
            self.running(v.bill)
            self.consent(v.consultation)
            resident_limit(self)  # the household's private limit (ui/pages/deal.py)
            self.objections()
            self.exact(v)

    def first_screen(self, v: ResidentView) -> None:
        """Amount, reason, sources: what a resident must see without scrolling."""
        b = v.bill
        with ui.card().classes("w-full bg-amber-1 q-pa-md gap-2").mark("bill"):
            ui.label(tr("ui.resident.bill")).classes("text-subtitle1 text-grey-8")
            ui.label(b.headline).classes("text-h5 text-weight-bold break-words").mark("mine")
            ui.label(b.reason).classes("text-body1 break-words").mark("reason")
            for line in b.adjustments:
                ui.label(line).classes("text-body2 break-words").mark("adjustment")
            if b.sources:
                ui.label(tr("ui.resident.sources")).classes("text-caption text-grey-8 q-mt-xs")
            for line in b.sources:
                self.source(line)
            ui.label(tr("ui.resident.plan_version", version=v.consultation.version)).classes(
                "text-caption text-grey-8 break-all"
            ).mark("plan-version")

    @staticmethod
    def source(line: Any) -> None:
        """A subsidy or contribution: its name, amount, document (a link when there is one)
        and its confidence mark."""
        with ui.column().classes("w-full gap-0").mark("source"):
            ui.label(f"{line.label} {line.amount_text}").classes("text-body1 break-words")
            with ui.row().classes("w-full items-baseline gap-1 no-wrap"):
                ui.label(line.mark).classes("text-caption text-weight-bold").mark("source-mark")
                title = line.source or line.label
                if line.href:
                    ui.link(title, line.href, new_tab=True).classes("text-body2 break-all").mark(
                        "source-link"
                    )
                else:
                    ui.label(title).classes("text-body2 text-grey-9 break-all").mark("source-title")

    def chain(self, b: Bill) -> None:
        ui.label(tr("ui.resident.chain")).classes("text-subtitle1")
        with ui.card().classes("w-full q-pa-sm gap-1").mark("chain"):
            for line in b.chain:
                strong = " text-weight-bold" if line.kind in ("cost", "shared") else ""
                with ui.row().classes("w-full justify-between items-start no-wrap gap-2"):
                    ui.label(line.label).classes("col text-body1 break-words" + strong).style(
                        "min-width: 0"
                    )
                    ui.label(line.amount_text).classes("text-body1 text-no-wrap" + strong)
                if line.basis and line.kind != "shared":
                    ui.label(line.basis).classes("text-caption text-grey-8 break-words")
            ui.label(tr("ui.resident.scheme", scheme=b.scheme)).classes("text-body1 q-mt-sm").mark(
                "scheme"
            )
            ui.label(b.scheme_words).classes("text-body2 text-grey-9 break-words")

    def chart(self, b: Bill) -> None:
        ui.label(tr("ui.resident.chart")).classes("text-subtitle1")
        ui.echart(chart_options(b, lang())).classes("w-full").style("height: 220px").mark(
            "share-chart"
        )
        if b.chart_before_aid:
            ui.label(tr("ui.resident.chart_note")).classes("text-caption text-grey-8")

    def changes(self, ch: BillChanges) -> None:
        ui.label(tr("ui.resident.changes")).classes("text-subtitle1")
        with ui.card().classes("w-full q-pa-sm gap-1").mark("changes"):
            ui.label(ch.heading).classes("text-body1 break-words").mark("changes-heading")
            if ch.state != "changed":
                return
            ui.label(ch.mine).classes("text-body1 text-weight-bold break-words").mark(
                "changes-mine"
            )
            if ch.inputs:
                ui.label(tr("ui.resident.changed_inputs")).classes("text-subtitle2 q-mt-sm")
                for line in ch.inputs:
                    ui.label("· " + line).classes("text-body2 break-words").mark("changed-input")
            if ch.households:
                ui.label(tr("ui.resident.changed_households")).classes("text-subtitle2 q-mt-sm")
                for m in ch.households:
                    ui.label(("★ " if m.mine else "") + m.text).classes(
                        "text-body2 break-words"
                    ).mark(f"changed-household-{m.id}")

    def running(self, b: Bill) -> None:
        if b.running:
            ui.label(tr("ui.resident.running")).classes("text-subtitle1")
            ui.label(b.running).classes("text-body1 break-words").mark("running")

    def exact(self, v: ResidentView) -> None:
        """The exact calculation, one tap away: formula, fractions, every household."""
        c = v.consultation
        with ui.expansion(tr("ui.resident.exact")).classes("w-full").mark("exact"):
            ui.label(tr("ui.resident.exact_note")).classes("text-caption text-grey-8")
            if v.formula:
                ui.label(v.formula).classes("text-body2 break-all").mark("formula")
                ui.label(v.legend).classes("text-caption text-grey-8 break-words")
            headers, rows = household_rows(c.shares, lang())
            rows = own_aid_only(headers, rows, self.hid, lang())
            rows = [(["★ " + r[0]] + r[1:]) if r[0] == self.hid else r for r in rows]
            columns, rows = table(headers, rows)
            data_table(columns, rows, "households", wrap=False, per_page=0)

    def consent(self, c: Consultation) -> None:
        cj = consent_json(c.result, named=False, viewer=self.hid)
        ui.label(tr("ui.resident.vote")).classes("text-subtitle1")
        ui.label(rule_text(cj)).classes("text-body2")
        ui.label(verdict_text(cj)).classes("text-body1").mark("verdict")
        ui.label(counts_text(cj)).mark("counts")
        columns, rows = conditions_table(cj)
        data_table(columns, rows, "conditions")
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
        ui.label(tr("ui.resident.objections")).classes("text-subtitle1")
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
