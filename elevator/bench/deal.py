"""Benchmarks of issue 16 (registered with elevator.bench when it imports this module).

Target: the deal finder answers on the mediator's page in under 2 s — the sample with
nine private limits (no deal: the least extra, the binding limit, the split once the extra
is added) and a 7-storey, 14-household stairwell with a limit for every payer.
"""

from __future__ import annotations

from fractions import Fraction

from elevator.bench.runner import SAMPLE, median_time, register, seven_storey_project
from elevator.core.paths import CHECKOUT
from elevator.core.text import Msg

SHORT = CHECKOUT / "cases" / "limits" / "xingfa-short.yaml"


def bench_deal(quick: bool) -> dict[str, float]:
    from elevator.model.io import load_project
    from elevator.plan.deal import find_deal, load_limits

    sample = load_project(SAMPLE)
    limits = load_limits(str(SHORT), sample)
    seven = seven_storey_project()
    every = {
        h.id: Fraction(20000 + 6000 * h.floor) for h in seven.building.households if h.floor > 1
    }
    repeat = 1 if quick else 5
    return {
        "sample_9_limits": median_time(lambda: find_deal(sample, limits), repeat),
        "seven_storey_12_limits": median_time(lambda: find_deal(seven, every), repeat),
    }


register("deal_finder", Msg("bench.deal_finder"), bench_deal, 2.0)
