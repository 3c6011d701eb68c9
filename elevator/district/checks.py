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


class FactColumns:
    """The site-fact columns of a frame, each factorised once: a code per row (−1: missing)
    and its distinct values, so a leaf is evaluated once per distinct value."""

    def __init__(self, frame: pd.DataFrame, storeys: np.ndarray):
        self.frame, self.n = frame, len(frame)
        self._cols: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        codes, uniques = pd.factorize(storeys)
        self._cols["storeys"] = (codes, np.asarray(uniques, dtype=object))

    def column(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        if name not in self._cols:
            if name not in self.frame:
                return None
            col = self.frame[name]
            if isinstance(col.dtype, pd.CategoricalDtype):  # as the reader leaves them
                codes = col.cat.codes.to_numpy()
                uniques = np.empty(len(col.cat.categories), dtype=object)
                for k, v in enumerate(col.cat.categories):
                    uniques[k] = v
            else:
                codes, found = pd.factorize(col.astype(object), use_na_sentinel=True)
                uniques = np.asarray(found, dtype=object)
            self._cols[name] = (codes, uniques)
        return self._cols[name]

    def present(self, name: str, idx: np.ndarray) -> np.ndarray:
        col = self.column(name)
        return np.zeros(len(idx), bool) if col is None else col[0][idx] != -1

    def apply(self, name: str, idx: np.ndarray, fn) -> np.ndarray:
        """fn(value) for each row in idx (False where missing)."""
        codes, uniques = self.column(name)
        table = np.array([bool(fn(v)) for v in uniques] + [False], dtype=bool)
        return table[codes[idx]]


def _leaf(cond: dict, facts: FactColumns, idx: np.ndarray, values: dict[str, float]):
    fact = cond["fact"]
    have = facts.present(fact, idx)
    out = np.full(len(idx), -1, dtype=np.int8)
    if not have.any():
        return out
    for op, cmp in _CMP.items():
        if op in cond:
            limit = values[cond[op]]
            ok = facts.apply(fact, idx, lambda v: cmp(float(v), limit))
            break
    else:
        if "is" in cond:
            want = cond["is"]
            ok = facts.apply(fact, idx, lambda v: v is want)
        elif "in" in cond:
            allowed = frozenset(cond["in"])
            ok = facts.apply(fact, idx, lambda v: v in allowed)
        elif "excludes" in cond:
            banned = frozenset(cond["excludes"])
            ok = facts.apply(fact, idx, lambda v: banned.isdisjoint(v))
        else:
            raise ValueError(cond)
    out[have] = ok[have].astype(np.int8)
    return out


def _check(cond: dict, facts: FactColumns, idx, values, required: frozenset) -> np.ndarray:
    if "all" in cond or "any" in cond:
        want_all = "all" in cond
        subs = [_check(c, facts, idx, values, required) for c in cond.get("all") or cond.get("any")]
        stack = np.vstack(subs)
        decisive = 0 if want_all else 1  # a false in `all`, a true in `any`
        out = np.where((stack == -1).any(axis=0), -1, 1 if want_all else 0).astype(np.int8)
        out[(stack == decisive).any(axis=0)] = decisive
        return out
    if "given" in cond:
        return facts.present(cond["given"], idx).astype(np.int8)
    leaf = _leaf(cond, facts, idx, values)
    if cond["fact"] not in required:  # an extra fact: missing is false, not unknown
        leaf = np.where(facts.present(cond["fact"], idx), leaf, 0).astype(np.int8)
    return leaf


def verdicts(facts: FactColumns, idx: np.ndarray, policy: str | None, date: dt.date) -> np.ndarray:
    """The checklist verdict of the rows idx under the policy's thresholds at date."""
    values = threshold_values(policy, date)
    n = len(idx)
    blocking = np.zeros(n, dtype=bool)
    incomplete = np.zeros(n, dtype=bool)
    conditional = np.zeros(n, dtype=bool)
    for r in rules_file().rules:
        gap = np.zeros(n, dtype=bool)
        for f in r.facts:
            gap |= ~facts.present(f, idx)
        ok = _check(r.check, facts, idx, values, frozenset(r.facts))
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
