"""Consent: thresholds at their exact boundaries, history, plan versions, rules from policies."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from elevator.cli import main
from elevator.consent.evaluation import current_decisions, history, record_decision
from elevator.core.errors import ProjectError
from elevator.documents.consent import consent_json
from elevator.model.consent import Decision
from elevator.model.io import parse_project
from elevator.plan.compose import consent as evaluate
from elevator.plan.versions import plan_version
from elevator.policy.consent_rules import consent_rules
from elevator.sharing.engine import compute_shares

from .helpers import SAMPLE


def unit(areas, decisions=(), rule=None, floors=None, occupied=(), **extra):
    """A stairwell with one household per area (ids H1, H2, …), two per floor."""
    hh = [
        {
            "id": f"H{i + 1}",
            "floor": i // 2 + 1,
            "area_m2": a,
            **({"occupied_by_shaft": True} if f"H{i + 1}" in occupied else {}),
        }
        for i, a in enumerate(areas)
    ]
    floors = floors or (len(areas) + 1) // 2
    consent = {"decisions": [dict(household=h, decision=d) for h, d in decisions]}
    if rule:
        consent["rule"] = rule
    data = {
        "name": "t",
        "building": {"floors": floors, "households": hh},
        "costs": {"total": 300000},
        "consent": consent,
        **extra,
    }
    return parse_project(data)


def cond(result, name):
    return next(c for c in result.conditions if c.id == name)


def test_three_quarters_met_exactly_passes():
    # 4 × 100 m², all take part, 3 agree: 300/400 = 3/4 of area and 3/4 of owners exactly
    p = unit(
        [100, 100, 100, 100], [("H1", "agree"), ("H2", "agree"), ("H3", "agree"), ("H4", "oppose")]
    )
    r = evaluate(p)
    assert r.passed
    a = cond(r, "agreement_area")
    assert (a.needed, a.have, a.threshold) == (300, 300, 300)
    h = cond(r, "agreement_headcount")
    assert (h.needed, h.have) == (3, 3)


def test_one_fen_of_area_short_fails():
    # the three who agree hold 299.99 m² of 400 m²: 0.01 m² short of 3/4
    p = unit(
        [100, 100, "99.99", "100.01"],
        [("H1", "agree"), ("H2", "agree"), ("H3", "agree"), ("H4", "oppose")],
    )
    r = evaluate(p)
    assert not r.passed
    a = cond(r, "agreement_area")
    assert not a.holds and a.have == Fraction("299.99") and a.needed == 300
    assert cond(r, "agreement_headcount").holds
    assert "0.01 m²" in a.missing_en and "0.01 m²" in a.missing_zh
    assert r.change.households == 1 and r.change.area == Fraction("100.01")


def test_two_thirds_participation_boundary():
    # 6 equal households: 4 taking part is exactly 2/3; 3 of those 4 agree (3/4)
    votes = [("H1", "agree"), ("H2", "agree"), ("H3", "agree"), ("H4", "abstain")]
    r = evaluate(unit([70] * 6, votes))
    assert cond(r, "participation_headcount").holds and cond(r, "participation_area").holds
    assert r.passed
    r = evaluate(unit([70] * 6, votes[:3]))  # 3 of 6 take part: below 2/3
    assert not cond(r, "participation_headcount").holds
    assert cond(r, "participation_headcount").needed == 4
    assert not r.passed


def test_area_threshold_not_a_whole_decimal():
    # 2/3 of 200.5 m² = 133.666… m²: the smallest area in 0.01 m² that meets it is 133.67
    p = unit(["100.25", "100.25", 50, 50], [("H1", "agree")], rule="shanghai")
    r = evaluate(p)
    a = cond(r, "shanghai.agreement_area")  # the city's condition, beside the national ones
    assert a.threshold == Fraction("300.5") * 2 / 3
    assert a.needed == Fraction("200.34")
    by = {c["name"]: c for c in consent_json(r)["conditions"]}
    assert by["shanghai.agreement_area"]["needed"] == "200.34"


def test_plain_words_for_what_is_missing():
    # 8 × 65 m², 4 agree and 4 oppose: 6 must agree, so two more holding 130 m²
    votes = [(f"H{i}", "agree") for i in range(1, 5)] + [(f"H{i}", "oppose") for i in range(5, 9)]
    r = evaluate(unit([65] * 8, votes))
    data = consent_json(r)
    assert data["missing"]["en"].startswith("Two more households holding at least 130 m²")
    assert data["missing"]["zh"].startswith("还须两户（合计面积至少 130 m²）同意")
    assert data["smallest_change"] == {"households": 2, "area_m2": "130", "example": ["H5", "H6"]}
    public = consent_json(r, named=False)
    assert "example" not in public["smallest_change"] and "households" not in public


def test_no_objection_rule():
    votes = [(f"H{i}", "agree") for i in range(1, 6)] + [("H6", "oppose")]
    r = evaluate(unit([70] * 6, votes, rule="two_thirds_no_objection"))
    assert not r.passed
    assert cond(r, "two_thirds_no_objection.no_opposition").households == ("H6",)
    public = json.dumps(consent_json(r, named=False, viewer="H1"), ensure_ascii=False)
    assert "H6" not in public and '"H1"' in public  # only the viewer's own row is named
    assert cond(r, "two_thirds_no_objection.agreement_area").holds
    r = evaluate(unit([70] * 6, votes[:5] + [("H6", "abstain")], rule="two_thirds_no_objection"))
    assert r.passed


def test_occupied_space_rule():
    votes = [(f"H{i}", "agree") for i in range(2, 7)] + [("H1", "abstain")]
    r = evaluate(unit([70] * 6, votes, rule="occupied_space_consent", occupied=("H1",)))
    assert not r.passed
    assert cond(r, "occupied_space_consent.occupied_space").households == ("H1",)
    assert "H1" in r.change.example


def test_history_never_loses_an_entry():
    p = unit([70] * 4)
    steps = [("H1", "agree"), ("H1", "oppose"), ("H2", "agree"), ("H1", "none"), ("H1", "agree")]
    seen = []
    for h, d in steps:
        entry = Decision(household=h, decision=d, via="link", recorded_by=h)
        p = record_decision(p, entry)
        seen.append(entry)
        assert history(p) == seen  # every earlier entry still there, in order
    assert [d.decision for d in history(p, "H1")] == ["agree", "oppose", "none", "agree"]
    rows = {r.id: r for r in current_decisions(p.building.households, history(p), None)}
    assert rows["H1"].decision == "agree" and rows["H1"].entries == 4
    with pytest.raises(ProjectError):
        record_decision(p, Decision(household="X9", decision="agree"))


def test_withdrawal_counts_as_not_taking_part():
    p = unit([70] * 3, [("H1", "agree"), ("H2", "agree"), ("H2", "none")])
    r = evaluate(p)
    assert r.counts() == {"agree": 1, "oppose": 0, "abstain": 0, "none": 2}
    assert r.history_entries == 3


def test_stale_decisions_do_not_count():
    p = unit([70] * 4, [("H1", "agree"), ("H2", "agree"), ("H3", "agree")])
    current = plan_version(compute_shares(p))
    old = "0" * 16
    entries = [
        Decision(household="H1", decision="agree", version=current),
        Decision(household="H2", decision="agree", version=old),
        Decision(household="H3", decision="agree", version=old),
        Decision(household="H4", decision="agree", version=current),
    ]
    r = evaluate(p, decisions=entries)
    assert r.stale == ("H2", "H3")
    assert r.counts()["agree"] == 2 and not r.passed
    stale_row = next(h for h in r.households if h.id == "H2")
    assert stale_row.stale and stale_row.latest.decision == "agree" and stale_row.decision == "none"
    # deciding again on the current plan counts again
    r = evaluate(
        p,
        decisions=entries
        + [
            Decision(household="H2", decision="agree", version=current),
            Decision(household="H3", decision="agree", version=current),
        ],
    )
    assert r.passed and r.stale == ()


def test_plan_version_follows_the_plan():
    p = parse_project(
        {
            "name": "t",
            "building": {
                "floors": 3,
                "households": [
                    {"id": "101", "floor": 1, "area_m2": 70},
                    {"id": "201", "floor": 2, "area_m2": 70},
                    {"id": "301", "floor": 3, "area_m2": 70},
                ],
            },
            "costs": {"total": 200000},
            "sharing": {"scheme": "floor_coefficients", "coefficients": {1: 0, 2: 1, 3: 2}},
        }
    )
    v1 = plan_version(compute_shares(p))
    assert plan_version(compute_shares(p)) == v1 and len(v1) == 16
    changed = p.model_copy(
        update={
            "sharing": p.sharing.model_copy(
                update={"coefficients": {1: 0, 2: 1, 3: Fraction(21, 10)}}
            )
        }
    )
    assert plan_version(compute_shares(changed)) != v1
    cheaper = p.model_copy(update={"costs": p.costs.model_copy(update={"total": Fraction(199000)})})
    assert plan_version(compute_shares(cheaper)) != v1


def test_rule_comes_from_policy_by_date():
    base = {
        "name": "t",
        "building": {
            "floors": 2,
            "households": [
                {"id": "101", "floor": 1, "area_m2": 70},
                {"id": "201", "floor": 2, "area_m2": 70},
            ],
        },
        "costs": {"total": 100000},
        "funding": {"subsidies": []},
        "policy": "beijing",
    }
    assert evaluate(parse_project({**base, "date": "2024-06-01"})).rule_id == "beijing_2024"
    assert (
        evaluate(parse_project({**base, "date": "2023-06-01"})).rule_id == "two_thirds_no_objection"
    )
    assert (
        evaluate(parse_project({k: v for k, v in base.items() if k != "policy"})).rule_id
        == "civil_code_278"
    )


def test_every_rule_is_sourced():
    for rule_id, rule in consent_rules().items():
        assert rule.reference and rule.confidence in ("source", "weak", "unverified"), rule_id


def test_bad_input_names_the_field():
    with pytest.raises(ProjectError) as e:
        unit([70, 70], [("H9", "agree")])
    assert e.value.problems[0].field == "consent.decisions[0].household"
    with pytest.raises(ProjectError) as e:
        evaluate(unit([70, 70], rule="nowhere"))
    assert e.value.problems[0].field == "consent.rule"


def test_cli_json_contract(capsys, tmp_path):
    import yaml

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["consent"] = {
        "rule": "civil_code_278",
        "decisions": [
            {"household": h, "decision": "agree", "via": "paper", "at": "2026-03-02"}
            for h in ("201", "202", "301", "302", "401", "402", "501", "502")
        ]
        + [{"household": "101", "decision": "oppose", "reason": "采光"}],
    }
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["consent", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # 9 of 12 take part (≥ 8), 8 of 9 agree (≥ 27/4 → 7); areas likewise
    assert out["passed"] is True
    for c in out["conditions"]:
        assert set(c) >= {"name", "holds", "needed", "have", "basis"}
        assert c["basis"] in ("area", "headcount")
        Fraction(c["needed"]), Fraction(c["have"])  # exact decimal strings
    by = {c["name"]: c for c in out["conditions"]}
    assert (
        by["participation_headcount"]["needed"] == "8"
        and by["participation_headcount"]["have"] == "9"
    )
    assert by["agreement_headcount"]["needed"] == "7"
    assert main(["consent", str(path)]) == 0
    assert "通过" in capsys.readouterr().out
