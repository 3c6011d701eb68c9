"""The mediator's consent page (表决): who decided what, the rule's thresholds, what is missing,
paper signatures, objections and replies, the publicity period, and resident links.

Only for accounts with the "consent" ability on the project (mediators, administrators;
ui/session.py).  Every change is a new row in the store (elevator/store/db.py) and an
audit row naming the account; the evaluation is the library's (`elevator.consent.evaluate`
with the store's history), computed off the event loop so other users keep being served.
Each section is built on its own: stored data that cannot be shown (a publicity start
typed as 9999-12-30) shows as a problem in its section, never as a failed page.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import app, run, ui

from elevator.consent.applied import law_name
from elevator.consent.evaluation import ConsentResult, counting_rule, evaluate, exact_str
from elevator.consent.publicity import publicity_status
from elevator.core.errors import ProjectError
from elevator.core.text import t
from elevator.documents.consent import consent_json
from elevator.documents.words import citation
from elevator.model.io import parse_project
from elevator.plan.changes import version_of
from elevator.plan.compose import shares as compute_shares
from elevator.plan.versions import plan_version
from elevator.policy.consent_rules import publicity_default
from elevator.sharing.engine import ShareResult
from elevator.store.access import resident_token
from elevator.store.db import DecisionRow, Record
from ui.editing import load
from ui.links import LinkBase, link_base, qr_data_uri, slips_file, slips_filename
from ui.pages.deal import mediator_deal
from ui.session import actor, current
from ui.state import store
from ui.theme import both, both_list, both_of, either, frame, lang, tr
from ui.views import table
from ui.widgets import data_table

log = logging.getLogger(__name__)
# what a stored decision row can say: a decision (decision.*) or its withdrawal
STORED = ("agree", "oppose", "abstain", "withdrawn")
# how a decision reached the record: the store's value -> the catalogue's via.* key
VIA = {"own_link": "via.link", "paper": "via.paper"}


@dataclass(kw_only=True)
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
    return Consultation(record=record, shares=shares, version=version, result=result, rows=rows)


def current_version(pid: int) -> str | None:
    """The plan version of the saved project now (a click may come after someone saved)."""
    record = store().get(pid)
    return version_of(record.data) if record else None


def stored_word(value: str) -> str:
    return tr("ui.consent.withdrawn") if value == "withdrawn" else tr(f"decision.{value}")


def status_word(status: str) -> str:
    """An objection's status: open, answered or withdrawn."""
    return tr(f"objection.{status}")


def problems_label(e: ProjectError) -> None:
    for p in e.problems:
        ui.label(f"⚠ {p.field}: {both_of(p)}").classes("text-negative text-body2")


def conditions_table(cj: dict) -> tuple[list[dict], list[dict]]:
    lg = lang()
    headers = [
        tr("ui.consent.col.condition"),
        tr("ui.consent.col.basis"),
        tr("ui.consent.col.threshold"),
        tr("ui.consent.col.needed"),
        tr("ui.consent.col.have"),
        tr("ui.consent.col.holds"),
        tr("ui.consent.col.missing"),
    ]
    rows = []
    for c in cj["conditions"]:
        share = c["kind"] == "share"
        threshold = f"{c['fraction']} × {c['base']} = {c['threshold']}" if share else ""
        rows.append(
            [
                c["label"][lg],
                tr(f"doc.consent.basis.{c['basis']}"),
                threshold,
                c["needed"],
                c["have"],
                tr("doc.consent.holds.yes") if c["holds"] else tr("doc.consent.holds.no"),
                c["missing"][lg],
            ]
        )
    return table(headers, rows)


def verdict_text(cj: dict) -> str:
    if cj["passed"]:
        return tr("ui.consent.passed")
    return tr("ui.consent.not_passed", missing=cj["missing"][lang()])


def counts_text(cj: dict) -> str:
    """How many households agree, oppose, abstain or have not decided (nobody named)."""
    counts = cj["counts"]
    return tr(
        "ui.consent.counts",
        agree=counts["agree"],
        oppose=counts["oppose"],
        abstain=counts["abstain"],
        none=counts["none"],
    )


def rule_text(cj: dict) -> str:
    refs = tr("ui.sep.list").join(citation(r.get("title", "")) for r in cj["reference"])
    return tr(
        "ui.consent.rule",
        rule=cj["rule_label"][lang()],
        mark=cj["confidence_mark"],
        refs=refs,
    )


async def page(pid: int) -> None:
    record = load(pid)
    if record is None:
        return
    with frame(record.name, pid, "consent"):
        body = ui.column().classes("w-full gap-3")
        await ConsentPanel(pid, body).build()


def section(build: Callable[[], None]) -> None:
    """Build one section; what it cannot show is named in place of it."""
    try:
        build()
    except ProjectError as e:
        problems_label(e)
    except (ValueError, OverflowError, TypeError, KeyError) as e:  # stored data, not code
        log.warning("consent section %s: %r", getattr(build, "__name__", "?"), e)
        ui.label(both("ui.consent.section_failed", error=type(e).__name__)).classes(
            "text-negative text-body2"
        ).mark("section-problem")


# --- which law applied, and why ----------------------------------------------------


def msg_words(m) -> str:
    """A library message (Msg) in the browser's language."""
    return either(m.zh, m.en)


def mark_words(mark: str, confidence: str) -> str:
    """ "[S] 有出处": the confidence mark and what it means."""
    return f"{mark} {tr(f'confidence.{confidence}')}"


def law_section(result: ConsentResult) -> None:
    """The national law by the decision date, the local rule it adds, how owners are
    counted, and each condition's sources (title, link, confidence) — the library's words,
    as the consent text and PDF print them."""
    applied = result.applied
    if applied is None:
        return
    ui.label(tr("ui.consent.law_title")).classes("text-subtitle2")
    law = applied.law
    tail = f" {mark_words(law.mark, law.confidence)}" if law else ""
    ui.label(msg_words(applied.why) + tail).classes("text-body2").mark("law-line")
    if applied.local is not None:
        ui.label(
            tr(
                "ui.consent.local_line",
                mark=mark_words(applied.local.mark, applied.local.confidence),
                adds=msg_words(applied.adds),
            )
        ).classes("text-body2").mark("law-local")
    area = sum((h.area_m2 for h in result.households), start=0)
    ui.label(
        tr(
            "doc.consent.headcount",
            units=len(result.households),
            owners=len(result.owners),
            mixed=len(result.mixed_owners),
        )
        + tr("ui.sep.list")
        + tr("ui.consent.area_total", area=exact_str(area))
    ).classes("text-body2").mark("owner-counts")
    with ui.column().classes("w-full gap-0").mark("condition-sources"):
        for c in result.conditions:  # each condition and the rules that ask for it
            asked = tr("ui.sep.list").join(f"{msg_words(x.name)} {x.mark}" for x in c.sources)
            ui.label(msg_words(c.name) + tr("ui.sep.detail") + asked).classes("text-body2")
    ui.label(tr("doc.consent.source")).classes("text-subtitle2")
    with ui.column().classes("w-full gap-1").mark("rule-sources"):
        for rule in (applied.law, applied.local):  # each rule's references once
            if rule is not None:
                references(msg_words(law_name(rule)), rule.reference, rule.mark, rule.confidence)
        counting = counting_rule()
        references(
            tr("ui.consent.counting"), counting.reference, counting.mark, counting.confidence
        )


def references(name: str, refs, mark: str, confidence: str) -> None:
    """A rule's name and confidence, then each reference's title (a link when it has one)."""
    with ui.column().classes("w-full gap-0"):
        ui.label(f"{name} {mark_words(mark, confidence)}").classes("text-body2 text-weight-medium")
        for r in refs:
            title = citation(r.title) or tr("ui.consent.source_untitled")
            if r.href:
                ui.link(title, r.href, new_tab=True).classes("text-body2").mark("source-link")
            else:
                ui.label(title).classes("text-body2")


# --- the mediator's panel --------------------------------------------------------


class ConsentPanel:
    def __init__(self, pid: int, body: ui.column):
        self.pid = pid
        self.body = body
        self.show_links = False

    async def build(self) -> None:
        record = store().get(self.pid)
        try:  # evaluation grows with the households: off the event loop
            c = await run.io_bound(consultation, record)
        except ProjectError as e:
            c = e
        if c is None:  # cancelled: the page was left or the app is stopping
            return
        self.body.clear()
        with self.body:
            if isinstance(c, ProjectError):
                ui.label(tr("ui.consent.cannot_share"))
                problems_label(c)
                section(self.publicity)  # a wrong entry can still be corrected
                return
            self.c = c
            for build in (
                lambda: self.summary(c),
                lambda: law_section(c.result),
                lambda: self.households(c),
                lambda: self.record_form(c),
                lambda: self.history(c),
                lambda: mediator_deal(self),  # deal possible / short by X (ui/pages/deal.py)
                self.objections,
                self.publicity,
                lambda: self.links(c),
            ):
                section(build)

    def summary(self, c: Consultation) -> None:
        cj = consent_json(c.result, named=True)
        ui.label(tr("ui.consent.plan_version", version=c.version, saved=c.record.version)).classes(
            "text-caption text-grey-8"
        ).mark("plan-version")
        ui.label(rule_text(cj)).classes("text-body2").mark("rule")
        ui.label(verdict_text(cj)).classes(
            "text-subtitle1 q-pa-sm rounded-borders w-full "
            + ("bg-green-1" if cj["passed"] else "bg-amber-1")
        ).mark("verdict")
        in_file = len(c.record.data.get("consent", {}).get("decisions", []))
        if in_file:  # imported into the history when the project was created or imported
            ui.label(tr("ui.consent.file_decisions", count=in_file)).classes(
                "text-caption text-grey-8"
            ).mark("file-decisions")
        ui.label(counts_text(cj) + tr("ui.consent.counts_stale", stale=cj["stale"])).mark("counts")
        columns, rows = conditions_table(cj)
        data_table(columns, rows, "conditions")

    def households(self, c: Consultation) -> None:
        ui.label(tr("ui.consent.each_household")).classes("text-subtitle2")
        latest: dict[str, DecisionRow] = {}
        for r in c.rows:
            latest[r.household] = r
        headers = [
            tr("ui.field.room"),
            tr("ui.field.floor"),
            tr("ui.field.area"),
            tr("ui.consent.col.counts_as"),
            tr("ui.consent.col.latest"),
            tr("ui.field.via"),
            tr("ui.field.recorded_by"),
            tr("ui.field.when"),
            tr("ui.consent.col.note"),
        ]
        rows = []
        for h in c.result.households:
            r = latest.get(h.id)
            note = ""
            if h.stale:
                note = tr("doc.consent.stale", version=r.plan_version)
            rows.append(
                [
                    h.id,
                    str(h.floor),
                    exact_str(h.area_m2),
                    tr(f"decision.{h.decision}"),
                    stored_word(r.decision) if r else "",
                    tr(VIA[r.via]) if r else "",
                    (r.recorded_by or "") if r else "",
                    r.at[:16].replace("T", " ") if r else "",
                    note,
                ]
            )
        columns, rows = table(headers, rows)
        data_table(columns, rows, "households", per_page=0)

    def record_form(self, c: Consultation) -> None:
        ui.label(tr("ui.consent.paper")).classes("text-subtitle2")
        ids = [h.id for h in c.result.households]
        with ui.row().classes("w-full gap-2 items-end"):
            who = ui.select(ids, label=tr("ui.field.room")).classes("w-32").mark("paper-household")
            what = (
                ui.select(
                    {k: stored_word(k) for k in STORED},
                    value="agree",
                    label=tr("ui.field.decision"),
                )
                .classes("w-32")
                .mark("paper-decision")
            )
            reason = (
                ui.input(tr("ui.consent.reason_note"))
                .props("dense maxlength=2000")
                .classes("w-64")
                .mark("paper-reason")
            )
            by = (
                ui.input(
                    tr("ui.consent.recorded_by_mediator"),
                    value=app.storage.user.get("mediator_name", ""),
                )
                .props("dense maxlength=80")
                .classes("w-48")
                .mark("paper-by")
            )

            async def submit() -> None:
                if not who.value:
                    ui.notify(both("ui.consent.choose_room"), type="warning")
                    return
                if not (by.value or "").strip():
                    ui.notify(both("ui.consent.enter_recorder"), type="warning")
                    return
                app.storage.user["mediator_name"] = by.value.strip()
                if current_version(self.pid) != c.version:
                    ui.notify(both("ui.consent.plan_changed"), type="warning", multi_line=True)
                    await self.build()
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
                        actor=actor(),
                    )
                except ProjectError as e:
                    ui.notify(both_list(e.problems), type="negative")
                    return
                ui.notify(both("ui.consent.recorded", room=who.value), type="positive")
                await self.build()

            ui.button(tr("ui.consent.record"), icon="edit_note", on_click=submit).props(
                "no-caps"
            ).mark("paper-record")

    def history(self, c: Consultation) -> None:
        with (
            ui.expansion(tr("ui.consent.history", count=len(c.rows)))
            .classes("w-full")
            .mark("history-toggle")
        ):
            headers = [
                tr("ui.consent.col.seq"),
                tr("ui.field.room"),
                tr("ui.field.decision"),
                tr("ui.field.via"),
                tr("ui.field.recorded_by"),
                tr("ui.field.when"),
                tr("ui.field.plan_version"),
                tr("ui.field.reason"),
            ]
            rows = [
                [
                    str(r.seq),
                    r.household,
                    stored_word(r.decision),
                    tr(VIA[r.via]),
                    r.recorded_by or "",
                    r.at[:16].replace("T", " "),
                    r.plan_version + ("" if r.plan_version == c.version else tr("ui.consent.old")),
                    r.reason or "",
                ]
                for r in c.rows
            ]
            columns, rows = table(headers, rows)
            data_table(columns, rows, "history", per_page=0)

    def objections(self) -> None:
        ui.label(tr("ui.consent.objections")).classes("text-subtitle2")
        objections = store().objections(self.pid)
        if not objections:
            ui.label(tr("ui.consent.no_objections")).classes("text-body2").mark("no-objections")
        headers = [
            tr("ui.consent.col.number"),
            tr("ui.field.room"),
            tr("ui.field.reason"),
            tr("ui.consent.col.status"),
            tr("ui.field.reply"),
            tr("ui.consent.col.replied_by"),
        ]
        rows = [
            [o.id, o.household, o.reason, status_word(o.status), o.reply or "", o.replied_by or ""]
            for o in objections
        ]
        columns, rows = table(headers, rows)
        data_table(columns, rows, "objections").set_visibility(bool(objections))
        answerable = [o.id for o in objections if o.status != "withdrawn"]
        if not answerable:
            return
        with ui.row().classes("w-full gap-2 items-end"):
            which = (
                ui.select(answerable, value=answerable[0], label=tr("ui.consent.objection"))
                .classes("w-28")
                .mark("reply-objection")
            )
            text = (
                ui.textarea(tr("ui.field.reply"))
                .props("dense autogrow maxlength=4000")
                .classes("w-80")
                .mark("reply-text")
            )

            async def reply() -> None:
                by = app.storage.user.get("mediator_name") or tr("ui.consent.mediator")
                try:
                    store().reply_objection(
                        self.pid, which.value, text.value or "", by, actor=actor()
                    )
                except ProjectError as e:
                    ui.notify(both_list(e.problems), type="negative")
                    return
                ui.notify(both("ui.consent.replied", objection=which.value), type="positive")
                await self.build()

            async def withdraw_it() -> None:  # a household may withdraw on paper too
                store().withdraw_objection(self.pid, which.value, actor=actor())
                await self.build()

            ui.button(tr("ui.field.reply"), on_click=reply).props("no-caps").mark("reply")
            ui.button(tr("ui.consent.mark_withdrawn"), on_click=withdraw_it).props(
                "no-caps outline"
            ).mark("withdraw-objection")

    def publicity(self) -> None:
        ui.label(tr("ui.consent.publicity")).classes("text-subtitle2")
        try:
            p = store().publicity(self.pid)
            if p is not None:
                self.publicity_period(p)
        except (ProjectError, ValueError, OverflowError) as e:
            # a stored entry the calendar cannot handle: say so, and offer the correction
            if isinstance(e, ProjectError):
                problems_label(e)
            else:
                ui.label(both("ui.consent.publicity_unusable")).classes("text-negative").mark(
                    "publicity-problem"
                )
            self.publicity_form(correct=True)
            return
        if p is None or p.closed_on:
            self.publicity_form(correct=False)
        else:
            self.publicity_form(correct=True)

    def publicity_period(self, p: Any) -> None:
        """The period as it stands; while it is open, why it cannot close yet and a button."""
        s = publicity_status(p, store().objections(self.pid), dt.date.today())
        text = tr(
            "ui.consent.publicity_status",
            start=s.start,
            days=s.working_days,
            last=s.last_day,
            elapsed=s.elapsed,
        )
        if p.closed_on:
            text += tr("ui.consent.publicity_closed_on", date=p.closed_on)
        ui.label(text).classes("text-body2").mark("publicity")
        if p.closed_on:
            return
        for z, e in zip(s.reasons_zh, s.reasons_en):
            ui.label(either(z, e)).classes("text-caption text-grey-8")

        async def close() -> None:
            try:
                store().close_publicity(self.pid, dt.date.today(), actor=actor())
            except ProjectError as e:
                ui.notify(
                    both("ui.consent.cannot_close") + t("ui.sep.detail") + both_list(e.problems),
                    type="negative",
                    multi_line=True,
                )
                return
            ui.notify(both("ui.consent.publicity_closed"), type="positive")
            await self.build()

        ui.button(tr("ui.consent.close_publicity"), on_click=close).props("no-caps").mark(
            "publicity-close"
        )

    def publicity_form(self, correct: bool) -> None:
        """The form that starts a (new) publicity period or, with `correct`, supersedes the
        current entry by a corrected one (the wrong one stays in the history)."""
        default = publicity_default()
        days_label = (
            tr("ui.consent.publicity_days_weak", days=default.working_days)
            if default.confidence == "weak"
            else tr("ui.consent.publicity_days", days=default.working_days)
        )
        with ui.row().classes("w-full gap-2 items-end"):
            start = (
                ui.input(tr("ui.consent.publicity_start"), value=dt.date.today().isoformat())
                .props("dense")
                .classes("w-48")
                .mark("publicity-start")
            )
            days = (
                ui.input(days_label, value=str(default.working_days))
                .props("dense inputmode=numeric")
                .classes("w-48")
                .mark("publicity-days")
            )
            note = None
            if correct:
                note = (
                    ui.input(tr("ui.consent.correction_note"))
                    .props("dense maxlength=500")
                    .classes("w-64")
                    .mark("publicity-note")
                )

            async def begin() -> None:
                try:
                    day = dt.date.fromisoformat((start.value or "").strip())
                    n = int((days.value or "").strip())
                    if note is None:
                        store().start_publicity(self.pid, day, n, actor=actor())
                    else:
                        store().correct_publicity(self.pid, day, n, note.value, actor=actor())
                except ValueError:
                    ui.notify(both("ui.consent.publicity_bad_input"), type="negative")
                    return
                except ProjectError as e:
                    ui.notify(both_list(e.problems), type="negative")
                    return
                await self.build()

            words, marker = (
                ("ui.consent.correct_publicity", "publicity-correct")
                if correct
                else ("ui.consent.start_publicity", "publicity-begin")
            )
            ui.button(tr(words), on_click=begin).props("no-caps").mark(marker)

    def links(self, c: Consultation) -> None:
        ui.label(tr("ui.consent.links")).classes("text-subtitle2")
        ui.label(tr("ui.consent.links_note")).classes("text-caption text-grey-8")
        if not self.show_links:

            async def reveal() -> None:
                self.show_links = True
                await self.build()

            ui.button(tr("ui.consent.show_links"), on_click=reveal).props("no-caps outline").mark(
                "show-links"
            )
            return
        account = current()
        base = link_base(store(), demo=bool(account and account.demo), local=_base_url())
        base_note(base)
        secret = store().resident_secret()
        epochs = store().link_epochs(self.pid)
        links = {
            h.id: base.link(
                self.pid, resident_token(secret, str(self.pid), h.id, epochs.get(h.id, 0))
            )
            for h in c.result.households
        }
        if base.absolute:
            self.slips_button(c, links, local=base.source == "local")
        with ui.row().classes("w-full gap-2"):
            for hid, link in links.items():
                self.link_card(hid, link, qr=base.absolute)

    def link_card(self, hid: str, link: str, *, qr: bool) -> None:
        """One household: its link (selectable), copy, its QR code, revoke."""
        with (
            ui.card()
            .props("flat bordered")
            .classes("q-pa-sm gap-1")
            .style("width: min(100%, 20rem)")
        ):
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                ui.label(hid).classes("text-subtitle1")
                ui.space()
                ui.button(
                    icon="content_copy",
                    on_click=lambda h=hid, u=link: copy_link(h, u),
                ).props("flat dense round").tooltip(tr("ui.links.copy")).mark(f"copy-{hid}")

                async def revoke(h: str = hid) -> None:
                    store().revoke_link(self.pid, h, actor=actor())
                    ui.notify(both("ui.consent.revoked", household=h), type="positive")
                    await self.build()

                ui.button(tr("ui.consent.revoke"), on_click=revoke).props(
                    "no-caps dense outline"
                ).mark(f"revoke-{hid}")
            ui.input(value=link).props("dense readonly").classes("w-full").mark(f"link-{hid}")
            if qr:
                image = ui.image(qr_data_uri(link)).props("fit=contain")
                image.props["alt"] = tr("ui.links.qr", household=hid)  # any household id
                image.classes("w-36 h-36").mark(f"qr-{hid}")

    def slips_button(self, c: Consultation, links: dict[str, str], *, local: bool) -> None:
        name, lg = c.record.name, lang()

        async def download() -> None:
            try:
                data = await run.io_bound(slips_file, name, c.shares, links, lg, local=local)
            except ProjectError as e:
                ui.notify(both_list(e.problems), type="negative", multi_line=True)
                return
            if data is not None:  # None: the page was left meanwhile
                ui.download.content(data, slips_filename(name, lg), "application/pdf")

        with ui.row().classes("w-full items-center gap-2"):
            ui.button(tr("ui.links.slips"), icon="print", on_click=download).props(
                "no-caps outline"
            ).mark("slips-download")
            ui.label(tr("ui.links.slips_note")).classes("text-caption text-grey-8")


def copy_link(household: str, link: str) -> None:
    ui.clipboard.write(link)
    ui.notify(tr("ui.links.copied", household=household), type="positive")


def base_note(base: LinkBase) -> None:
    """Which address the links below are built on, and what to do when there is none."""
    if base.refused is not None:
        problems_label(base.refused)
    if base.source == "none":
        ui.label(tr("ui.links.base_none")).classes(
            "text-body2 bg-amber-1 q-pa-sm rounded-borders w-full"
        ).mark("links-no-base")
        return
    ui.label(tr(f"ui.links.base_{base.source}", url=base.url)).classes(
        "text-caption text-grey-8 break-all"
        + (" bg-amber-1 q-pa-xs rounded-borders" if base.source == "local" else "")
    ).mark("links-base")


def _base_url() -> str:
    """The address this browser used: a demo account's links may point here, labelled."""
    try:
        return str(ui.context.client.request.base_url).rstrip("/")
    except (AttributeError, RuntimeError):
        return ""
