"""Objections (异议) with replies, and the publicity period (公示期) they hold open.

An objection has a reason, a reply and a status: `open` until the mediator
replies (`answered`) or the household takes it back (`withdrawn`).  Objects are
frozen; `reply_to` and `withdraw` return new values, so the app stores each
change as a new row and nothing is overwritten.

The publicity period runs for N working days (default from
elevator/data/consent_rules.yaml, [W]); like every period in days under the
Civil Code (art. 201) the first day is not counted.  It cannot close while any
objection is open.  Working days are weekdays, minus Chinese public holidays
and plus make-up working days (调休) where the `chinese-calendar` package knows
the year; for other years it falls back to weekdays and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from elevator.consent.evaluation import joined
from elevator.core.errors import Problem, ProjectError, problem
from elevator.core.text import Msg
from elevator.model.consent import CalendarName, Objection, Publicity


def new_objection(
    objections: Iterable[Objection],
    household: str,
    reason: str,
    at: dt.date | dt.datetime | None = None,
) -> Objection:
    """A new open objection with the next free id (O1, O2, …)."""
    taken = {o.id for o in objections}
    n = len(taken) + 1
    while f"O{n}" in taken:
        n += 1
    return Objection(id=f"O{n}", household=household, reason=reason, at=at)


def reply_to(
    objection: Objection, reply: str, by: str | None = None, at: dt.date | dt.datetime | None = None
) -> Objection:
    if objection.status == "withdrawn":
        raise problem(f"objection {objection.id}", "publicity.error.withdrawn")
    if not reply.strip():
        raise problem(f"objection {objection.id}.reply", "publicity.error.empty_reply")
    return objection.model_copy(
        update={"reply": reply, "replied_by": by, "replied_at": at, "status": "answered"}
    )


def withdraw(objection: Objection) -> Objection:
    return objection.model_copy(update={"status": "withdrawn"})


def open_objections(objections: Iterable[Objection]) -> list[Objection]:
    return [o for o in objections if o.status == "open"]


# --- working days -----------------------------------------------------------


def is_working_day(day: dt.date, calendar: CalendarName = "china") -> tuple[bool, bool]:
    """(is it a working day, was the holiday calendar known for that date)."""
    if calendar == "china":
        try:
            import chinese_calendar  # noqa: PLC0415 (optional; weekdays without it)
        except ImportError:
            return day.weekday() < 5, False
        try:
            return bool(chinese_calendar.is_workday(day)), True
        except NotImplementedError:  # the package only knows the years it was released for
            return day.weekday() < 5, False
    return day.weekday() < 5, True


def add_working_days(
    start: dt.date, days: int, calendar: CalendarName = "china"
) -> tuple[dt.date, tuple[int, ...]]:
    """The last day of a period of `days` working days that starts on `start`.

    The start day itself is not counted (Civil Code art. 201).  Returns the
    day and the years for which the holiday calendar was unknown (weekdays used).
    """
    if days < 1:
        raise ProjectError([Problem("publicity.working_days", Msg("publicity.error.days"))])
    unknown: set[int] = set()
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        working, known = is_working_day(day, calendar)
        if not known:
            unknown.add(day.year)
        counted += working
    return day, tuple(sorted(unknown))


def working_days_between(start: dt.date, end: dt.date, calendar: CalendarName = "china") -> int:
    """Working days after `start` up to and including `end`."""
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += is_working_day(day, calendar)[0]
    return n


def default_publicity_days() -> int:
    from elevator.policy.consent_rules import publicity_default

    return publicity_default().working_days


@dataclass(frozen=True, kw_only=True)
class PublicityStatus:
    start: dt.date
    working_days: int
    last_day: dt.date  # the period runs through this day
    elapsed: int  # working days counted so far
    open_objections: tuple[str, ...]
    can_close: bool
    closed_on: dt.date | None
    unknown_years: tuple[int, ...]
    reasons: tuple[Msg, ...]  # why it cannot close yet (and a note on unknown holidays)

    reasons_zh = property(lambda self: tuple(r.zh for r in self.reasons))
    reasons_en = property(lambda self: tuple(r.en for r in self.reasons))

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "last_day": self.last_day.isoformat(),
            "elapsed": self.elapsed,
            "open_objections": list(self.open_objections),
            "can_close": self.can_close,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "unknown_holiday_years": list(self.unknown_years),
            "reasons_zh": list(self.reasons_zh),
            "reasons_en": list(self.reasons_en),
        }


def publicity_status(
    publicity: Publicity, objections: Iterable[Objection], today: dt.date
) -> PublicityStatus:
    """Where the period stands on `today` and whether it may be closed that day."""
    days = publicity.working_days or default_publicity_days()
    last, unknown = add_working_days(publicity.start, days, publicity.calendar)
    open_ids = tuple(o.id for o in open_objections(objections))
    reasons: list[Msg] = []
    if today <= last:
        reasons.append(Msg("publicity.running", days=days, last=last.isoformat()))
    if open_ids:
        reasons.append(Msg("publicity.open_objections", objections=joined(open_ids)))
    if unknown:
        years = ", ".join(str(y) for y in unknown)
        reasons.append(Msg("publicity.unknown_holidays", years=years))
    blocking = today <= last or bool(open_ids)
    return PublicityStatus(
        start=publicity.start,
        working_days=days,
        last_day=last,
        elapsed=working_days_between(publicity.start, min(today, last), publicity.calendar),
        open_objections=open_ids,
        can_close=not blocking,
        closed_on=publicity.closed_on,
        unknown_years=unknown,
        reasons=tuple(reasons),
    )


def close_publicity(
    publicity: Publicity, objections: Iterable[Objection], today: dt.date
) -> Publicity:
    """Close the period on `today`, or raise a bilingual error saying why not."""
    status = publicity_status(publicity, objections, today)
    if not status.can_close:
        n = len(status.reasons) - (1 if status.unknown_years else 0)
        raise ProjectError([Problem("publicity", r) for r in status.reasons[:n]])
    return publicity.model_copy(update={"closed_on": today})
