"""The elevator as an airport problem (Littlechild and Owen, 1973).

Serving floor f costs c_f (non-decreasing with f); the cost of a group of
households is the cost of serving its highest member.  Functions here take the
households' costs in any order and return their payments in the same order,
exactly (Fractions), for any number of households; ties are allowed.

Notation used in every docstring: households sorted by cost c_1 ≤ … ≤ c_n
(c_n is the cost of the whole elevator), X_i = x_1 + … + x_i.  The no-subsidy
set is {x ≥ 0, X_n = c_n, X_k ≤ c_k for every k}: no group pays more than an
elevator serving only that group would cost.  Every rule below picks a point of
it, except weighted CEB (see `ceb`).

References
- Littlechild, S. C. and Owen, G. (1973). A simple expression for the Shapley
  value in a special case. Management Science 20(3), 370–372.
- Thomson, W. (2024). Cost allocation and airport problems. Mathematical Social
  Sciences 131, 17–31 (doi:10.1016/j.mathsocsci.2024.03.007) — surveys every
  rule here.
- Dutta, B. and Ray, D. (1989). A concept of egalitarianism under participation
  constraints. Econometrica 57(3), 615–635 (CEC is their egalitarian solution).
- Bernárdez Ferradás, A. et al. (2025). AirportProblems: Analysis of Cost
  Allocation for Airport Problems, R package 0.1.0 (CRAN) — the weighted
  definitions (`weightedrule`, `clonesrule` documentation) and the elevator
  example (`elevator` data set).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import permutations

from elevator.core.text import Msg

# Core centre: exact nested integration costs O(n²) Fraction
# operations with numerators that grow with n (about 1 s at 150); past
# this many households it is refused rather than left to run for minutes.
CC_MAX_HOUSEHOLDS = 150
# Slack maximizer: O(n²) exact operations (about 0.4 s at 400 households, 1.6 s at
# 1,000); a stairwell has far fewer, so past this it is refused, not left to run.
SM_MAX_HOUSEHOLDS = 400


class RuleNotApplicable(ValueError):
    """The rule has no definition for this input (e.g. no weighted version)."""

    def __init__(self, message: Msg):
        self.message = message
        super().__init__(str(message))

    @property
    def zh(self) -> str:
        return self.message.zh

    @property
    def en(self) -> str:
        return self.message.en


Costs = Sequence[Fraction]
Weights = Sequence[Fraction] | None


def _prepare(costs: Costs, weights: Weights) -> tuple[list[int], list[Fraction], list[Fraction]]:
    """Indices of the households with a positive cost, sorted by cost, with their
    costs and weights.  A household whose cost is 0 pays 0 under every rule
    (no-subsidy: 0 ≤ x_i ≤ c_i), so it is left out of the computation."""
    n = len(costs)
    if weights is not None:
        if len(weights) != n:
            raise ValueError("costs and weights differ in length")
        if any(Fraction(w) <= 0 for w in weights):
            raise ValueError("weights must be positive")
    if any(Fraction(c) < 0 for c in costs):
        raise ValueError("costs must not be negative")
    order = sorted((i for i in range(n) if costs[i] != 0), key=lambda i: Fraction(costs[i]))
    c = [Fraction(costs[i]) for i in order]
    w = [Fraction(weights[i]) if weights is not None else Fraction(1) for i in order]
    return order, c, w


def _unsort(n: int, order: list[int], x: list[Fraction]) -> list[Fraction]:
    out = [Fraction(0)] * n
    for i, v in zip(order, x):
        out[i] = v
    return out


def _levels(c: list[Fraction]) -> list[tuple[int, int]]:
    """[start, end) index ranges of the households at each distinct cost."""
    out, start = [], 0
    for k in range(1, len(c) + 1):
        if k == len(c) or c[k] != c[start]:
            out.append((start, k))
            start = k
    return out


# --- the rules --------------------------------------------------------------


def sfc(costs: Costs, weights: Weights = None) -> list[Fraction]:
    """Sequential full contributions (SFC).

    With distinct cost levels d_1 < … < d_m and η_j households at level j, each
    household at level j pays (d_j − d_{j−1}) / η_j (d_0 = 0): the households
    who need a segment and nobody below pay for it in full.
    Weighted (AirportProblems `weightedrule(c, w, "SFC")`): the segment is split
    among the households of its level in proportion to their weights,
    x_i = (d_j − d_{j−1}) · w_i / Σ_{level j} w.
    Thomson (2024) §3; not monotone: a cheap segment above an expensive one
    makes the higher floor pay less.
    """
    order, c, w = _prepare(costs, weights)
    x = [Fraction(0)] * len(c)
    prev = Fraction(0)
    for start, end in _levels(c):
        segment, total_w = c[start] - prev, sum(w[start:end], Fraction(0))
        for k in range(start, end):
            x[k] = segment * w[k] / total_w
        prev = c[start]
    return _unsort(len(costs), order, x)


def sec(costs: Costs, weights: Weights = None) -> list[Fraction]:
    """Sequential equal contributions (SEC) = the Shapley value of the cost game.

    x_1 = c_1 / n, x_i = x_{i−1} + (c_i − c_{i−1}) / (n − i + 1): every segment
    (c_i − c_{i−1}) is split equally among the households who need it
    (Littlechild and Owen, 1973; Thomson, 2024 §3).
    Weighted (AirportProblems `weightedrule(c, w, "SEC")`): every segment is
    split among the households who need it in proportion to their weights,
    x_i = w_i · Σ_{j ≤ i} (c_j − c_{j−1}) / (w_j + … + w_n).
    """
    order, c, w = _prepare(costs, weights)
    n = len(c)
    x = [Fraction(0)] * n
    rate, prev = Fraction(0), Fraction(0)
    tail = [Fraction(0)] * (n + 1)  # tail[k] = w_k + … + w_n
    for k in range(n - 1, -1, -1):
        tail[k] = tail[k + 1] + w[k]
    for start, end in _levels(c):
        rate += (c[start] - prev) / tail[start]
        prev = c[start]
        for k in range(start, end):
            x[k] = rate * w[k]
    return _unsort(len(costs), order, x)


def shapley(costs: Costs) -> list[Fraction]:
    """Shapley value of c(S) = max_{i in S} c_i (= sequential equal contributions).

    Each cost segment (d_j - d_{j-1}) is split equally among the players whose
    cost reaches it: x_i = sum over segments up to c_i of segment / (players at
    or above it).
    """
    return sec(costs)


def shapley_brute_force(costs: Costs) -> list[Fraction]:
    """Average marginal cost over every ordering: the definition, for tests only."""
    n = len(costs)
    total = [Fraction(0)] * n
    count = 0
    for perm in permutations(range(n)):
        level = Fraction(0)
        for i in perm:
            c = Fraction(costs[i])
            total[i] += max(c - level, 0)
            level = max(level, c)
        count += 1
    return [t / count for t in total]


def equal_benefit(costs: Costs) -> list[Fraction]:
    """Stand-alone cost minus an equal share of the savings (may be negative)."""
    n = len(costs)
    stand_alone = [Fraction(c) for c in costs]
    savings = sum(stand_alone, Fraction(0)) - max(stand_alone)
    return [c - savings / n for c in stand_alone]


def _constrained(c: list[Fraction], p: list[Fraction]) -> list[Fraction]:
    """Pay in proportion to p as far as the no-subsidy conditions allow.

    From J = 0: λ = min over r > J of (c_r − X_J) / (p_{J+1} + … + p_r); the
    households J+1 … r* (r* the last r attaining the minimum) pay λ·p_j; then
    X_{r*} = c_{r*}, J = r*, and again until everybody is served.
    """
    n = len(c)
    x = [Fraction(0)] * n
    J, X = 0, Fraction(0)
    while J < n:
        best: Fraction | None = None
        r_best, P = J, Fraction(0)
        for r in range(J, n):
            P += p[r]
            ratio = (c[r] - X) / P
            if best is None or ratio <= best:
                best, r_best = ratio, r
        assert best is not None
        for j in range(J, r_best + 1):
            x[j] = best * p[j]
        X, J = c[r_best], r_best + 1
    return x


def cec(costs: Costs, weights: Weights = None) -> list[Fraction]:
    """Constrained equal contributions (CEC), Dutta and Ray's egalitarian solution.

    x_i = min over r ≥ i of (c_r − X_{i−1}) / (r − i + 1): everybody pays the same
    until a group would pay more than its own elevator; that group pays exactly
    its elevator and the rest continue with the remaining cost
    (Dutta and Ray, 1989; Thomson, 2024 §3).
    Weighted (AirportProblems `weightedrule(c, w, "CEC")`): the same with
    payments proportional to weights, λ = min over r > J of
    (c_r − X_J) / (w_{J+1} + … + w_r), x_j = λ · w_j.
    """
    order, c, w = _prepare(costs, weights)
    return _unsort(len(costs), order, _constrained(c, w))


def cp(costs: Costs, weights: Weights = None) -> list[Fraction]:
    """Constrained proportional (CP): proportional to the costs as far as the
    no-subsidy conditions allow.

    Repeatedly λ = min over r > J of (c_r − X_J) / (c_{J+1} + … + c_r); x_j = λ·c_j
    up to the last r attaining it; J = r; continue (Thomson, 2024 §3).
    Weighted (AirportProblems `weightedrule(c, w, "CP")`): proportional to
    w_j·c_j instead of c_j.
    """
    order, c, w = _prepare(costs, weights)
    return _unsort(len(costs), order, _constrained(c, [a * b for a, b in zip(w, c)]))


def ceb(costs: Costs, weights: Weights = None) -> list[Fraction]:
    """Constrained equal benefits (CEB) = the modified nucleolus.

    x_i = max(c_i − β, 0) with β such that Σx = c_n: every household saves the
    same amount β against building alone, but nobody is paid to join
    (Thomson, 2024 §3; Potters and Sudhölter, 1999).
    Weighted: x_i = max(c_i − β·w_i, 0), Σx = c_n.  The AirportProblems
    documentation names a weighted CEB and says that, unlike every other
    weighted rule, a larger weight makes a household pay *less* (it receives a
    larger share of the benefit), but it states no formula; the formula here is
    read from the start of its source (`wCEBrule`: the benefit Σ_{i<n} c_i is
    shared in proportion to weights among those not yet at 0).  Unlike the
    unweighted rule it can break the no-subsidy conditions, e.g. costs
    (10, 10, 10.5) with weights (1, 1, 1000) give (5.25, 5.25, 0).
    """
    order, c, w = _prepare(costs, weights)
    n = len(c)
    if n == 0:
        return [Fraction(0)] * len(costs)
    top = c[-1]
    # f(β) = Σ max(c_i − β w_i, 0) falls with β; drop households in the order
    # in which they reach 0 (c_i / w_i) until the β that closes the sum fits.
    by_ratio = sorted(range(n), key=lambda k: c[k] / w[k])
    sum_c, sum_w = sum(c, Fraction(0)), sum(w, Fraction(0))
    beta = Fraction(0)
    for pos, k in enumerate(by_ratio):
        beta = (sum_c - top) / sum_w
        if beta <= c[k] / w[k]:
            break
        sum_c -= c[k]
        sum_w -= w[k]
    x = [max(c[k] - beta * w[k], Fraction(0)) for k in range(n)]
    return _unsort(len(costs), order, x)


def sm(costs: Costs, max_households: int = SM_MAX_HOUSEHOLDS) -> list[Fraction]:
    """Slack maximizer (SM) = the nucleolus of the airport game (Littlechild, 1974).

    x_i = min over i ≤ r ≤ n − 1 of (c_r − X_{i−1}) / (r − i + 2) for i < n, and
    x_n = c_n − X_{n−1} (Thomson, 2024 §3; AirportProblems `SMrule`).
    No weighted version is defined in the AirportProblems documentation or in
    Thomson (2024), so none is offered.  O(n²): refused (RuleNotApplicable) past
    `max_households` households with a positive cost.
    """
    order, c, _ = _prepare(costs, None)
    n = len(c)
    if n > max_households:
        raise RuleNotApplicable(
            Msg("sharing.error.sm_too_many", limit=max_households, households=n)
        )
    x = [Fraction(0)] * n
    X = Fraction(0)
    for i in range(n - 1):
        x[i] = min((c[r] - X) / (r - i + 2) for r in range(i, n - 1))
        X += x[i]
    if n:
        x[n - 1] = c[n - 1] - X
    return _unsort(len(costs), order, x)


# --- core centre ------------------------------------------------------------

Poly = list[Fraction]  # coefficients, constant first


def _peval(p: Poly, s: Fraction) -> Fraction:
    v = Fraction(0)
    for a in reversed(p):
        v = v * s + a
    return v


def _integrate_from(p: Poly, upper: Fraction) -> Poly:
    """q(s) = ∫_s^upper p(y) dy, as a polynomial in s."""
    P = [Fraction(0)] + [a / (k + 1) for k, a in enumerate(p)]
    top = _peval(P, upper)
    return [top] + [-a for a in P[1:]]


def cc(costs: Costs, max_households: int = CC_MAX_HOUSEHOLDS) -> list[Fraction]:
    """Core centre (CC): the centroid of the no-subsidy set
    {x ≥ 0, Σx = c_n, X_k ≤ c_k for all k} (González-Díaz, Mirás Calvo,
    Quinteiro Sandomingo and Sánchez-Rodríguez, 2016, "Airport games: the core
    and its center", Mathematical Social Sciences 82; Thomson, 2024 §3).

    Computed exactly.  With y_k = X_k the set becomes 0 ≤ y_1 ≤ … ≤ y_{n−1} ≤ c_n
    with y_k ≤ c_k (a change of variables with determinant 1, so centroids
    correspond).  Because the costs are sorted, y_{k−1} ≤ c_{k−1} ≤ c_k and the
    limits nest without a minimum: integrating y_{n−1} from y_{n−2} to c_{n−1},
    then y_{n−2} from y_{n−3} to c_{n−2}, …, y_1 from 0 to c_1 keeps one
    polynomial at every step.  V is that integral of 1, M_k the same with the
    factor y_k; E[y_k] = M_k / V and x_k = E[y_k] − E[y_{k−1}],
    x_n = c_n − E[y_{n−1}].  O(n²) exact operations (the outer integrals are
    tabulated on monomials once); refused
    (RuleNotApplicable) past `max_households` households with a positive cost.
    No weighted version is defined in the AirportProblems documentation or in
    Thomson (2024).
    """
    order, c, _ = _prepare(costs, None)
    n = len(c)
    if n > max_households:
        raise RuleNotApplicable(
            Msg("sharing.error.cc_too_many", limit=max_households, households=n)
        )
    if n <= 1:
        return _unsort(len(costs), order, list(c))
    # The centroid scales with the costs: work on the smallest whole numbers with the
    # same ratios (e.g. 25,000 / 30,000 → 5 / 6) to keep the Fractions short.
    unit = Fraction(math.gcd(*(v.numerator for v in c)), math.lcm(*(v.denominator for v in c)))
    c = [v / unit for v in c]
    m = n - 1  # free variables y_1 … y_m (0-based index j ↔ y_{j+1})
    # suffix[j]: the integrand as a polynomial in y_{j+1} once y_{j+2} … y_m are
    # integrated out; it does not depend on which moment is being taken.
    suffix: list[Poly] = [[] for _ in range(m)]
    suffix[m - 1] = [Fraction(1)]
    for j in range(m - 1, 0, -1):
        suffix[j - 1] = _integrate_from(suffix[j], c[j])

    # The outer integrals (y_k from y_{k−1} to c_k, …, y_1 from 0 to c_1) are a linear
    # functional L_k of the integrand; on monomials, L_k(s^d) = ℓ_k[d] with
    # ℓ_0[d] = [d = 0] and ℓ_k[d] = (c_k^{d+1} ℓ_{k−1}[0] − ℓ_{k−1}[d+1]) / (d + 1).
    ell: list[list[Fraction]] = [[Fraction(1)] + [Fraction(0)] * (m + 1)]
    for k in range(1, m + 1):
        prev, ck, power = ell[-1], c[k - 1], c[k - 1]
        row = []
        for d in range(m - k + 2):
            row.append((power * prev[0] - prev[d + 1]) / (d + 1))
            power *= ck
        ell.append(row)
    volume = sum((a * ell[1][d] for d, a in enumerate(suffix[0])), Fraction(0))
    means = [
        sum((a * ell[j + 1][d + 1] for d, a in enumerate(suffix[j])), Fraction(0)) / volume
        for j in range(m)
    ]
    x = [means[0]] + [means[k] - means[k - 1] for k in range(1, m)] + [c[-1] - means[-1]]
    return _unsort(len(costs), order, [v * unit for v in x])


# --- registry -----------------------------------------------------------------

# name → (rule(costs, weights), has a weighted version)
RULES: dict[str, tuple[Callable[..., list[Fraction]], bool]] = {
    "sfc": (sfc, True),
    "sec": (sec, True),
    "cec": (cec, True),
    "ceb": (ceb, True),
    "cp": (cp, True),
    "sm": (lambda c, w=None: sm(c), False),
    "cc": (lambda c, w=None: cc(c), False),
}


def allocate(rule: str, costs: Costs, weights: Weights = None) -> list[Fraction]:
    """Run a rule by name; weights=None for the per-household version."""
    fn, weighted = RULES[rule]
    if weights is not None and not weighted:
        raise RuleNotApplicable(Msg("sharing.error.rule_not_weighted", rule=rule))
    return fn(costs, weights) if weights is not None else fn(costs)
