"""Benchmark: checking a city district of 10,000 stairwells (target < 5 s).

Measured end to end on a CSV sheet (reading, validating every row's site facts,
evaluating the rules, subsidies under the policy, summary), and for the rule engine
alone on prepared facts.  Imported by elevator.bench through EXTRA_MODULES.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from elevator.bench import runner as bench
from elevator.core.text import Msg

# the words a real sheet holds (the parser reads them): yes, no, none; building and unit
YES, NO, NONE = "是", "否", "无"  # zh-ok: sheet vocabulary
BUILDING, UNIT = "{}栋", "{}单元"  # zh-ok: sheet vocabulary

BASE = {
    "year_built": 1996,
    "structure_rating": "B",
    "inside_red_line": YES,
    "demolition_planned_within_5y": NO,
    "spacing_to_nearest_building_m": 8.0,
    "fire_lane_width_after_m": 4.5,
    "fire_lane_headroom_after_m": 5.0,
    "min_stair_width_m": 1.1,
    "min_exit_door_width_m": 0.9,
    "shaft_blocks_exit": NO,
    "pipelines_in_footprint": NONE,
    "barrier_free_route": YES,
    "rated_load_kg": 450,
    "car_door_width_m": 0.8,
    "entry": "half_landing",
}


def district_sheet(path: Path, n: int = 10_000, seed: int = 7) -> Path:
    """A synthetic district: varied storeys, pipelines, fire lanes, some missing facts."""
    rng = random.Random(seed)
    columns = [
        "building",
        "unit",
        "floors",
        "households",
        "policy",
        "cost_fixed",
        "cost_per_floor",
        *BASE,
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for i in range(n):
            row = dict(BASE)
            floors = rng.choice([4, 5, 6, 7])
            row["pipelines_in_footprint"] = rng.choice([NONE, NONE, "gas", "water;drainage", NONE])
            row["fire_lane_width_after_m"] = rng.choice([4.5, 4.5, 4.5, 3.5])
            if rng.random() < 0.05:
                row["structure_rating"] = ""
            w.writerow(
                [
                    BUILDING.format(i // 2 + 1),
                    UNIT.format(i % 2 + 1),
                    floors,
                    floors * 2,
                    rng.choice(["xingshan", "shanghai", "national"]),
                    380000,
                    30000,
                    *row.values(),
                ]
            )
    return path


def bench_district(quick: bool) -> float:
    from elevator.documents.community import community_text
    from elevator.plan.community import check_community

    n = 2_000 if quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        sheet = district_sheet(Path(tmp) / "district.csv", n)
        start = time.perf_counter()
        community_text(check_community(sheet))
        return (time.perf_counter() - start) * (10_000 / n)


def bench_engine(quick: bool) -> float:
    from elevator.feasibility.checklist import compile_rules, evaluate_facts
    from elevator.model.site import Site

    facts = Site.model_validate(
        {
            **BASE,
            "inside_red_line": True,
            "shaft_blocks_exit": False,
            "demolition_planned_within_5y": False,
            "barrier_free_route": True,
            "pipelines_in_footprint": ["gas"],
        }
    ).facts()
    facts["storeys"] = 6
    rules = compile_rules("xingshan", dt.date.today())
    n = 2_000 if quick else 10_000
    start = time.perf_counter()
    for _ in range(n):
        evaluate_facts(facts, rules)
    return (time.perf_counter() - start) * (10_000 / n)


bench.register("check_district_10000", Msg("bench.check_district_10000"), bench_district, 5.0)
bench.register("check_engine_10000", Msg("bench.check_engine_10000"), bench_engine, 5.0)
