"""Caps kept in the plan as agreed amounts (elevator/plan/caps_fixed.py), and caps on a
project that already has agreed amounts (elevator/plan/caps.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from elevator.core.errors import ProjectError
from elevator.model.io import load_project
from elevator.model.project import FixedAmount
from elevator.plan.caps import Cap, capped_shares
from elevator.plan.caps_fixed import capped_households, caps_as_fixed
from elevator.plan.compose import shares
from tests.golden_outputs import PROJECTS


def project(stem: str):
    return load_project(next(p for p in PROJECTS if p.stem == stem))


def test_caps_as_fixed_amounts_give_the_capped_shares() -> None:
    p = project("xingshan-xingfa-3-1")
    caps = {
        "601": Cap(amount=Fraction(60000)),
        "501": Cap(months=Fraction(12), monthly_income=Fraction(5000)),
        "502": Cap(amount=Fraction(70000)),
    }
    r = capped_shares(p, caps)
    assert capped_households(r) == ["501", "601", "502"]
    kept = caps_as_fixed(p, r)
    assert kept == {"501": 60000, "601": 60000, "502": 70000}
    added = [FixedAmount(household=k, amount=v) for k, v in kept.items()]
    after = shares(p.model_copy(update={"sharing": p.sharing.model_copy(update={"fixed": added})}))
    assert {h.id: h.share for h in after.households} == r.shares


def test_compensated_household_keeps_its_cap_after_compensation() -> None:
    # 1F is compensated 5,000 a flat; with 1F paying (not exempt) a cap on 101 is on its
    # net, so the agreed amount (before compensation) is the cap plus 5,000
    p = project("xingshan-xingfa-3-1")
    p = p.model_copy(
        update={
            "sharing": p.sharing.model_copy(
                update={"exempt_floors": [], "coefficients": {**p.sharing.coefficients, 1: 1}}
            )
        }
    )
    before = shares(p).by_id()["101"].share
    r = capped_shares(p, {"101": Cap(amount=Fraction(1000))})
    assert before > 1000 and r.shares["101"] == 1000
    kept = caps_as_fixed(p, r)
    assert kept == {"101": 6000}


def test_nothing_kept_when_weights_depend_on_who_pays_or_no_cap_binds() -> None:
    p = project("wuhan-shapley")
    top = max(p.building.households, key=lambda h: h.floor).id
    cap = int(shares(p).by_id()[top].share * Fraction(8, 10))
    r = capped_shares(p, {top: Cap(amount=Fraction(cap))})
    assert r.possible and r.rounds
    assert caps_as_fixed(p, r) is None
    nothing = capped_shares(p, {top: Cap(amount=Fraction(10**7))})
    assert caps_as_fixed(p, nothing) is None


def test_caps_leave_agreed_amounts_where_they_are() -> None:
    # floors 1 and 2 pay an agreed 4,500 each: a cap nobody reaches changes nothing
    p = project("shanghai-jingan-fixed-low-floors")
    top = max(p.building.households, key=lambda h: h.floor).id
    r = capped_shares(p, {top: Cap(amount=Fraction(10**7))})
    assert r.possible and not r.rounds
    assert r.shares == {h.id: h.share for h in shares(p).households}
    assert r.shares["101"] == 4500


def test_a_cap_below_an_agreed_amount_is_refused_naming_the_household() -> None:
    p = project("shanghai-jingan-fixed-low-floors")
    with pytest.raises(ProjectError) as e:
        capped_shares(p, {"101": Cap(amount=Fraction(4000))})
    (found,) = e.value.problems
    assert found.field == "caps.101" and "4500.00" in str(found) and "4000.00" in str(found)
    # a cap at or above the agreed amount is kept (nothing to pass on)
    r = capped_shares(p, {"101": Cap(amount=Fraction(4500))})
    assert r.possible and r.shares["101"] == 4500
