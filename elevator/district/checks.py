"""The feasibility checklist over a portfolio's site-fact columns, all rows at once.

The rules are the same data (feasibility_rules.yaml) with the same thresholds
(`checklist.threshold_values`) and the same three-valued logic as
`checklist.evaluate_facts`: a missing required fact makes its item incomplete, an extra
fact that is missing makes its leaf false, `all`/`any` are Kleene's and/or, an optional
item whose facts are missing is skipped.  Truth values are int8: 1 true, 0 false, −1
unknown.
"""

from __future__ import annotations

import datetime as dt
import operator

import numpy as np
import pandas as pd

from elevator.feasibility.checklist import rules_file, threshold_values

_CMP = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}
VERDICT_CODES = ("feasible", "conditional", "infeasible", "incomplete")


def _present(facts: pd.DataFrame, name: str) -> np.ndarray:
    if name not in facts:
        return np.zeros(len(facts), dtype=bool)
    return facts[name].notna().to_numpy()


def _leaf(cond: dict, facts: pd.DataFrame, values: dict[str, float]) -> np.ndarray:
    fact = cond["fact"]
    n = len(facts)
    have = _present(facts, fact)
    out = np.full(n, -1, dtype=np.int8)
    if not have.any():
        return out
    col = facts[fact]
    for op, cmp in _CMP.items():
        if op in cond:
            x = pd.to_numeric(col.where(have), errors="coerce").to_numpy(dtype=float)
            ok = cmp(np.nan_to_num(x), values[cond[op]])
            break
    else:
        if "is" in cond:
            want = cond["is"]
            ok = col.map(lambda v: v is want or (v == want and isinstance(v, bool))).to_numpy()
        elif "in" in cond:
            ok = col.isin(list(cond["in"])).to_numpy()
        elif "excludes" in cond:
            banned = frozenset(cond["excludes"])
            ok = col.map(lambda v: v is not None and banned.isdisjoint(v)).to_numpy()
        else:
            raise ValueError(cond)
    out[have] = np.asarray(ok, dtype=bool)[have].astype(np.int8)
    return out


def _check(
    cond: dict, facts: pd.DataFrame, values: dict[str, float], required: frozenset
) -> np.ndarray:
    if "all" in cond or "any" in cond:
        want_all = "all" in cond
        subs = [_check(c, facts, values, required) for c in cond.get("all") or cond.get("any")]
        stack = np.vstack(subs)
        decisive = 0 if want_all else 1  # a false in `all`, a true in `any`
        out = np.where((stack == -1).any(axis=0), -1, 1 if want_all else 0).astype(np.int8)
        out[(stack == decisive).any(axis=0)] = decisive
        return out
    if "given" in cond:
        return _present(facts, cond["given"]).astype(np.int8)
    leaf = _leaf(cond, facts, values)
    if cond["fact"] not in required:  # an extra fact: missing is false, not unknown
        leaf = np.where(_present(facts, cond["fact"]), leaf, 0).astype(np.int8)
    return leaf


def verdicts(facts: pd.DataFrame, policy: str | None, date: dt.date) -> np.ndarray:
    """The checklist verdict of every row (facts: site-fact columns plus `storeys`)."""
    values = threshold_values(policy, date)
    n = len(facts)
    blocking = np.zeros(n, dtype=bool)
    incomplete = np.zeros(n, dtype=bool)
    conditional = np.zeros(n, dtype=bool)
    for r in rules_file().rules:
        gap = np.zeros(n, dtype=bool)
        for f in r.facts:
            gap |= ~_present(facts, f)
        ok = _check(r.check, facts, values, frozenset(r.facts))
        unknown = gap | (ok == -1)
        if r.optional:
            unknown &= ~gap  # skipped, not incomplete
            failed = ~gap & (ok == 0)
        else:
            failed = ~unknown & (ok == 0)
        incomplete |= unknown
        if r.on_fail.result == "blocking":
            blocking |= failed
        elif r.on_fail.result == "conditional":
            conditional |= failed
    out = np.full(n, "feasible", dtype=object)
    out[conditional] = "conditional"
    out[incomplete] = "incomplete"
    out[blocking] = "infeasible"
    return out
