"""Consent by era (Property Law art. 76 / Civil Code art. 278), city rules that add
conditions, owners counted as persons, and the polynomial smallest change checked against
brute force."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import replace
from fractions import Fraction
from itertools import combinations

import pytest

from elevator.consent.applied import AppliedCondition, compose
from elevator.consent.evaluation import (
    current_decisions,
    evaluate_conditions,
    smallest_change,
)
from elevator.consent.search import SmallestChange
from elevator.core.errors import ProjectError
from elevator.documents.consent import consent_json, consent_text
from elevator.model.io import parse_project
from elevator.plan.compose import consent as evaluate
from elevator.policy.consent_rules import RuleCondition, consent_rules, get_rule, national_law

BEFORE = "2019-06-01"  # Property Law art. 76
AFTER = "2022-06-01"  # Civil Code art. 278


def stairwell(areas, votes, date=AFTER, rule=None, owners=None, occupied=(), **extra):
    """Households H1, H2, … with the given areas, two per floor; votes {id: decision}."""
    owners = owners or {}
    hh = [
        {
            "id": f"H{i + 1}",
            "floor": i // 2 + 1,
            "area_m2": a,
            **({"owner": owners[f"H{i + 1}"]} if f"H{i + 1}" in owners else {}),
            **({"occupied_by_shaft": True} if f"H{i + 1}" in occupied else {}),
        }
        for i, a in enumerate(areas)
    ]
    consent = {"decisions": [{"household": h, "decision": d} for h, d in votes.items()]}
    if rule:
        consent["rule"] = rule
    data = {
        "name": "t",
        "date": date,
        "building": {"floors": (len(areas) + 1) // 2, "households": hh},
        "costs": {"total": 300000},
        "consent": consent,
        **extra,
    }
    return parse_project(data)


def votes(agree=(), oppose=(), abstain=()):
    out = {f"H{i}": "agree" for i in agree}
    out.update({f"H{i}": "oppose" for i in oppose})
    out.update({f"H{i}": "abstain" for i in abstain})
    return out


def cond(result, key):
    return next(c for c in result.conditions if c.id == key)


def holds(result):
    return {c.id: c.holds for c in result.conditions}


# --- the law by the decision date ---------------------------------------------


def test_law_by_decision_date():
    assert national_law(dt.date(2007, 9, 30)) is None
    assert national_law(dt.date(2007, 10, 1)).id == "property_law_76"
    assert national_law(dt.date(2020, 12, 31)).id == "property_law_76"
    assert national_law(dt.date(2021, 1, 1)).id == "civil_code_278"


def test_art_76_exactly_two_thirds_agree_passes_no_quorum_needed():
    # 9 × 70 m²: 6 agree, 3 oppose — exactly 2/3 of area and of owners (以上 includes it)
    r = evaluate(stairwell([70] * 9, votes(agree=range(1, 7), oppose=(7, 8, 9)), BEFORE))
    assert r.applied.law.id == "property_law_76" and r.passed
    assert holds(r) == {"agreement_area": True, "agreement_headcount": True}
    assert cond(r, "agreement_area").needed == 420 and cond(r, "agreement_headcount").needed == 6
    # 5 agree and nobody else votes: 5/9 < 2/3 (no quorum, but agreement of ALL owners)
    r = evaluate(stairwell([70] * 9, votes(agree=range(1, 6)), BEFORE))
    assert not r.passed and r.change.households == 1


def test_art_76_area_boundary_to_the_hundredth():
    # total 300 m²: 2/3 = 200 m²; agreeing 200.00 passes, 199.99 fails
    areas = [100, 100, "50.01", "49.99"]
    ok = evaluate(stairwell(areas, votes(agree=(1, 2), oppose=(3, 4)), BEFORE))
    assert cond(ok, "agreement_area").have == 200
    # owners 2/4 < 2/3: headcount fails, area holds exactly
    assert cond(ok, "agreement_area").holds and not cond(ok, "agreement_headcount").holds
    short = stairwell(
        ["99.99", "100.01", "100", "0.01"], votes(agree=(1, 3, 4), oppose=(2,)), BEFORE
    )
    r = evaluate(short)  # 99.99 + 100 + 0.01 = 200.00 of 300.01: 2/3 = 200.0066… → short
    assert not cond(r, "agreement_area").holds and cond(r, "agreement_area").needed == Fraction(
        "200.01"
    )


def test_same_votes_fail_under_art_278():
    r = evaluate(stairwell([70] * 9, votes(agree=range(1, 7), oppose=(7, 8, 9)), AFTER))
    assert r.applied.law.id == "civil_code_278" and not r.passed
    assert holds(r) == {
        "participation_area": True,
        "participation_headcount": True,
        "agreement_area": False,
        "agreement_headcount": False,
    }
    assert r.change.households == 1


def test_art_278_boundaries_participation_and_three_quarters():
    # 12 × 50 m²: 8 take part (exactly 2/3), 6 of 8 agree (exactly 3/4): passes
    r = evaluate(stairwell([50] * 12, votes(agree=range(1, 7), oppose=(7, 8))))
    assert r.passed
    # 7 take part: below the 2/3 quorum, even though 6/7 agree
    r = evaluate(stairwell([50] * 12, votes(agree=range(1, 7), oppose=(7,))))
    assert not cond(r, "participation_headcount").holds and not r.passed
    # 8 take part, 5 agree: 5/8 < 3/4
    r = evaluate(stairwell([50] * 12, votes(agree=range(1, 6), oppose=(6, 7, 8))))
    assert not cond(r, "agreement_headcount").holds


def test_decision_date_from_the_consent_section_overrides_the_project_date():
    p = stairwell([70] * 9, votes(agree=range(1, 7), oppose=(7, 8, 9)), AFTER)
    p = p.model_copy(
        update={"consent": p.consent.model_copy(update={"date": dt.date(2020, 12, 31)})}
    )
    r = evaluate(p)
    assert r.applied.law.id == "property_law_76" and r.applied.day_source == "consent"
    why = consent_json(r)["why"]
    assert "2020-12-31" in why["zh"] and "2020-12-31" in why["en"]


def test_before_2007_says_no_national_rule_instead_of_failing():
    r = evaluate(stairwell([70] * 4, votes(agree=(1, 2, 3, 4)), "2005-01-01"))
    assert r.applied.law is None and r.conditions == () and not r.passed
    data = consent_json(r)
    assert data["law"] is None and "2007-10-01" in data["why"]["en"]
    assert "no consent condition" in data["missing"]["en"]
    assert "2007-10-01" in consent_text(r, "zh")
    # a city rule alone is still checked
    r = evaluate(stairwell([70] * 4, votes(agree=(1, 2, 3, 4)), "2005-01-01", rule="shanghai"))
    assert r.passed and [c.id for c in r.conditions] == [
        "shanghai.agreement_area",
        "shanghai.agreement_headcount",
    ]


# --- city rules add, never replace ----------------------------------------------


def test_shanghai_two_thirds_after_2021_also_needs_art_278():
    r = evaluate(stairwell([70] * 9, votes(agree=range(1, 7), oppose=(7, 8, 9)), rule="shanghai"))
    assert (
        cond(r, "shanghai.agreement_area").holds and cond(r, "shanghai.agreement_headcount").holds
    )
    assert not r.passed  # before issue 14 this was reported as passed
    assert r.applied.local.id == "shanghai" and r.rule_id == "shanghai"
    # 7 agree of 9 (all take part): 7/9 ≥ 3/4 and ≥ 2/3 — both laws' conditions hold
    assert evaluate(
        stairwell([70] * 9, votes(agree=range(1, 8), oppose=(8, 9)), rule="shanghai")
    ).passed


def test_shanghai_before_2021_is_the_same_as_art_76_shown_once_with_both_sources():
    r = evaluate(
        stairwell([70] * 9, votes(agree=range(1, 7), oppose=(7, 8, 9)), BEFORE, rule="shanghai")
    )
    assert r.passed and [c.id for c in r.conditions] == ["agreement_area", "agreement_headcount"]
    assert [s.rule_id for s in cond(r, "agreement_area").sources] == ["property_law_76", "shanghai"]


def test_beijing_no_objection_adds_to_art_278():
    # 6 agree, 3 abstain: 2/3 agree and nobody objects, but 6/9 < 3/4 of participants
    r = evaluate(
        stairwell(
            [70] * 9, votes(agree=range(1, 7), abstain=(7, 8, 9)), rule="two_thirds_no_objection"
        )
    )
    assert cond(r, "two_thirds_no_objection.no_opposition").holds and not r.passed
    # 6 agree, 3 do not vote: 6 of 9 take part (2/3), all agree, no objection: passes
    r = evaluate(stairwell([70] * 9, votes(agree=range(1, 7)), rule="two_thirds_no_objection"))
    assert r.passed
    # one objection blocks it however many agree
    r = evaluate(
        stairwell([70] * 9, votes(agree=range(1, 9), oppose=(9,)), rule="two_thirds_no_objection")
    )
    assert not r.passed and r.change.example == ("H9",)


def test_wuxi_drops_area_but_the_law_keeps_it():
    # 3 small flats agree, the large one opposes: 3/4 of owners, 300 of 600 m² (1/2)
    r = evaluate(stairwell([100, 100, 100, 300], votes(agree=(1, 2, 3), oppose=(4,)), rule="wuxi"))
    assert cond(r, "agreement_headcount").holds and not cond(r, "agreement_area").holds
    assert not r.passed
    # Wuxi's own condition means the same as art. 278's: listed once, two sources
    assert [s.rule_id for s in cond(r, "agreement_headcount").sources] == [
        "civil_code_278",
        "wuxi",
    ]
    assert "wuxi.agreement_headcount" not in holds(r)


def test_occupied_space_rule_adds_to_art_278():
    # everyone but H1 agrees, H1's space is occupied: fails on the occupied-space condition
    r = evaluate(
        stairwell(
            [70] * 6,
            votes(agree=range(2, 7), abstain=(1,)),
            rule="occupied_space_consent",
            occupied=("H1",),
        )
    )
    assert not r.passed and cond(r, "occupied_space_consent.occupied_space").households == ("H1",)
    assert r.change.example == ("H1",)
    # H1 agrees but 3 others abstain: 2/3 agree, the occupied owner agrees, art. 278 fails
    r = evaluate(
        stairwell(
            [70] * 9,
            votes(agree=range(1, 7), abstain=(7, 8, 9)),
            rule="occupied_space_consent",
            occupied=("H1",),
        )
    )
    assert cond(r, "occupied_space_consent.occupied_space").holds and not r.passed


def test_unanimity_and_jinan_rules():
    r = evaluate(
        stairwell([70] * 4, votes(agree=(1, 2, 3), abstain=(4,)), rule="shanghai_2012_pilot")
    )
    assert not r.passed and cond(r, "shanghai_2012_pilot.unanimity").households == ("H4",)
    assert r.change.households == 1 and r.change.example == ("H4",)
    public = json.dumps(consent_json(r, named=False), ensure_ascii=False)
    assert "H4" not in public
    r = evaluate(stairwell([70] * 6, votes(agree=range(1, 6)), rule="jinan_2019", occupied=("H6",)))
    assert not r.passed and r.change.example == ("H6",)


def test_every_condition_carries_its_sources():
    r = evaluate(stairwell([70] * 9, votes(agree=range(1, 7)), rule="shanghai"))
    for c in consent_json(r)["conditions"]:
        assert c["sources"], c["name"]
        for s in c["sources"]:
            assert s["confidence_mark"] in ("[S]", "[W]", "[U]") and s["reference"]
    for rule in consent_rules().values():
        assert rule.reference and all(ref.href for ref in rule.reference), rule.id


def test_a_condition_a_new_agree_could_break_is_refused():
    with pytest.raises(ValueError):
        RuleCondition.model_validate(
            {"id": "x", "basis": "area", "count": "agreeing", "of": "all", "at_most": "1/2"}
        )


# --- owners as persons -------------------------------------------------------


def test_owner_of_several_units_counts_once_area_per_unit():
    # W owns H1–H3 and agrees; H4–H9 are six owners: 4 agree, 2 oppose
    owners = {"H1": "W", "H2": "W", "H3": "W"}
    r = evaluate(stairwell([70] * 9, votes(agree=range(1, 8), oppose=(8, 9)), owners=owners))
    assert len(r.owners) == 7 and len(r.households) == 9
    h = cond(r, "agreement_headcount")
    assert (h.base, h.have) == (7, 5) and not h.holds  # 5 < 3/4 × 7 = 5.25
    assert cond(r, "agreement_area").have == 490  # 7 units × 70
    data = consent_json(r)
    assert data["headcount"]["units"] == 9 and data["headcount"]["owners"] == 7
    assert data["headcount"]["owners_of_several_units"] == [
        {"units": ["H1", "H2", "H3"], "mixed": False}
    ]
    # the same votes with one owner per unit pass: 7/9 ≥ 3/4
    assert evaluate(stairwell([70] * 9, votes(agree=range(1, 8), oppose=(8, 9)))).passed


def test_owner_whose_units_decided_differently():
    # W owns H1 (agree) and H2 (oppose): W takes part, does not agree, opposes
    owners = {"H1": "W", "H2": "W"}
    r = evaluate(
        stairwell(
            [70] * 4,
            votes(agree=(1, 3, 4), oppose=(2,)),
            owners=owners,
            rule="two_thirds_no_objection",
        )
    )
    assert [o.units for o in r.mixed_owners] == [("H1", "H2")]
    h = cond(r, "agreement_headcount")
    assert (h.base, h.have) == (3, 2)
    assert not cond(r, "two_thirds_no_objection.no_opposition").holds
    assert consent_json(r)["headcount"]["mixed_owners"] == 1
    # W's second unit agreeing makes W agree: one change
    assert r.change.households == 1 and r.change.example == ("H2",)


def test_owner_names_are_compared_after_trimming_spaces():
    owners = {"H1": "王 某", "H2": " 王  某 "}
    r = evaluate(stairwell([70] * 4, votes(agree=(1, 2, 3, 4)), owners=owners))
    assert len(r.owners) == 3


# --- what is missing ----------------------------------------------------------


def test_nobody_voted_says_so_instead_of_zero_square_metres():
    r = evaluate(stairwell([70] * 6, {}))
    text = consent_text(r, "zh") + consent_text(r, "en")
    assert "至少 0 m²" not in text and "at least 0 m²" not in text
    assert "尚无人参与表决" in text and "nobody has taken part" in text
    assert r.change.households == 4  # the 2/3 quorum, all agreeing


# --- the smallest change against brute force ------------------------------------


def brute(conditions, rows):
    """Fewest households to change to agree and the least area of such a set: every subset."""
    others = [h for h in rows if h.decision != "agree"]

    def passes(chosen):
        ids = {h.id for h in chosen}
        flipped = [replace(h, decision="agree") if h.id in ids else h for h in rows]
        return all(c.holds for c in evaluate_conditions(conditions, flipped))

    for k in range(len(others) + 1):
        areas = [
            sum((h.area_m2 for h in s), Fraction(0)) for s in combinations(others, k) if passes(s)
        ]
        if areas:
            return k, min(areas)
    return None


def random_case(rng: random.Random):
    n = rng.randint(1, 7)
    areas = [Fraction(rng.choice([5000, 6000, 6550, 7234, 9000, 12000]), 100) for _ in range(n)]
    decisions = [rng.choice(["agree", "oppose", "abstain", "none", "none"]) for _ in range(n)]
    owner_pool = ["A", "B", None, None, None]
    hh = [
        {
            "id": f"H{i}",
            "floor": 1 + i // 2,
            "area_m2": areas[i],
            **({"owner": o} if (o := rng.choice(owner_pool)) else {}),
            **({"occupied_by_shaft": True} if rng.random() < 0.15 else {}),
        }
        for i in range(n)
    ]
    project = parse_project(
        {
            "name": "r",
            "building": {"floors": 1 + n // 2, "households": hh},
            "costs": {"total": 100000},
            "consent": {
                "decisions": [
                    {"household": f"H{i}", "decision": d} for i, d in enumerate(decisions)
                ]
            },
        }
    )
    law = national_law(dt.date(rng.choice([2019, 2022]), 1, 1))
    local = rng.choice([None, *[r for r in consent_rules().values() if r.level == "local"]])
    conditions = compose(law, local)
    if rng.random() < 0.3:  # a rule that also bounds opposition: the three-class search
        basis = rng.choice(["area", "headcount"])
        extra = RuleCondition.model_validate(
            {"id": "x", "basis": basis, "count": "opposing", "of": "all", "at_most": "1/5"}
        )
        conditions = (*conditions, AppliedCondition("x", extra, (law or local,)))
    return project, conditions


def test_smallest_change_equals_brute_force_on_random_stairwells():
    rng = random.Random(1414)
    checked = 0
    for _ in range(500):
        project, conditions = random_case(rng)
        rows = current_decisions(project.building.households, project.consent.decisions, None)
        expected = brute(conditions, rows)
        if all(c.holds for c in evaluate_conditions(conditions, rows)):
            continue
        got = smallest_change(conditions, rows)
        if expected is None:
            assert got is None
            continue
        assert isinstance(got, SmallestChange)
        assert (got.households, got.area) == expected, (project.building.households, conditions)
        # the example is such a set
        ids = set(got.example)
        flipped = [replace(h, decision="agree") if h.id in ids else h for h in rows]
        assert len(ids) == got.households
        assert all(c.holds for c in evaluate_conditions(conditions, flipped))
        checked += 1
    assert checked > 200


def test_the_composed_rule_applies_only_monotone_conditions():
    for rule in consent_rules().values():
        for a in compose(None, rule):
            assert isinstance(a, AppliedCondition)


def test_unknown_rule_names_the_field():
    with pytest.raises(ProjectError) as e:
        evaluate(stairwell([70, 70], {}, rule="nowhere"))
    assert e.value.problems[0].field == "consent.rule"
    assert get_rule("civil_code_278").level == "national"


def test_a_consent_case_that_disagrees_fails(tmp_path):
    from elevator.plan import cases as C

    source = C.cases_dir() / "tests" / "consent-civil-code-278.yaml"
    text = source.read_text(encoding="utf-8").replace("more_households: 1", "more_households: 2")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    outcome = C.run_test(C.load_test(path))
    assert not outcome.ok and any("more_households" in f for f in outcome.failures)
    assert C.run_test(C.load_test(source)).ok


def test_the_search_of_240_households_answers_and_many_owners_are_refused_honestly():
    from elevator.bench.consent import vote
    from elevator.consent.evaluation import evaluate as evaluate_version

    r = evaluate_version(vote(240), None)
    assert not r.passed and r.change.households is not None
    # every subset of that size passing would be astronomically many: the example passes
    ids = set(r.change.example)
    rows = [replace(h, decision="agree") if h.id in ids else h for h in r.households]
    assert all(c.holds for c in evaluate_conditions(r.applied.conditions, rows))
    p = vote(240)  # one owner of every unit (an employer), decisions of every kind
    units = [h.model_copy(update={"owner": "Employer"}) for h in p.building.households]
    one = p.model_copy(update={"building": p.building.model_copy(update={"households": units})})
    assert evaluate_version(one, None).change.households is None
    many = evaluate_version(vote(240, pairs=120), None)
    assert many.change.households is None
    assert "too many owners" in consent_json(many)["missing"]["en"]


def test_least_area_by_subset_sums_equals_brute_force(monkeypatch):
    """With enumeration switched off, the least area comes from the subset-sum tables (two
    classes, one unit per owner) — or is not given; when given it is the brute-force one."""
    from elevator.consent import search

    monkeypatch.setattr(search, "MAX_SUBSETS", 0)
    calls = []
    real = search._least_area_dp

    def counted(*args):
        out = real(*args)
        calls.append(out[0] is not None)
        return out

    monkeypatch.setattr(search, "_least_area_dp", counted)
    rng = random.Random(2009)
    by_tables = 0
    for _ in range(300):
        project, conditions = random_case(rng)
        rows = current_decisions(project.building.households, project.consent.decisions, None)
        if all(c.holds for c in evaluate_conditions(conditions, rows)):
            continue
        expected = brute(conditions, rows)
        got = smallest_change(conditions, rows)
        if expected is None:
            assert got is None
            continue
        assert got.households == expected[0]
        single = len({h.owner for h in rows}) == len(rows)
        opposing = any(a.condition.count == "opposing" for a in conditions)
        if single and not opposing:
            assert got.area == expected[1], (rows, conditions)
            ids = set(got.example)
            flipped = [replace(h, decision="agree") if h.id in ids else h for h in rows]
            assert all(c.holds for c in evaluate_conditions(conditions, flipped))
            by_tables += 1
        else:
            assert got.area in (None, expected[1])
    assert by_tables > 100 and sum(calls) > 30  # the tables answered many of them


def test_a_policy_rule_starts_on_its_own_date():
    # Beijing's rules start in 2021 (policy file): a 2019 decision has the national law only
    p = stairwell([70] * 9, votes(agree=range(1, 7), oppose=(7, 8, 9)), BEFORE)
    p = p.model_copy(update={"policy": "beijing"})
    r = evaluate(p.model_copy(update={"funding": p.funding.model_copy(update={"subsidies": []})}))
    assert r.applied.local is None and r.rule_id == "property_law_76" and r.passed
    later = p.model_copy(
        update={
            "date": dt.date(2022, 6, 1),
            "funding": p.funding.model_copy(update={"subsidies": []}),
        }
    )
    r = evaluate(later)
    assert r.applied.local.id == "two_thirds_no_objection" and not r.passed
