"""Subsidies and shares for many stairwells at once, exact, in integer fen.

A portfolio row is a stairwell of `floors` floors with `h` identical flats on each, so
every scheme gives each paying floor one integer weight X_f (the same for its h
households; a common factor of a row never matters):

    equal, area         X_f = 1                  (one area for every flat: area = equal)
    floors_travelled    X_f = f − 1
    elevator_rule       X_f = f                  (1 + (f − 2)/2, times 2)
    italian_1124        X_f = S + P·(f − 1)      (P paying floors, S = Σ (f − 1))
    floor_coefficients  X_f = k_f · common denominator
    shapley, sec        X_f = Σ_{j ≤ f} (c_j − c_{j−1}) · M / (paying floors ≥ j),
                        M = lcm(1 … P)           (c_f = F + v·(f − 1); c = 0 pays nothing)
    sfc                 X_f = c_f − c_{f−1}      (one level, X_f = 1, when v = 0)
    equal_benefit       X_f = n·c_f − (Σ c − max c),  n = h·P
    cec, cp             blocks of floors from the bottom, each paying λ·p (p = 1, or c_f),
                        λ the smallest (c_k − c_prev) / (h·Σ p) (airport._constrained)
    ceb                 X_f = max(c_f·d − m, 0),  β = m/d the common saving

Household i on floor f is owed A·X_f / W fen exactly, A = cost − subsidies and
W = h·Σ X_f.  Rounding is `money.round_to_total`'s: each household gets the floor of its
amount, and the fen still missing go one each to the largest remainders, ties to the
larger exact amount, then to the earlier household (lower floor, then lower number).
Integers are int64 where the products provably fit, Python integers where they do not;
the answer is the same either way (sec is the Shapley value: the same weights).  Schemes
with no closed form here (sm, cc) are priced row by row by the one-stairwell engine (elevator.district.scalar).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from elevator.core.text import Msg
from elevator.model.project import Subsidy

VECTOR_SCHEMES = (
    "equal",
    "area",
    "floors_travelled",
    "elevator_rule",
    "italian_1124",
    "floor_coefficients",
    "shapley",
    "sec",
    "sfc",
    "equal_benefit",
    "cec",
    "cp",
    "ceb",
)
FLOOR_COST_SCHEMES = ("shapley", "sec", "sfc", "equal_benefit", "cec", "cp", "ceb")
_SAFE = 2**62  # products below this fit int64 with room for a sum of a few
_LCM = np.frompyfunc(math.lcm, 2, 1)


@dataclass
class Split:
    """Rows × floors: q (whole fen each household on the floor gets) and g (how many of
    the floor's households, counted from number 01, get one fen more)."""

    q: np.ndarray
    g: np.ndarray


# --- subsidies --------------------------------------------------------------

_KNOWN_SUBSIDY = {
    "name",
    "per_elevator",
    "percent",
    "cap",
    "per_stop",
    "per_household",
    "households",
    "earmarked_for",
    "paid_on",
    "reference",
    "confidence",
}


def _fen_of(value: Fraction) -> int | None:
    v = value * 100
    return int(v) if v.denominator == 1 else None


def vector_subsidies(subsidies: list[Subsidy]) -> bool:
    """Whether these subsidies have a closed form here (else the rows go to the scalar engine):
    per elevator, percent (rounded down to the fen, capped) and per stop; a subsidy earmarked
    for a cost item is 0 (a portfolio row has no cost items)."""
    for s in subsidies:
        extra = {n for n in type(s).model_fields if n not in _KNOWN_SUBSIDY}
        if any(getattr(s, n) not in (None, False, [], ()) for n in extra):
            return False
        if s.per_household is not None:
            return False
        for v in (s.per_elevator, s.cap, s.per_stop):
            if v is not None and _fen_of(v) is None:
                return False
    return True


def subsidy_fen(subsidies: list[Subsidy], cost: np.ndarray, floors: np.ndarray) -> np.ndarray:
    """Σ subsidies per row in fen (elevator.sharing.engine.subsidy_amount, vectorised)."""
    total = np.zeros(len(cost), dtype=np.int64)
    for s in subsidies:
        if s.earmarked_for:
            continue
        if s.per_elevator is not None:
            total += _fen_of(s.per_elevator)
        elif s.percent is not None:
            p = Fraction(s.percent)
            amount = cost * p.numerator // (p.denominator * 100)
            if s.cap is not None:
                amount = np.minimum(amount, _fen_of(s.cap))
            total += amount
        elif s.per_stop is not None:
            total += _fen_of(s.per_stop) * floors
    return total


# --- weights ----------------------------------------------------------------


def _lcm_upto(p: np.ndarray) -> np.ndarray:
    table = np.array([1] + [math.lcm(*range(1, k + 1)) for k in range(1, 41)], dtype=object)
    return table[p]


def _reduce(X: np.ndarray) -> np.ndarray:
    """Divide each row by the gcd of its weights (shares do not change)."""
    if X.dtype != object:
        g = np.gcd.reduce(np.abs(X), axis=1)
        g[g == 0] = 1
        return X // g[:, None]
    out = X.copy()
    for i in range(len(X)):
        g = math.gcd(*(int(v) for v in X[i])) or 1
        out[i] = X[i] // g
    return out


def floor_weights(
    scheme: str,
    floors: int,
    per_floor: np.ndarray,
    ground_pays: np.ndarray,
    fixed: np.ndarray | None = None,
    per_storey: np.ndarray | None = None,
    coefficients: list | None = None,
) -> tuple[np.ndarray, list[Msg | None]]:
    """(X: rows × floors, object ints; one problem or None per row) for stairwells of
    `floors` floors."""
    n = len(per_floor)
    f = np.arange(1, floors + 1)
    payer = (f[None, :] >= 2) | ground_pays[:, None]
    problems: list[Msg | None] = [None] * n
    P = payer.sum(axis=1)
    if scheme in ("equal", "area"):
        X = payer.astype(np.int64)
    elif scheme == "floors_travelled":
        X = (f - 1)[None, :] * payer
    elif scheme == "elevator_rule":
        X = f[None, :] * payer
    elif scheme == "italian_1124":
        S = ((f - 1)[None, :] * payer).sum(axis=1)
        X = (S[:, None] + P[:, None] * (f - 1)[None, :]) * payer
        for i in np.flatnonzero(S == 0):
            problems[i] = Msg("sharing.error.italian_ground_floor")
    elif scheme == "floor_coefficients":
        X, problems = _coefficient_weights(coefficients, payer)
    elif scheme in FLOOR_COST_SCHEMES:
        return _cost_weights(scheme, f, payer, per_floor, fixed, per_storey)
    else:
        raise ValueError(scheme)
    return np.asarray(X).astype(np.int64), problems


def _coefficient_weights(coefficients: list | None, payer: np.ndarray):
    n, floors = payer.shape
    X = np.zeros((n, floors), dtype=object)
    problems: list[Msg | None] = [None] * n
    cache: dict = {}
    for i in range(n):
        coeffs = coefficients[i] if coefficients is not None else None
        if coeffs is None:
            problems[i] = Msg("sharing.error.no_coefficients")
            continue
        key = (coeffs, tuple(payer[i]))
        if key not in cache:
            cache[key] = _scaled_coefficients(coeffs, payer[i])
        X[i], problems[i] = cache[key]
    return X, problems


def _scaled_coefficients(coeffs: tuple, payer: np.ndarray):
    floors = len(payer)
    for f in range(1, floors + 1):
        if payer[f - 1] and f > len(coeffs):
            return np.zeros(floors, dtype=object), Msg("sharing.error.coefficient_missing", floor=f)
        if payer[f - 1] and coeffs[f - 1] < 0:
            return np.zeros(floors, dtype=object), Msg("sharing.error.coefficient_negative")
    k = [Fraction(coeffs[f]) if payer[f] else Fraction(0) for f in range(floors)]
    d = math.lcm(*(x.denominator for x in k))
    return np.array([int(x * d) for x in k], dtype=object), None


def _cost_weights(scheme, f, payer, per_floor, fixed, per_storey):
    n, floors = payer.shape
    problems: list[Msg | None] = [None] * n
    if fixed is None:
        problems = [Msg("sharing.error.needs_floor_costs", scheme=scheme)] * n
        return np.zeros((n, floors), dtype=object), problems
    g = np.gcd(fixed, per_storey)
    g[g == 0] = 1
    fx, v = (fixed // g).astype(object), (per_storey // g).astype(object)
    c = fx[:, None] + v[:, None] * (f - 1)[None, :]  # c_f in units of g, Python ints
    c = np.where(payer, c, 0)
    if scheme == "equal_benefit":
        h = per_floor.astype(object)
        n_payers = h * payer.sum(axis=1)
        total = h * c.sum(axis=1)
        top = c.max(axis=1)
        X = np.where(payer, n_payers[:, None] * c - (total - top)[:, None], 0)
        return X, problems
    eff = payer & (c > 0)
    c = np.where(eff, c, 0)
    if scheme in ("cec", "cp"):
        return _constrained(c, eff, per_floor, proportional=scheme == "cp"), problems
    if scheme == "ceb":
        return _ceb(c, eff, per_floor), problems
    X = np.zeros((n, floors), dtype=object)
    prev = np.zeros(n, dtype=object)
    acc = np.zeros(n, dtype=object)
    if scheme == "sfc":
        for j in range(floors):
            seg = np.where(eff[:, j], c[:, j] - prev, 0)
            X[:, j] = np.where(v > 0, seg, 1) * eff[:, j]
            prev = np.where(eff[:, j], c[:, j], prev)
        return X, problems
    M = _lcm_upto(eff.sum(axis=1))
    remaining = eff[:, ::-1].cumsum(axis=1)[:, ::-1]  # paying floors at or above j
    for j in range(floors):
        seg = np.where(eff[:, j], c[:, j] - prev, 0)
        acc = acc + np.where(eff[:, j], seg * M // np.maximum(remaining[:, j], 1), 0)
        X[:, j] = np.where(eff[:, j], acc, 0)
        prev = np.where(eff[:, j], c[:, j], prev)
    return X, problems


def _constrained(c: np.ndarray, eff: np.ndarray, per_floor: np.ndarray, proportional: bool):
    """CEC (p = 1) and CP (p = c), airport._constrained by floors: from the last block's
    end, λ = min over floors k of (c_k − c_prev) / (h · Σ p over the floors up to k), ties
    to the later floor (within a floor the ratio only falls, so a block ends at a floor's
    last household); the block's households pay λ·p.  Rows × floors, Python integers."""
    n, floors = c.shape
    h = per_floor.astype(object)
    p = np.where(eff, c if proportional else 1, 0).astype(object)
    num_w = np.zeros((n, floors), dtype=object)  # weight = num_w / den_w
    den_w = np.ones((n, floors), dtype=object)
    start = np.zeros(n, dtype=np.int64)  # first floor column not yet in a block
    prev = np.zeros(n, dtype=object)
    done = ~eff.any(axis=1)
    cols = np.arange(floors)
    while not done.all():
        rows = np.flatnonzero(~done)
        best_num = np.zeros(len(rows), dtype=object)
        best_den = np.zeros(len(rows), dtype=object)
        best_k = np.full(len(rows), -1)
        den = np.zeros(len(rows), dtype=object)
        for k in range(floors):
            live = eff[rows, k] & (k >= start[rows])
            den = den + np.where(live, h[rows] * p[rows, k], 0)
            num = c[rows, k] - prev[rows]
            better = live & ((best_k < 0) | (num * best_den <= best_num * den))
            best_num = np.where(better, num, best_num)
            best_den = np.where(better, den, best_den)
            best_k = np.where(better, k, best_k)
        block = (
            eff[rows] & (cols[None, :] >= start[rows, None]) & (cols[None, :] <= best_k[:, None])
        )
        num_w[rows] = np.where(block, best_num[:, None] * p[rows], num_w[rows])
        den_w[rows] = np.where(block, best_den[:, None], den_w[rows])
        prev[rows] = c[rows, best_k]
        start[rows] = best_k + 1
        done[rows] = ~(eff[rows] & (cols[None, :] >= start[rows, None])).any(axis=1)
    common = _LCM.reduce(den_w, axis=1)  # one common denominator per row
    return num_w * (common[:, None] // den_w)


def _ceb(c: np.ndarray, eff: np.ndarray, per_floor: np.ndarray) -> np.ndarray:
    """CEB (airport.ceb, unweighted): x = max(c_f − β, 0), Σ x = c_top.  Floors are dropped
    from the bottom while β = (Σ c − c_top) / (households left) exceeds their cost (a floor
    whose first household is dropped loses them all: β only grows); weights are
    c_f·den − num with β = num/den."""
    n, floors = c.shape
    h = per_floor.astype(object)
    top = c.max(axis=1)
    sum_c = h * c.sum(axis=1)
    sum_w = h * eff.sum(axis=1).astype(object)
    num = np.zeros(n, dtype=object)
    den = np.ones(n, dtype=object)
    open_ = eff.any(axis=1)
    for k in range(floors):
        live = open_ & eff[:, k]
        stop = live & (sum_c - top <= c[:, k] * sum_w)
        num = np.where(stop, sum_c - top, num)
        den = np.where(stop, sum_w, den)
        open_ &= ~stop
        drop = live & ~stop
        sum_c = np.where(drop, sum_c - h * c[:, k], sum_c)
        sum_w = np.where(drop, sum_w - h, sum_w)
    X = c * den[:, None] - num[:, None]
    return np.where(eff & (X > 0), X, 0)


# --- rounding -----------------------------------------------------------------


def split(amount: np.ndarray, X: np.ndarray, per_floor: np.ndarray) -> tuple[Split, np.ndarray]:
    """Round A·X_f/W for every row (largest remainder, `round_to_total`'s tie-break);
    returns the split and a mask of rows whose weights add up to 0."""
    X = _reduce(_narrow(X))
    W = per_floor.astype(X.dtype) * X.sum(axis=1)
    zero = W == 0
    neg = W < 0
    X = np.where(neg[:, None], -X, X)
    W = np.where(zero, 1, np.where(neg, -W, W))
    big = _needs_big(amount, X, W)
    q = np.zeros(X.shape, dtype=np.int64)
    g = np.zeros(X.shape, dtype=np.int64)
    size = _chunk(X.shape[1])
    for mask, dtype in ((~big, np.int64), (big, object)):
        idx = np.flatnonzero(mask)
        for start in range(0, len(idx), size):
            rows = idx[start : start + size]
            qq, gg = _round_rows(
                amount[rows].astype(dtype),
                X[rows].astype(dtype),
                W[rows].astype(dtype),
                per_floor[rows].astype(dtype),
            )
            q[rows], g[rows] = qq.astype(np.int64), gg.astype(np.int64)
    # a floor whose every household got the extra fen: q + 1 with none extra (one form)
    full = g == per_floor[:, None]
    q[full] += 1
    g[full] = 0
    return Split(q, g), zero


def _narrow(X: np.ndarray) -> np.ndarray:
    """int64 when every weight fits comfortably, else Python integers."""
    if X.dtype != object:
        return X.astype(np.int64)
    if X.size == 0 or np.abs(X.astype(float)).max() < _SAFE / 4:
        return X.astype(np.int64)
    return X


def _chunk(floors: int) -> int:
    return max(1, 4_000_000 // (floors * floors))


def _needs_big(A: np.ndarray, X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Rows whose products could leave int64 (checked in floats, with a wide margin)."""
    xmax = np.abs(X.astype(float)).max(axis=1) if X.shape[1] else np.zeros(len(X))
    af = np.abs(np.asarray(A).astype(float))
    return (af * xmax * X.shape[1] >= _SAFE / 4) | (np.abs(W.astype(float)) >= _SAFE / 4)


def _round_rows(A, X, W, h):
    N = A[:, None] * X
    q = N // W[:, None]
    r = N - q * W[:, None]
    k = A - h * q.sum(axis=1)
    floors = X.shape[1]
    # g precedes f in the ranking: larger remainder, then larger amount, then lower floor
    rf, rg = r[:, :, None], r[:, None, :]
    Nf, Ng = N[:, :, None], N[:, None, :]
    lower = np.arange(floors)[None, :] < np.arange(floors)[:, None]  # [f, g]: g < f
    ahead = (rg > rf) | ((rg == rf) & ((Ng > Nf) | ((Ng == Nf) & lower[None])))
    ahead &= (r > 0)[:, None, :]
    before = h[:, None] * ahead.sum(axis=2)
    units = np.minimum(np.maximum(k[:, None] - before, 0), h[:, None])
    g = np.where(r > 0, units, 0)
    return q, g


__all__ = [
    "FLOOR_COST_SCHEMES",
    "Split",
    "VECTOR_SCHEMES",
    "floor_weights",
    "split",
    "subsidy_fen",
    "vector_subsidies",
]
