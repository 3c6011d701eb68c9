"""Negotiation solver: exact solutions, minimal spread, minimal conflicting subsets."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from elevator.cli import main
from elevator.core.errors import ProjectError
from elevator.model.io import load_project, parse_project
from elevator.plan.negotiate import Constraint, _solve, load_constraints, setup_for, solve
from elevator.sharing.engine import compute_shares

from .helpers import SAMPLE

AGREED = [
    {"id": "a", "text": "2F 每户最多付总额的 5%", "floor": 2, "pays_at_most": "5%"},
    {"id": "b", "rise_from_below": "10%"},
    {"id": "c", "floor": 6, "at_most_times": {"floor": 3, "factor": 2}},
    {"id": "d", "floor": 1, "receives": 5000},
]


def constraints(rows):
    return [Constraint.model_validate(r) for r in rows]


def pays_by_floor(result):
    """Exact per-household pay (gross − compensation) of each floor, checked equal within it."""
    out = {}
    for h in result.households:
        if h.payer or h.compensation:
            value = h.gross - h.compensation
            assert out.setdefault(h.floor, value) == value
    return out


def test_solution_meets_every_constraint_exactly():
    project = load_project(SAMPLE)
    n = solve(project, constraints(AGREED))
    assert n.solved and all(c.holds for c in n.checks)
    # re-check independently on a fresh computation of the solved project
    result = compute_shares(n.project)
    pay = pays_by_floor(result)
    amount = Fraction(530000 - 100000 - 20000)  # cost − subsidy − contribution
    assert pay[2] <= amount * Fraction(5, 100)
    for f in range(3, 7):
        assert pay[f] >= Fraction(11, 10) * pay[f - 1]
    assert pay[6] <= 2 * pay[3]
    assert pay[1] == -5000
    assert sum(h.exact for h in result.households) == amount
    assert sum(h.share for h in result.households) == amount
    assert result.scheme.name == "floor_coefficients"
    assert all(isinstance(v, Fraction) for v in n.coefficients.values())
    assert n.spread == pay[6] - pay[2]


def test_without_constraints_the_fairest_split_is_equal():
    project = load_project(SAMPLE)
    n = solve(project, constraints([{"floor": 1, "receives": 5000}]))
    assert n.spread == 0
    assert len(set(n.pays.values())) == 1
    # 9 payers (602 opted out) share 410,000 + 2 × 5,000 for the two 1F households equally
    assert set(n.pays.values()) == {Fraction(420000, 9)}


def test_spread_is_minimal_on_a_hand_checked_case():
    # 3 floors, one household each, floor 1 exempt; 2F ≤ 30% of 100,000 and 3F ≥ 2F:
    # equal 50,000 each breaks the cap, so 2F = 30,000, 3F = 70,000; spread 40,000
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
            "costs": {"total": 100000},
        }
    )
    n = solve(
        p,
        constraints(
            [
                {"floor": 2, "pays_at_most": "30%"},
                {"floor": 3, "at_least_times": {"floor": 2, "factor": 1}},
            ]
        ),
    )
    assert n.pays == {2: 30000, 3: 70000} and n.spread == 40000
    assert n.coefficients == {1: 0, 2: 1, 3: Fraction(7, 3)}


def test_conflict_reports_a_minimal_subset():
    project = load_project(SAMPLE)
    rows = AGREED + [{"id": "e", "floor": 6, "pays_at_least": "40%"}]
    cs = constraints(rows)
    n = solve(project, cs)
    assert not n.solved
    labels = [cs[i].id for i in n.conflict]
    assert labels == ["b", "c", "e"]
    setup = setup_for(project)
    assert _solve([cs[i] for i in n.conflict], setup) is None
    for drop in n.conflict:  # minimal: any one removed, it solves
        assert _solve([cs[i] for i in n.conflict if i != drop], setup) is not None


def test_direct_contradiction():
    project = load_project(SAMPLE)
    cs = constraints(
        [
            {"id": "x", "floor": 3, "pays": 10000},
            {"id": "y", "floor": 4, "pays_at_most": 50000},
            {"id": "z", "floor": 3, "pays_at_least": 20000},
        ]
    )
    n = solve(project, cs)
    assert [cs[i].id for i in n.conflict] == ["x", "z"]


def test_bad_constraints_are_named(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "constraints:\n  - {floor: 2, pays_at_most: 5%, pays_at_least: 1%}\n", encoding="utf-8"
    )
    with pytest.raises(ProjectError) as e:
        load_constraints(str(path))
    assert e.value.problems[0].field.startswith(str(path))
    with pytest.raises(ProjectError):
        solve(load_project(SAMPLE), constraints([{"floor": 1, "pays_at_most": 100}]))  # exempt


def test_cli(tmp_path, capsys):
    import yaml

    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"constraints": AGREED}, allow_unicode=True), encoding="utf-8")
    assert main(["negotiate", str(SAMPLE), "--constraints", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["solved"] and out["sharing"]["scheme"] == "floor_coefficients"
    assert all(c["holds"] for c in out["checks"])
    path.write_text(
        yaml.safe_dump({"constraints": AGREED + [{"id": "e", "floor": 6, "pays_at_least": "40%"}]}),
        encoding="utf-8",
    )
    assert main(["negotiate", str(SAMPLE), "--constraints", str(path)]) == 1
    assert "冲突" in capsys.readouterr().out


def test_exact_simplex_on_small_programmes():
    from elevator.sharing.lp import lp_min

    F = Fraction
    # min x + y with x + 2y ≥ 4, 3x + y ≥ 6 → x = 8/5, y = 6/5, value 14/5
    assert lp_min(
        {"x": F(1), "y": F(1)},
        [({"x": F(1), "y": F(2)}, ">=", F(4)), ({"x": F(3), "y": F(1)}, ">=", F(6))],
    ) == (F(14, 5), {"x": F(8, 5), "y": F(6, 5)})
    # infeasible: x ≤ 1 and x ≥ 2
    assert lp_min({"x": F(1)}, [({"x": F(1)}, "<=", F(1)), ({"x": F(1)}, ">=", F(2))]) is None
    # a free variable may go negative: min z with z ≥ −3
    assert lp_min({"z": F(1)}, [({"z": F(1)}, ">=", F(-3))], free={"z"})[0] == -3
    # the degenerate programme sympy 1.14's lpmin mishandles (equal split, spread 0)
    rows = [({"a": F(2), "b": F(2), "c": F(1)}, "==", F(420000))]
    rows += [({v: F(1), "lo": F(-1)}, ">=", F(0)) for v in "abc"]
    rows += [({v: F(1), "hi": F(-1)}, "<=", F(0)) for v in "abc"]
    value, point = lp_min({"hi": F(1), "lo": F(-1)}, rows, free={"lo", "hi"})
    assert value == 0 and point["a"] == point["b"] == point["c"] == 84000
