"""The elevator as an airport problem (Littlechild and Owen, 1973).

Serving floor f costs c_f (non-decreasing with f); the cost of a group of
households is the cost of serving its highest member.  Functions here take the
households' costs in any order and return their payments in the same order,
exactly (Fractions).
"""
from __future__ import annotations

from fractions import Fraction
from itertools import permutations
from typing import Sequence


def shapley(costs: Sequence[Fraction]) -> list[Fraction]:
    """Shapley value of c(S) = max_{i in S} c_i (= sequential equal contributions).

    Each cost segment (d_j - d_{j-1}) is split equally among the players whose
    cost reaches it: x_i = sum over segments up to c_i of segment / (players at
    or above it).
    """
    n = len(costs)
    order = sorted(range(n), key=lambda i: costs[i])
    out = [Fraction(0)] * n
    paid = Fraction(0)          # running payment of the current level
    prev = Fraction(0)
    for rank, i in enumerate(order):
        c = Fraction(costs[i])
        if c != prev:
            paid += (c - prev) / (n - rank)
            prev = c
        out[i] = paid
    return out


def shapley_brute_force(costs: Sequence[Fraction]) -> list[Fraction]:
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


def equal_benefit(costs: Sequence[Fraction]) -> list[Fraction]:
    """Stand-alone cost minus an equal share of the savings (may be negative)."""
    n = len(costs)
    stand_alone = [Fraction(c) for c in costs]
    savings = sum(stand_alone, Fraction(0)) - max(stand_alone)
    return [c - savings / n for c in stand_alone]
