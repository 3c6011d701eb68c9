"""A synthetic portfolio (`elevator district --sample N`): invented stairwells for trying
the simulator, never evidence about any real district.

Assumptions (illustrative [U] unless a source is named):
- storeys: 4, 5, 6, 7 with probabilities 10 %, 20 %, 45 %, 25 % (walk-ups of four storeys
  or more: the eligibility rule's threshold, policy-facts.md §7 [W]; the mix is invented);
- flats per floor: 2, 3, 4 with probabilities 70 %, 20 %, 10 %;
- area of each flat: uniform between 50 and 100 m², two decimals;
- cost of the elevator: uniform between the national policy file's typical low and high
  (`typical_costs.elevator_low/high`, 500,000–700,000 yuan, policy-facts.md §6 [W]),
  whole hundreds of yuan; a height-dependent part of 3–6 % of the cost per storey above
  the ground (c_f = F + v·(f − 1), for the airport rules), the rest fixed;
- policy: xingshan, shanghai, hangzhou, wuhan, national in equal parts (each row's
  own; `--policy` overrides it); date empty (today); scheme empty (the policy's default);
- ground floor joins the sharing in 10 % of stairwells;
- site facts: every contract fact given, mostly passing; 15 % of stairwells have pipelines
  in the footprint, 10 % a fire lane narrowed to 3.5 m, 3 % a structure rated C, 5 %
  no structure rating (incomplete: the rating is a required fact), 5 % a half-landing
  entry.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

POLICIES = ("xingshan", "shanghai", "hangzhou", "wuhan", "national")
YES, NO, NONE = "yes", "no", "none"


def _cost_range(date: dt.date) -> tuple[int, int]:
    from elevator.policy.parameters import load_policy  # noqa: PLC0415

    costs = load_policy("national").typical_costs
    return int(costs["elevator_low"].at(date)), int(costs["elevator_high"].at(date))


def sample_portfolio(n: int, seed: int = 15, site: bool = True) -> pd.DataFrame:
    """n stairwells as a raw portfolio (the columns a user's file would have)."""
    rng = np.random.default_rng(seed)
    low, high = _cost_range(dt.date.today())
    floors = rng.choice([4, 5, 6, 7], size=n, p=[0.10, 0.20, 0.45, 0.25])
    per_floor = rng.choice([2, 3, 4], size=n, p=[0.70, 0.20, 0.10])
    area = rng.integers(5000, 10001, size=n) / 100
    cost = rng.integers(low // 100, high // 100 + 1, size=n) * 100
    per_storey = (cost * rng.uniform(0.03, 0.06, size=n) / 100).round() * 100
    fixed = cost - per_storey * (floors - 1)
    frame = pd.DataFrame(
        {
            "id": [f"S{i + 1:07d}" for i in range(n)],
            "community": [f"C{i // 40 + 1:05d}" for i in range(n)],
            "district": [f"D{i // 4000 + 1:03d}" for i in range(n)],
            "floors": floors,
            "households_per_floor": per_floor,
            "area_m2": [f"{a:.2f}" for a in area],
            "cost_yuan": cost.astype(np.int64).astype(str),
            "cost_fixed_yuan": fixed.astype(np.int64).astype(str),
            "cost_per_floor_yuan": per_storey.astype(np.int64).astype(str),
            "policy": rng.choice(POLICIES, size=n),
            "ground_floor_participates": np.where(rng.random(n) < 0.10, YES, NO),
        }
    )
    if site:
        frame = pd.concat([frame, _site(rng, n)], axis=1)
    return frame


def _site(rng: np.random.Generator, n: int) -> pd.DataFrame:
    def some(p: float, rare, usual):
        return np.where(rng.random(n) < p, rare, usual)

    rating = some(0.03, "C", "B").astype(object)
    rating[rng.random(n) < 0.05] = ""
    return pd.DataFrame(
        {
            "year_built": rng.integers(1985, 2000, size=n),
            "structure_rating": rating,
            "inside_red_line": YES,
            "demolition_planned_within_5y": NO,
            "spacing_to_nearest_building_m": some(0.05, 5.0, 9.0),
            "fire_lane_width_after_m": some(0.10, 3.5, 4.5),
            "fire_lane_headroom_after_m": 5.0,
            "min_stair_width_m": 1.1,
            "min_exit_door_width_m": 0.9,
            "shaft_blocks_exit": NO,
            "pipelines_in_footprint": some(0.15, "gas;water", NONE),
            "barrier_free_route": YES,
            "rated_load_kg": 450,
            "car_door_width_m": 0.8,
            "entry": some(0.05, "half_landing", "flat"),
        }
    )
