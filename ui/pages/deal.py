"""Private limits in the app: the household's own limit on its resident page, and the
mediator's "deal possible / short by X" on the consent page, with the deal proposed as a
new plan version.

Kept apart from the pages it appears on (one hook line each).  A limit is shown only on
its own household's page; the mediator sees an amount only when the household allowed
it, and otherwise only the outcome.  The proposed deal is saved like any edit
(ui/editing.py), so a deal that voids recorded decisions is announced first.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from elevator.core.errors import ProjectError
from elevator.core.money import money_str
from elevator.model.io import parse_project, project_to_data
from elevator.plan.deal import deal_words, find_deal
from elevator.store.db import Record
from elevator.store.limits import PrivateLimits
from ui.editing import Editing
from ui.state import store
from ui.theme import both, both_list, lang, tr
from ui.widgets import Problems


def limits_book() -> PrivateLimits:
    return PrivateLimits(store().path)


# --- the resident's own limit ------------------------------------------------------


def resident_limit(panel: Any) -> None:
    """Enter, change or withdraw the household's own limit (`panel`: the ResidentPanel)."""
    own = limits_book().own(panel.pid, panel.hid)
    ui.label(tr("ui.deal.limit_title")).classes("text-subtitle2")
    ui.label(tr("ui.deal.limit_private")).classes("text-caption text-grey-8")
    if own is None:
        ui.label(tr("ui.deal.limit_none")).mark("own-limit")
    else:
        ui.label(tr("ui.deal.limit_now", amount=money_str(own.amount))).mark("own-limit")
    amount = (
        ui.input(tr("ui.deal.limit_amount")).props("dense").classes("w-60").mark("limit-amount")
    )
    shown = ui.checkbox(tr("ui.deal.limit_show"), value=bool(own and own.shown_to_mediator)).mark(
        "limit-show"
    )
    with ui.row().classes("gap-2"):
        ui.button(
            tr("ui.deal.limit_save"), on_click=lambda: _save(panel, amount.value, shown.value)
        ).props("no-caps").mark("limit-save")
        if own is not None:
            ui.button(tr("ui.deal.limit_withdraw"), on_click=lambda: _withdraw(panel)).props(
                "no-caps outline"
            ).mark("limit-withdraw")


async def _save(panel: Any, amount: str | None, shown: bool) -> None:
    if not panel.still_valid():
        return
    try:
        limits_book().set_limit(
            panel.pid, panel.hid, (amount or "").strip(), shown_to_mediator=bool(shown)
        )
    except ProjectError as e:
        ui.notify(both_list(e.problems), type="negative")
        return
    ui.notify(both("ui.deal.limit_saved"), type="positive")
    await panel.build()


async def _withdraw(panel: Any) -> None:
    if not panel.still_valid():
        return
    limits_book().withdraw(panel.pid, panel.hid)
    ui.notify(both("ui.deal.limit_withdrawn"), type="positive")
    await panel.build()


# --- the mediator's view -----------------------------------------------------------


def mediator_deal(panel: Any) -> None:
    """ "Deal possible / short by X" from the stated limits (`panel`: the ConsentPanel)."""
    record = store().get(panel.pid)
    rows = limits_book().current(panel.pid)
    ui.label(tr("ui.deal.title")).classes("text-subtitle2")
    ui.label(tr("ui.deal.stated", n=len(rows))).mark("deal-stated")
    paper_limit(panel, [h["id"] for h in record.data["building"]["households"]])
    if not rows:
        return
    project = parse_project(record.data)
    try:
        deal = find_deal(project, {k: r.amount for k, r in rows.items()})
    except ProjectError as e:
        ui.label(both_list(e.problems)).mark("deal-problem")
        return
    visible = {k for k, r in rows.items() if r.shown_to_mediator}
    words = deal_words(deal, named=True, visible=visible)
    ui.label(words.text(lang())).classes(
        "text-body1 q-pa-sm rounded-borders w-full "
        + ("bg-green-1" if deal.found else "bg-amber-1")
    ).mark("deal-outcome")
    if visible:
        shown = ", ".join(f"{k}: {money_str(rows[k].amount)}" for k in sorted(visible))
        ui.label(tr("ui.deal.visible", limits=shown)).classes("text-caption").mark("deal-visible")
    if deal.found:
        problems = Problems()
        ui.button(
            tr("ui.deal.propose"),
            on_click=lambda: _propose(panel, record, deal.project, problems),
        ).props("no-caps").mark("deal-propose")
        problems.place_summary()


def paper_limit(panel: Any, ids: list[str]) -> None:
    """A limit a household gave on paper, entered by the mediator (a new history row)."""
    with ui.row().classes("w-full gap-2 items-end"):
        who = (
            ui.select(ids, label=tr("ui.field.room")).classes("w-32").mark("limit-paper-household")
        )
        amount = ui.input(tr("ui.deal.limit_amount")).props("dense").mark("limit-paper-amount")
        shown = ui.checkbox(tr("ui.deal.paper_shown")).mark("limit-paper-shown")
        by = ui.input(tr("ui.consent.recorded_by_mediator")).props("dense maxlength=80")
        by.mark("limit-paper-by")

        async def record() -> None:
            if not who.value:
                ui.notify(both("ui.consent.choose_room"), type="warning")
                return
            try:
                limits_book().set_limit(
                    panel.pid,
                    who.value,
                    (amount.value or "").strip(),
                    shown_to_mediator=bool(shown.value),
                    via="paper",
                    recorded_by=(by.value or "").strip() or None,
                )
            except ProjectError as e:
                ui.notify(both_list(e.problems), type="negative")
                return
            ui.notify(both("ui.deal.paper_recorded", household=who.value), type="positive")
            await panel.build()

        ui.button(tr("ui.deal.paper_record"), on_click=record).props("no-caps outline").mark(
            "limit-paper-record"
        )


async def _propose(panel: Any, record: Record, deal_project: Any, problems: Problems) -> None:
    """The deal saved as the project's next version: a new plan version to decide on.
    Through the editing pages' save (ui/editing.py): the same rights check, the same
    warning when recorded decisions would stop counting (cancel saves nothing), the same
    refusal when someone saved first."""
    editing = Editing(record)  # the version the deal was computed from
    editing.data = project_to_data(deal_project)
    saved = await editing.save(problems, lambda: None)
    if saved:
        ui.notify(both("ui.deal.proposed"), type="positive")
    if saved or editing.version != record.version:  # saved, or someone saved first
        await panel.build()
