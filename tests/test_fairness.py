"""Fairness checks on computed splits and hand-made tables; their place in share/compare."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elevator.cli import main
from elevator.core.errors import ProjectError
from elevator.documents.tables import share_json, share_text
from elevator.model.io import load_project, parse_project
from elevator.sharing import fairness
from elevator.sharing.engine import compute_shares

from .helpers import stairwell

ROOT = Path(__file__).resolve().parents[1]
FOURTEEN = ROOT / "cases" / "projects" / "airport-14-flats.yaml"
AIRPORT = ["sfc", "sec", "cec", "ceb", "cp", "sm", "cc"]


def test_area_split_of_the_fourteen_flats_subsidises_the_top_floor():
    # by area: floors 2–4 hold 1,020 of 1,250 m² → 45,000 × 1,020 / 1,250 = 36,720,
    # but an elevator to floor 4 alone costs 35,000: 1,720 too much.
    project = load_project(FOURTEEN)
    report = fairness.check(compute_shares(project, "area"), project)
    assert report.no_subsidy is False
    [v] = report.of_kind("no_subsidy")
    assert v.floors == (2, 3, 4) and v.amount == 1720
    assert v.en == (
        "Floors 2–4 together pay 36,720.00, 1,720.00 more than an elevator to "
        "floor 4 alone would cost (35,000.00)"
    )
    assert (
        v.zh
        == "2–4 层住户合计支付 36,720.00 元，比只装到 4 层的电梯费用 35,000.00 元多 1,720.00 元"
    )
    assert report.equal_treatment and report.monotone and report.nonnegative
    assert report.monotone_basis == "m2"


@pytest.mark.parametrize("rule", AIRPORT)
def test_airport_rules_pass_no_subsidy(rule):
    project = load_project(FOURTEEN)
    report = fairness.check(compute_shares(project, rule), project)
    assert report.no_subsidy and report.stand_alone and report.equal_treatment
    assert report.nonnegative
    assert report.monotone is (rule != "sfc")


def test_sfc_drop_is_reported_per_household():
    project = load_project(FOURTEEN)
    report = fairness.check(compute_shares(project, "sfc"), project)
    [v] = report.of_kind("monotone")
    assert v.floors == (2, 3) and v.amount == 5000
    assert "1,250.00" in v.en and "6,250.00" in v.en


def test_equal_benefit_negative_shares_and_group_excess():
    # equal benefit: savings 405,000 / 14 off each stand-alone cost; floor 2 goes negative
    project = load_project(FOURTEEN)
    report = fairness.check(compute_shares(project, "equal_benefit"), project)
    assert report.nonnegative is False
    assert len(report.of_kind("negative")) == 4
    # the paying floors 3–5 carry 45,000 + 4 × 3,928.57… = 60,714.28…; the group is 3–5
    [v] = report.of_kind("no_subsidy")
    assert v.floors == (3, 4, 5)
    assert v.amount == 4 * (F(405000, 14) - 25000)


def test_hand_made_table_with_a_subsidy_is_compared_with_the_scaled_ladder():
    # cost 380,000 + 30,000 (f − 1), 6 floors → 530,000; subsidy 106,000 → 4/5 is shared
    subsidy = {"subsidies": [{"name": "s", "per_elevator": 106000}]}
    fair = parse_project(
        stairwell(
            funding=subsidy,
            sharing={
                "scheme": "floor_coefficients",
                "coefficients": {1: 0, 2: 3, 3: 3, 4: 1, 5: 1, 6: 1},
            },
        )
    )
    report = fairness.check(compute_shares(fair), fair)
    assert report.scale == F(4, 5)
    # weights 6 + 6 + 2 + 2 + 2 = 18: floors ≤ 2, 3, 4, 5 pay 424,000 × 6, 12, 14, 16 / 18,
    # all under 4/5 × 410,000, 440,000, 470,000, 500,000
    assert report.no_subsidy is True and not report.of_kind("no_subsidy")
    assert report.monotone is False  # coefficient 1 on floor 4 after 3 on floor 3
    heavy = parse_project(
        stairwell(
            funding=subsidy,
            sharing={
                "scheme": "floor_coefficients",
                "coefficients": {1: 0, 2: 30, 3: 1, 4: 1, 5: 1, 6: 1},
            },
        )
    )
    report = fairness.check(compute_shares(heavy), heavy)
    # weights 60 + 2 + 2 + 2 + 2 = 68: floor 2 pays 424,000 × 60/68 against 328,000,
    # floors 2–3 424,000 × 62/68 against 352,000, … floors 2–5 66/68 against 400,000
    found = report.of_kind("no_subsidy")
    assert [v.floors for v in found] == [(2,), (2, 3), (2, 3, 4), (2, 3, 4, 5)]
    assert found[0].amount == F(424000 * 60, 68) - 328000
    assert found[3].amount == F(424000 * 66, 68) - 400000
    assert any("scaled" in note.en for note in report.notes)
    # one floor-2 household pays 424,000 × 30/68 < 328,000: not over its own elevator
    assert report.stand_alone is True


def test_check_table_for_typed_amounts():
    project = load_project(FOURTEEN)
    amounts = {h.id: F(3000) for h in project.building.households}
    amounts["4ºB"] = F(45000) - 13 * 3000
    report = fairness.check_table(project, amounts)
    # floors 2–4 pay 12 × 3,000 = 36,000 against 35,000: one violation of 1,000
    [v] = report.of_kind("no_subsidy")
    assert v.amount == 1000 and v.floors == (2, 3, 4)
    assert report.equal_treatment and report.monotone and report.stand_alone


def test_check_table_equal_treatment_and_stand_alone():
    project = load_project(FOURTEEN)
    amounts = {h.id: F(0) for h in project.building.households}
    amounts["1ºA"] = F(26000)  # more than an elevator to floor 2 (25,000)
    amounts["1ºB"] = F(1000)  # same floor, same 80 m², pays differently
    amounts["4ºA"] = F(45000) - 27000
    report = fairness.check_table(project, amounts)
    [s] = report.of_kind("stand_alone")
    assert s.households == ("1ºA",) and s.amount == 1000
    [e] = report.of_kind("equal_treatment")
    assert set(e.households) == {"1ºA", "1ºB"} and e.amount == 25000
    with pytest.raises(ProjectError):
        fairness.check_table(project, {"9ºZ": F(1)})


def test_total_only_cannot_be_checked():
    data = stairwell(sharing={"scheme": "equal"})
    data["costs"] = {"total": 500000}
    project = parse_project(data)
    report = fairness.check(compute_shares(project), project)
    assert report.no_subsidy is None and report.stand_alone is None
    assert report.notes and "cannot be checked" in report.notes[0].en


def test_per_floor_climbed():
    project = load_project(FOURTEEN)
    report = fairness.check(compute_shares(project, "cec"), project)
    rows = {r.floor: r for r in report.floors}
    assert rows[2].per_household == F(8750, 3) and rows[2].per_floor_climbed == F(8750, 3)
    assert rows[5].per_household == 5000 and rows[5].per_floor_climbed == 1250
    assert rows[5].stand_alone == 45000 and rows[3].stand_alone == 30000
    assert rows[4].per_m2 == F(8750 * 4, 3 * 340)


def test_opted_out_top_floor_leaves_the_others_paying_for_it():
    data = stairwell(sharing={"scheme": "sec"})
    for h in data["building"]["households"]:
        if h["id"].startswith("6"):
            h["participates"] = False
    project = parse_project(data)
    report = fairness.check(compute_shares(project), project)
    # the elevator still goes to floor 6 (530,000) but floors 2–5 pay all of it
    [v] = report.of_kind("no_subsidy")
    assert v.floors == (2, 3, 4, 5) and v.amount == 30000


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 8), min_size=5, max_size=5),
    st.sampled_from(AIRPORT),
    st.integers(0, 200000),
)
def test_airport_rules_never_flagged(steps, rule, subsidy):
    ladder, level = {}, 300000
    for f, s in zip(range(2, 7), steps):
        level += 10000 * s
        ladder[f] = level
    data = stairwell(
        sharing={"scheme": rule}, funding={"subsidies": [{"name": "s", "per_elevator": subsidy}]}
    )
    data["costs"] = {"ladder": ladder}
    project = parse_project(data)
    report = fairness.check(compute_shares(project), project)
    assert report.no_subsidy and report.stand_alone and report.equal_treatment
    assert report.nonnegative


# --- report and CLI ---------------------------------------------------------------


def test_share_json_has_checks_with_the_project():
    project = load_project(FOURTEEN)
    result = compute_shares(project, "area")
    assert "checks" not in share_json(result)
    checks = share_json(result, project)["checks"]
    assert checks["no_subsidy"] is False
    assert checks["violations"][0]["amount"] == "1720.00"
    assert checks["floors"][3]["stand_alone_cost"] == "45000.00"
    text = share_text(result, "en", project)
    assert "Fairness checks" in text and "1,720.00 more than" in text


def test_cli_share_prints_violations(capsys):
    assert main(["share", str(FOURTEEN), "--scheme", "area"]) == 0
    out = capsys.readouterr().out
    assert "公平性检查" in out and "多 1,720.00 元" in out


def test_cli_compare_all_lists_properties(capsys):
    assert main(["compare", str(FOURTEEN), "--schemes", "all", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for rule in AIRPORT:
        assert rule in data["schemes"]
        assert data["properties"][rule]["no_subsidy"] is True
    assert data["properties"]["area"]["no_subsidy"] is False
    assert data["properties"]["sfc"]["monotone"] is False
    assert data["properties"]["equal_benefit"]["nonnegative"] is False
    assert (
        main(
            ["compare", str(FOURTEEN), "--schemes", "all", "--weights", "area", "--format", "json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert {s["scheme"] for s in data["skipped"]} >= {"sm", "cc"}
    cp = [h["shares"]["cp"] for h in data["households"]]
    assert cp[0] != cp[2]  # 80 m² and 90 m² on the same floor pay differently
