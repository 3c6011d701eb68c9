"""The formula a resident is shown is the formula that computed the share.

For every scheme and sharing shape (household or floor unions, linear costs or a ladder,
per household or by area, equal or by area within a floor), each paying household's values
are substituted into the formula text the tool displays (`formula_for_result`), the
expression is evaluated exactly with sympy, and it must equal the computed share before
compensation (`gross`) exactly.

The constrained airport rules (cec, cp, sm) and the core centre (cc) are shown by their
definitions (a minimum over later households repeated block by block; an integral over the
no-subsidy set): they are not substituted here; tests/test_airport.py checks them against
brute force and the published examples instead.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from elevator.core.errors import ProjectError
from elevator.model.io import load_project, parse_project
from elevator.plan.compose import shares
from elevator.sharing.engine import floor_cost_function
from elevator.sharing.formulas import formula_for_result

ROOT = Path(__file__).resolve().parents[1]
DEFINED_ONLY = {"cec", "cp", "sm", "cc"}


def _rational(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


def evaluate(text: str, scalars: dict, indexed: dict) -> Fraction:
    """Evaluate a displayed formula: scalars are numbers, indexed are {name: {index: value}}."""
    names = set(re.findall(r"[A-Za-z_]\w*", text)) - {"Sum", "Max", "Min"}
    local = {}
    for name in names:
        local[name] = sp.IndexedBase(name) if re.search(rf"\b{name}\[", text) else sp.Symbol(name)
    local["Sum"], local["Max"] = sp.Sum, sp.Max
    expr = sp.sympify(text, locals=local)
    expr = expr.subs(
        {
            local[k]: (_rational(v) if isinstance(v, Fraction) else v)
            for k, v in scalars.items()
            if isinstance(local.get(k), sp.Symbol)
        }
    )
    for _ in range(12):
        expr = expr.doit()
        found = [e for e in expr.atoms(sp.Indexed) if all(x.is_number for x in e.indices)]
        if not found:
            break
        values = {}
        for e in found:
            table = indexed[str(e.base)]
            key = int(e.indices[0])
            values[e] = _rational(Fraction(table[key]))
        expr = expr.xreplace(values)
    value = sp.nsimplify(expr) if not expr.is_Rational else expr
    assert value.is_Rational, f"not evaluated: {expr}"
    return Fraction(int(value.p), int(value.q))


def _bindings(result, project, hid: str) -> tuple[dict, dict]:
    """Every symbol any displayed formula uses, for household `hid`."""
    payers = [h for h in result.households if h.payer]
    me = next(h for h in payers if h.id == hid)
    n = len(payers)
    fc = floor_cost_function(project)
    scalars = {"A": result.amount_shared, "n": n}
    indexed: dict[str, dict] = {}
    order = {h.id: i + 1 for i, h in enumerate(payers)}
    scalars["i"] = order[hid]
    indexed["a"] = {order[h.id]: h.area_m2 for h in payers}
    indexed["f"] = {order[h.id]: h.floor for h in payers}
    indexed["k"] = {order[h.id]: h.floor - 1 for h in payers}
    coeffs = result.sharing.coefficients or {}
    indexed["c"] = {f: coeffs.get(f, 0) for f in range(1, 100)}
    floors = sorted({h.floor for h in payers})
    scalars["m"] = len(floors)
    indexed["G"] = {j + 1: f for j, f in enumerate(floors)}
    scalars["n_f"] = sum(1 for h in payers if h.floor == me.floor)
    scalars["a_h"] = me.area_m2
    scalars["S_f"] = sum((h.area_m2 for h in payers if h.floor == me.floor), Fraction(0))
    scalars["f"] = me.floor
    if project.costs.fixed is not None:
        scalars["F"], scalars["v"] = project.costs.fixed, project.costs.per_floor
    ks = [h.floor - 1 for h in payers]
    scalars["K"] = max(ks)
    indexed["N"] = {h: sum(1 for k in ks if k >= h) for h in range(1, max(ks) + 1)}
    if fc is not None and result.scheme.needs_floor_costs:
        _airport_bindings(result, fc, payers, me, scalars, indexed)
    return scalars, indexed


def _airport_bindings(result, fc, payers, me, scalars, indexed) -> None:
    """Sorted costs c_1 ≤ … ≤ c_n (c_0 = 0), levels d_j, weights w (area when weighted)."""
    by_area = result.sharing.weights == "area"
    if result.sharing.unions == "floors":
        groups = sorted({h.floor for h in payers})
        units = [
            (f, fc(f), sum((h.area_m2 for h in payers if h.floor == f), Fraction(0)))
            for f in groups
        ]
        mine = me.floor
    else:
        units = [(h.id, fc(h.floor), h.area_m2) for h in payers]
        mine = me.id
    units.sort(key=lambda u: u[1])
    cost = {0: Fraction(0), **{i + 1: u[1] for i, u in enumerate(units)}}
    indexed["c"] = cost
    scalars["n"] = len(units)
    position = next(i + 1 for i, u in enumerate(units) if u[0] == mine)
    scalars["i"] = position
    indexed["w"] = {i + 1: (u[2] if by_area else 1) for i, u in enumerate(units)}
    levels = sorted({u[1] for u in units})
    indexed["d"] = {0: Fraction(0), **{j + 1: d for j, d in enumerate(levels)}}
    indexed["eta"] = {j + 1: sum(1 for u in units if u[1] == d) for j, d in enumerate(levels)}
    indexed["W"] = {
        j + 1: sum((indexed["w"][i + 1] for i, u in enumerate(units) if u[1] == d), Fraction(0))
        for j, d in enumerate(levels)
    }
    scalars["j"] = levels.index(cost[position]) + 1
    scalars["beta"] = _beta([u[1] for u in units], [indexed["w"][i + 1] for i in range(len(units))])


def _beta(costs: list[Fraction], weights: list) -> Fraction:
    """β with Σ max(0, c_i − β·w_i) = c_n: the sum falls piecewise linearly as β grows."""
    target = max(costs)
    points = sorted({Fraction(c) / Fraction(w) for c, w in zip(costs, weights)} | {Fraction(0)})
    for lo, hi in zip(points, points[1:] + [None]):
        active = [
            (Fraction(c), Fraction(w))
            for c, w in zip(costs, weights)
            if Fraction(c) / Fraction(w) > lo
        ]
        # on [lo, hi]: Σ (c − β w) over the active households
        slope = sum((w for _, w in active), Fraction(0))
        at_lo = sum((c - lo * w for c, w in active), Fraction(0))
        if slope == 0:
            continue
        beta = lo + (at_lo - target) / slope
        if beta >= lo and (hi is None or beta <= hi):
            return beta
    raise AssertionError("no β")


def _variants() -> list[tuple[str, dict]]:
    """(label, project data) covering the sharing shapes."""
    base = load_project(ROOT / "cases" / "projects" / "xingshan-xingfa-3-1.yaml")
    data = base.model_dump(mode="json", exclude_none=True)
    data.pop("running_costs", None)
    out = []
    for label, sharing, costs in [
        ("linear", {}, None),
        ("floor unions", {"unions": "floors"}, None),
        ("floor unions, area within", {"unions": "floors", "within_floor": "area"}, None),
        ("area weights", {"weights": "area"}, None),
        ("floor unions, area weights", {"unions": "floors", "weights": "area"}, None),
        ("by area", {"by_area": True}, None),
        ("area within floor", {"within_floor": "area"}, None),
        (
            "ladder",
            {},
            {"ladder": {1: 380000, 2: 395000, 3: 420000, 4: 450000, 5: 495000, 6: 530000}},
        ),
        (
            "ladder, floor unions, area within",
            {"unions": "floors", "within_floor": "area"},
            {"ladder": {1: 380000, 2: 395000, 3: 420000, 4: 450000, 5: 495000, 6: 530000}},
        ),
        (
            "ladder, floor unions",
            {"unions": "floors"},
            {"ladder": {1: 380000, 2: 395000, 3: 420000, 4: 450000, 5: 495000, 6: 530000}},
        ),
    ]:
        d = {**data, "sharing": {**data["sharing"], **sharing}}
        if costs:
            d["costs"] = costs
        out.append((label, d))
    return out


def _cases():
    from elevator.sharing.schemes import SCHEMES

    for label, data in _variants():
        for name in SCHEMES:
            if name in DEFINED_ONLY:
                continue
            yield pytest.param(name, data, id=f"{name}-{label}")


@pytest.mark.parametrize("scheme, data", list(_cases()))
def test_shown_formula_gives_the_computed_share(scheme, data):
    project = parse_project(data)
    try:
        result = shares(project, scheme)
    except ProjectError as e:  # a shape the scheme does not accept (e.g. weights: area)
        pytest.skip(f"not applicable: {e}")
    formula = formula_for_result(result)
    assert formula["text"], f"{scheme}: no formula shown"
    for h in result.households:
        if not h.payer:
            continue
        scalars, indexed = _bindings(result, project, h.id)
        got = evaluate(formula["text"], scalars, indexed)
        assert got == h.gross, (scheme, h.id, formula["text"], got, h.gross)
