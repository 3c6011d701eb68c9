"""Caps with redistribution, the benefit split and the financing comparison, checked by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from elevator.core.errors import ProjectError
from elevator.model.io import load_project
from elevator.plan.benefit import BenefitEstimate, benefit_shares
from elevator.plan.caps import Cap, capped_shares
from elevator.plan.financing import (
    FinancingTerms,
    annuity,
    compare_financing,
    instalment_payment,
)

from .helpers import SAMPLE, project


def test_caps_redistribute_round_by_round():
    # the sample: 410,000 to share + 10,000 compensation to floor 1 = 420,000 split by
    # coefficients 0.3/0.7/1.0/1.3/1.6 over 201…601 (602 opted out): Σw = 8.2.
    # Round 1: level 420,000/8.2 = 2,100,000/41; 501 (×1.3 = 66,585.37) and 601
    # (×1.6 = 81,951.22) are above their 60,000 caps: fixed, excess 1,170,000/41.
    # Round 2: 300,000 over Σw 5.3 → 502 would pay 73,584.91 > its cap 70,000: fixed.
    # Then 230,000 over Σw 4.0: level 57,500 → 17,250 / 40,250 / 57,500.
    caps = {
        "601": Fraction(60000),
        "501": Cap(months=Fraction(12), monthly_income=Fraction(5000)),
        "502": Cap(amount=Fraction(70000)),
    }
    r = capped_shares(load_project(SAMPLE), caps)
    assert r.possible and r.shortfall == 0
    assert [x.capped for x in r.rounds] == [("501", "601"), ("502",)]
    assert r.rounds[0].excess == Fraction(1170000, 41)
    expect = {"201": 17250, "301": 40250, "401": 57500, "501": 60000, "502": 70000}
    expect.update({"601": 60000, "101": -5000, "602": 0})
    for k, v in expect.items():
        assert r.shares[k] == v
    assert sum(r.shares.values()) == 410000


def test_caps_that_cannot_hold():
    caps = {h: Fraction(10000) for h in ("201", "202", "301", "302", "401", "402", "501", "502")}
    caps["601"] = Fraction(10000)
    r = capped_shares(load_project(SAMPLE), caps)
    assert not r.possible and r.shortfall == 420000 - 9 * 10000


def test_cap_shape_is_checked():
    with pytest.raises(ProjectError) as e:
        capped_shares(load_project(SAMPLE), {"601": Cap(months=Fraction(12))})
    assert e.value.problems[0].field == "caps.601"


def test_benefit_split_with_compensation():
    # four flats, one a floor; cost 150,000, no subsidy.  Floor 1 loses 10,000 (it is
    # compensated), floor 2 gains nothing, floors 3 and 4 gain 20,000 and 60,000:
    # 160,000 raised in proportion 1 : 3 → 40,000 and 120,000.
    p = project(floors=4, per_floor_units=1, costs={"total": 150000})
    est = BenefitEstimate(
        per_floor={1: Fraction(-10000), 3: Fraction(20000), 4: Fraction(60000)},
        reference="appraisal by the residents' committee",
        confidence="unverified",
    )
    r = benefit_shares(p, est)
    assert r.shares == {"101": -10000, "201": 0, "301": 40000, "401": 120000}
    assert r.compensation == {"101": 10000}
    assert r.above_benefit == ("301", "401")
    assert r.confidence == "unverified"


def test_benefit_study_needs_its_mark():
    p = project(floors=4, per_floor_units=1)
    with pytest.raises(ProjectError):
        benefit_shares(p, BenefitEstimate(per_floor={4: Fraction(1)}, reference="a study"))


def test_annuity_and_instalment_by_hand():
    # 10,000 borrowed at 12 % a year (1 % a month) over 12 months: 888.49 a month
    # (the textbook value 10,000 × 0.01 / (1 − 1.01^−12))
    payment = instalment_payment(Fraction(10000), 12, Fraction(1, 100))
    assert round(payment, 2) == Fraction("888.49")
    assert annuity(12, Fraction(0)) == 12
    assert round(annuity(12, Fraction(1, 200)), 4) == Fraction("11.6189")


def test_financing_comparison():
    p = project(floors=2, per_floor_units=1, costs={"total": 24000})
    p = p.model_copy(
        update={"sharing": p.sharing.model_copy(update={"scheme": "equal", "exempt_floors": []})}
    )
    terms = FinancingTerms(
        life_years=2,
        discount_rate=Fraction(0),
        instalment_years=1,
        instalment_rate=Fraction(0),
        down_payment_percent=Fraction(25),
        financier="elevator company",
        lease_monthly={1: Fraction(100), 2: Fraction(300)},
        ride_fee=Fraction(1),
        rides_per_month={2: Fraction(60)},
    )
    c = compare_financing(p, terms)
    by = {o.option: o for o in c.options}
    # each flat owes 12,000: at once 12,000; with no interest and no discount the
    # instalments cost the same (3,000 down + 12 × 750), and 2 × 9,000 is lent
    assert by["at_once"].present == {"101": 12000, "201": 12000}
    assert by["instalments"].present == {"101": 12000, "201": 12000}
    assert by["instalments"].monthly["101"] == 750 and c.prefinanced == 18000
    # leasing: 24 months × 100 / 300; per ride: 24 × 60 rides × 1 yuan for floor 2
    assert by["lease"].present == {"101": 2400, "201": 7200}
    assert by["per_ride"].present == {"101": 0, "201": 1440}
    assert c.cheapest == {"101": "per_ride", "201": "per_ride"}


def test_discounting_makes_instalments_cheaper():
    p = project(floors=2, per_floor_units=1, costs={"total": 24000})
    p = p.model_copy(
        update={"sharing": p.sharing.model_copy(update={"scheme": "equal", "exempt_floors": []})}
    )
    terms = FinancingTerms(
        life_years=15, discount_rate=Fraction(6), instalment_years=10, instalment_rate=Fraction(0)
    )
    by = {o.option: o for o in compare_financing(p, terms).options}
    # 12,000 repaid as 120 × 100 at no interest, discounted at 0.5 % a month
    assert by["instalments"].present["101"] == 100 * annuity(120, Fraction(1, 200))
    assert by["instalments"].present["101"] < by["at_once"].present["101"]


def test_financing_table_and_chart():
    from elevator.documents.deal_options import financing_png, financing_text

    terms = FinancingTerms(
        life_years=15,
        discount_rate=Fraction(3),
        instalment_years=10,
        instalment_rate=Fraction("4.35"),
        financier="电梯公司",
        lease_monthly={f: Fraction(50 * f) for f in range(2, 7)},
    )
    c = compare_financing(load_project(SAMPLE), terms)
    text = financing_text(c, "zh")
    assert "分期付款由电梯公司垫付 420000.00 元，分 10 年、年利率 4.35% 收回" in text
    row = next(line for line in text.splitlines() if line.startswith("602"))
    assert row.split()[3:7] == ["0.00", "0.00", "0.00", "一次付清"]  # opted out: no lease
    assert financing_png(c, "en").startswith(b"\x89PNG")


def test_caps_text_says_each_round():
    from elevator.documents.deal_options import caps_text

    r = capped_shares(load_project(SAMPLE), {"601": Fraction(60000)})
    text = caps_text(r, "en")
    # 601 (×1.6 of 420,000/8.2) would pay 81,951.22: 21,951.22 passed on
    assert "round 1: 601 held at the cap; the 21951.22 yuan above it" in text
