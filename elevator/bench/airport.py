"""Benchmarks of issue 8 (registered with elevator.bench when it imports this module).

Target: every airport rule for 14 households in under 20 ms in-process; the core
centre (cc) is also reported at its household limit (airport.CC_MAX_HOUSEHOLDS).
"""

from __future__ import annotations

from fractions import Fraction

from elevator.bench.runner import median_time, register
from elevator.core.paths import CHECKOUT
from elevator.core.text import Msg
from elevator.sharing import airport

CASE = CHECKOUT / "cases" / "projects" / "airport-14-flats.yaml"
FOURTEEN = [Fraction(v) for v in [25000] * 4 + [30000] * 4 + [35000] * 4 + [45000] * 2]
AREAS = [Fraction(a) for a in [80, 80, 90, 90] * 3 + [110, 120]]


def bench_rules(quick: bool) -> dict[str, float]:
    """Each rule alone, then all seven (+ the five weighted) together."""
    repeat = 10 if quick else 50
    out = {
        rule: median_time(lambda r=rule: airport.allocate(r, FOURTEEN), repeat)
        for rule in airport.RULES
    }

    def every() -> None:
        for rule, (_, weighted) in airport.RULES.items():
            airport.allocate(rule, FOURTEEN)
            if weighted:
                airport.allocate(rule, FOURTEEN, AREAS)

    out["all_rules_and_weighted"] = median_time(every, repeat)
    return out


def bench_share_and_check(quick: bool) -> dict[str, float]:
    """compute_shares + fairness.check for each rule on the 14-flat case."""
    from elevator.model.io import load_project
    from elevator.sharing.engine import compute_shares
    from elevator.sharing.fairness import check

    project = load_project(CASE)
    return {
        rule: median_time(
            lambda r=rule: check(compute_shares(project, r), project), 10 if quick else 50
        )
        for rule in airport.RULES
    }


def bench_cc_limit(quick: bool) -> float:
    costs = [Fraction(25000 + 5000 * (k % 6)) for k in range(airport.CC_MAX_HOUSEHOLDS)]
    return median_time(lambda: airport.cc(costs), 1 if quick else 3)


register("airport_rules_14", Msg("bench.airport_rules_14"), bench_rules, 0.020)
register(
    "airport_share_check_14",
    Msg("bench.airport_share_check_14"),
    bench_share_and_check,
    0.020,
)
register(
    "airport_cc_limit",
    Msg("bench.airport_cc_limit", households=airport.CC_MAX_HOUSEHOLDS),
    bench_cc_limit,
    2.0,
)
