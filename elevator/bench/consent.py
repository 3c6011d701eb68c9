"""Benchmarks of consent evaluation (issue 13: the "what is missing" search was exponential
— 60 households 2 s, 120: 15 s, 240: > 280 s; issue 14: polynomial and exact).

A stairwell-sized vote that fails, so the smallest change is searched: 40 % agree, 20 %
oppose, 20 % abstain, 20 % have not decided, areas from 50 to 120 m² in 0.01 m², every
the first four units held by two owners of two units each; the Civil Code with Shanghai's
rule added.  `many_owners_240` gives every two units one owner, `one_owner_240` all units
one owner: the search over owners of several units is bounded (search.MAX_CHECKS,
MAX_OPTIONS) and must then answer at once, honestly ("not computed"), not run for minutes.
"""

from __future__ import annotations

import random

from elevator.bench.runner import median_time, register
from elevator.core.text import Msg

SIZES = (60, 120, 240)
DECISIONS = ["agree", "agree", "oppose", "abstain", "none"]


def vote(n: int, seed: int = 14, pairs: int = 2):
    """A project of `n` households and its decisions (deterministic)."""
    from elevator.model.io import parse_project

    rng = random.Random(seed)
    per_floor = -(-n // 40)
    households = []
    for i in range(n):
        h = {
            "id": f"U{i + 1}",
            "floor": 1 + i // per_floor,
            "area_m2": rng.randint(5000, 12000) / 100,
        }
        if i < 2 * pairs:  # owners of two units
            h["owner"] = f"O{i // 2}"
        households.append(h)
    decisions = [{"household": h["id"], "decision": rng.choice(DECISIONS)} for h in households]
    return parse_project(
        {
            "name": "bench",
            "date": "2022-06-01",
            "building": {"floors": 1 + (n - 1) // per_floor, "households": households},
            "costs": {"total": 500000},
            "consent": {"rule": "shanghai", "decisions": decisions},
        }
    )


def bench_consent(quick: bool) -> dict[str, float]:
    from elevator.consent.evaluation import evaluate

    out = {}
    for n in SIZES:
        project = vote(n)
        out[str(n)] = median_time(lambda p=project: evaluate(p, None), 1 if quick else 3)
    many = vote(240, pairs=120)
    out["many_owners_240"] = median_time(lambda: evaluate(many, None), 1 if quick else 3)
    p = vote(240)  # one owner of every unit (an employer's flats)
    units = [h.model_copy(update={"owner": "E"}) for h in p.building.households]
    one = p.model_copy(update={"building": p.building.model_copy(update={"households": units})})
    out["one_owner_240"] = median_time(lambda: evaluate(one, None), 1 if quick else 3)
    return out


register("consent_smallest_change", Msg("bench.consent_240"), bench_consent, 1.0)
