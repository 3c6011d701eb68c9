"""The deal finder against brute force, and its promises: exact cover, limits, floor order,
and the extra that is exactly enough."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations, combinations_with_replacement

import pytest

from elevator.consent.evaluation import evaluate
from elevator.core.errors import ProjectError
from elevator.model.consent import Decision
from elevator.model.io import load_project, parse_project
from elevator.plan.deal import (
    assumed_decisions,
    ceilings,
    find_deal,
    least_extra,
    least_extra_lp,
    parse_limits,
    setup_for,
    with_extra,
)

from .helpers import SAMPLE, stairwell

FEN = Fraction(1, 100)
STEP = 5000  # brute-force grid: limits, compensation and coefficients in steps of 5,000


def random_building(rng: random.Random) -> tuple[dict, dict[str, Fraction]]:
    floors = rng.randint(3, 5)
    units = rng.randint(1, 2)
    data = stairwell(floors=floors, per_floor_units=units, areas=(70, 60))
    data["costs"] = {"total": rng.randint(2, 40) * 10000 + rng.randint(0, 99)}
    data["funding"] = {"subsidies": []}
    if rng.random() < 0.4:
        data["compensation"] = [{"floor": 1, "per_household": STEP}]
    if rng.random() < 0.3:  # a paying floor compensated too: its limit is on the net
        data.setdefault("compensation", []).append({"floor": 2, "per_household": STEP})
    payers = [h["id"] for h in data["building"]["households"] if h["floor"] > 1]
    limited = rng.sample(payers, rng.randint(1, min(4, len(payers))))
    limits = {h: Fraction(rng.randint(0, 12) * STEP) for h in limited}
    return data, limits


def brute_extra(project, limits: dict[str, Fraction]) -> Fraction | None:
    """Exhaustive: every set of leavers among the limited households whose leaving keeps
    the rule passing, every rising tuple of per-floor amounts on the grid."""
    setup = setup_for(project, limits)
    grid = [Fraction(STEP * k) for k in range(0, 16)]
    best = None
    limited = [m.id for m in setup.members if m.limit is not None]
    for k in range(len(limited) + 1):
        for leaving in combinations(limited, k):
            decisions = assumed_decisions(project, limits, leaving)
            entries = [Decision(household=h, decision=d) for h, d in decisions.items()]
            if not evaluate(project, None, decisions=entries).passed:
                continue
            kept = [m for m in setup.members if m.id not in leaving]
            most = Fraction(0)
            for values in combinations_with_replacement(grid, len(setup.floors)):
                c = dict(zip(setup.floors, values))  # rising by construction
                if all(m.limit is None or c[m.floor] - m.comp <= m.limit for m in kept):
                    most = max(most, sum((c[m.floor] for m in kept), Fraction(0)))
            unlimited = any(
                all(m.limit is None for m in kept if m.floor >= f) for f in [x.floor for x in kept]
            )
            extra = (
                Fraction(0)
                if unlimited
                else max(Fraction(0), setup.amount + setup.compensation - most)
            )
            best = extra if best is None else min(best, extra)
    return best


def check_split(deal, limits):
    """Covers exactly, respects every limit, never falls with the floor."""
    result = deal.result
    assert sum((h.share for h in result.households), Fraction(0)) == result.to_share
    for h in result.households:
        if h.id in limits and h.payer:
            assert h.share <= limits[h.id]
            assert h.exact + h.aid <= limits[h.id]
    paying = sorted({h.floor for h in result.households if h.payer})
    coeffs = [deal.coefficients[f] for f in paying]
    assert coeffs == sorted(coeffs)
    assert all(deal.coefficients[f] == 0 for f in deal.project.sharing.exempt_floors)


@pytest.mark.parametrize("seed", range(24))
def test_least_extra_equals_brute_force(seed):
    rng = random.Random(seed)
    data, limits = random_building(rng)
    project = parse_project(data)
    deal = find_deal(project, limits)
    assert deal.extra_exact == brute_extra(project, limits)
    assert deal.found == (deal.extra_exact == 0)
    if deal.found:
        check_split(deal, limits)
    else:
        needed = deal.extra_needed
        assert needed == -(-deal.extra_exact // FEN) * FEN
        assert find_deal(with_extra(project, needed), limits).found
        assert not find_deal(with_extra(project, needed - FEN), limits).found
        if deal.result is not None:  # the split once the extra is added
            check_split(deal, limits)


@pytest.mark.parametrize("seed", range(6))
def test_closed_form_equals_the_linear_programme(seed):
    rng = random.Random(100 + seed)
    data, limits = random_building(rng)
    data["sharing"] = {"by_area": True}
    for h in data["building"]["households"]:
        h["area_m2"] = rng.choice([Fraction(655, 10), 72, Fraction(8125, 100)])
    project = parse_project(data)
    setup = setup_for(project, limits)
    kept = list(setup.members)
    assert least_extra(setup, kept) == least_extra_lp(setup, kept)
    for m in kept:
        if m.limit is not None:
            assert least_extra(setup, kept, m.id) == least_extra_lp(setup, kept, m.id)


def sample_limits():
    amounts = {"201": 30000, "202": 30000, "301": 40000, "302": 40000, "401": 45000}
    amounts.update({"402": 45000, "501": 50000, "502": 50000, "601": "41200.5"})
    return amounts


def test_short_by_names_the_binding_floor():
    project = load_project(SAMPLE)
    limits = parse_limits(sample_limits(), project)
    deal = find_deal(project, limits)
    # by hand: 410,000 to share + 10,000 compensation for floor 1 = 420,000 to cover.
    # 601's limit 41,200.50 caps floors 4-6 too (the order never falls): floors 2-3 pay
    # 2 × (30,000 + 40,000) = 140,000, floors 4-6 5 × 41,200.50 = 206,002.50, together
    # 346,002.50: 73,997.50 missing
    assert not deal.found
    assert deal.extra_needed == Fraction("73997.50")
    assert deal.binding == ("601",)
    # 601 alone would have to pay 420,000 − 330,000 = 90,000
    assert [(m.household, m.limit_to) for m in deal.moves] == [("601", 90000)]
    assert deal.words.zh == "还差 73997.50 元；若 601（6 楼）的上限提高到 90000.00 元即可成交"
    check_split(deal, limits)


def test_found_deal_is_the_fairest():
    project = load_project(SAMPLE)
    deal = find_deal(project, {"601": Fraction(60000)})
    # 601 pays at least as much as every other payer; its slack is largest when all
    # eight other payers and 601 pay the same: 420,000 / 9 = 46,666.67 (slack 2/9)
    assert deal.found and deal.min_slack == Fraction(2, 9)
    shares = {h.id: h.share for h in deal.result.households}
    assert shares["601"] == Fraction("46666.66") or shares["601"] == Fraction("46666.67")
    check_split(deal, {"601": Fraction(60000)})


def test_leaving_only_while_the_rule_passes():
    project = load_project(SAMPLE)
    deal = find_deal(project, {"601": Fraction(30000), "201": Fraction(10000)})
    assert deal.found and deal.leaving == ("601",)
    assert not next(h for h in deal.project.building.households if h.id == "601").participates
    fixed = find_deal(project, {"601": Fraction(30000)}, allow_leaving=False)
    assert not fixed.found and fixed.leaving == ()


def test_consent_out_of_reach():
    data = stairwell(floors=3, per_floor_units=2)
    data["consent"] = {
        "decisions": [{"household": h, "decision": "oppose"} for h in ("101", "102")]
    }
    project = parse_project(data)
    deal = find_deal(project, {"301": Fraction(1000)})
    assert not deal.consent_reachable and not deal.found and deal.extra_needed is None


def test_bad_limits_name_the_field():
    project = load_project(SAMPLE)
    with pytest.raises(ProjectError) as e:
        parse_limits({"999": 10, "201": -5}, project)
    fields = [p.field for p in e.value.problems]
    assert fields == ["limits.999", "limits.201"]


def test_ceilings_never_fall():
    project = load_project(SAMPLE)
    setup = setup_for(project, {"401": Fraction(100), "601": Fraction(50)})
    cap = ceilings(setup, list(setup.members))
    assert [cap[f] for f in setup.floors] == [50, 50, 50, 50, 50]
