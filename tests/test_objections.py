"""Objections and the publicity period (working days, holidays, open objections)."""

from __future__ import annotations

import datetime as dt

import pytest

from elevator.consent.publicity import (
    add_working_days,
    close_publicity,
    new_objection,
    publicity_status,
    reply_to,
    withdraw,
)
from elevator.core.errors import ProjectError
from elevator.model.consent import Objection, Publicity
from elevator.model.io import parse_project

D = dt.date


def test_ten_working_days_skip_the_weekends():
    # posted Friday 2026-03-06; the day itself is not counted (Civil Code art. 201):
    # 9–13 March and 16–20 March are the ten working days
    assert add_working_days(D(2026, 3, 6), 10, "weekdays") == (D(2026, 3, 20), ())
    assert add_working_days(D(2026, 3, 6), 10, "china") == (D(2026, 3, 20), ())


def test_national_day_and_make_up_working_day():
    # 2025: 1–8 October off, Saturday 11 October a make-up working day (调休)
    # working days after 30 Sep: 9, 10, 11, 13, 14, 15, 16, 17, 20, 21 October
    assert add_working_days(D(2025, 9, 30), 10, "china") == (D(2025, 10, 21), ())
    # weekdays only: 1–3, 6–10, 13, 14 October
    assert add_working_days(D(2025, 9, 30), 10, "weekdays") == (D(2025, 10, 14), ())


def test_years_outside_the_holiday_calendar_fall_back_to_weekdays():
    last, unknown = add_working_days(D(2031, 3, 7), 10, "china")
    assert last == D(2031, 3, 21) and unknown == (2031,)
    status = publicity_status(Publicity(start=D(2031, 3, 7)), [], D(2031, 4, 1))
    assert status.can_close and "2031" in status.reasons_en[-1]


def test_default_period_comes_from_the_rules_file():
    status = publicity_status(Publicity(start=D(2026, 3, 6)), [], D(2026, 3, 10))
    assert status.working_days == 10 and status.last_day == D(2026, 3, 20)
    assert status.elapsed == 2 and not status.can_close


def test_cannot_close_while_an_objection_is_open():
    pub = Publicity(start=D(2026, 3, 6))
    o1 = new_objection([], "101", "采光受影响", at=D(2026, 3, 9))
    o2 = new_objection([o1], "102", "噪声")
    assert (o1.id, o2.id, o1.status) == ("O1", "O2", "open")
    after = D(2026, 3, 23)
    status = publicity_status(pub, [o1, o2], after)
    assert not status.can_close and status.open_objections == ("O1", "O2")
    with pytest.raises(ProjectError) as e:
        close_publicity(pub, [o1, o2], after)
    assert "O1" in e.value.problems[0].zh
    answered = reply_to(o1, "井道改为玻璃幕墙，减少遮光", by="调解员", at=D(2026, 3, 12))
    withdrawn = withdraw(o2)
    assert o1.status == "open"  # the original value is unchanged
    closed = close_publicity(pub, [answered, withdrawn], after)
    assert closed.closed_on == after
    # not before the last day has passed, even with nothing open
    with pytest.raises(ProjectError):
        close_publicity(pub, [answered], D(2026, 3, 20))


def test_objection_rules():
    with pytest.raises(Exception):
        Objection(id="O1", household="101", reason="x", status="answered")
    o = withdraw(new_objection([], "101", "x"))
    with pytest.raises(ProjectError):
        reply_to(o, "reply")
    with pytest.raises(ProjectError):
        reply_to(new_objection([], "101", "x"), "  ")


def test_objections_live_in_the_project_file():
    data = {
        "name": "t",
        "building": {
            "floors": 2,
            "households": [
                {"id": "101", "floor": 1, "area_m2": 70},
                {"id": "201", "floor": 2, "area_m2": 70},
            ],
        },
        "costs": {"total": 100000},
        "consent": {
            "objections": [{"id": "O1", "household": "101", "reason": "采光"}],
            "publicity": {"start": "2026-03-06"},
        },
    }
    p = parse_project(data)
    assert p.consent.objections[0].status == "open"
    data["consent"]["objections"][0]["household"] = "999"
    with pytest.raises(ProjectError) as e:
        parse_project(data)
    assert e.value.problems[0].field == "consent.objections[0].household"
