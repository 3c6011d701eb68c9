"""Small builders for test projects (plain data, validated by the real loader)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from elevator.model.io import parse_project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "cases" / "projects" / "xingshan-xingfa-3-1.yaml"


def stairwell(
    floors: int = 6, per_floor_units: int = 2, areas: tuple = (72.5, 65.0), **sections: Any
) -> dict[str, Any]:
    households = [
        {"id": f"{f}0{u + 1}", "floor": f, "area_m2": areas[u % len(areas)]}
        for f in range(1, floors + 1)
        for u in range(per_floor_units)
    ]
    data: dict[str, Any] = {
        "name": "test",
        "building": {"floors": floors, "households": households},
        "costs": {"fixed": 380000, "per_floor": 30000},
    }
    data.update(sections)
    return data


def project(**kw: Any):
    return parse_project(stairwell(**kw))


# every contract site fact of the feasibility issue, all within the national thresholds
CONTRACT_SITE = {
    "year_built": 1995,
    "structure_rating": "B",
    "inside_red_line": True,
    "demolition_planned_within_5y": False,
    "spacing_to_nearest_building_m": 7.5,
    "fire_lane_width_after_m": 4.5,
    "fire_lane_headroom_after_m": 5.0,
    "min_stair_width_m": 1.1,
    "min_exit_door_width_m": 0.9,
    "shaft_blocks_exit": False,
    "pipelines_in_footprint": [],
    "barrier_free_route": True,
    "rated_load_kg": 450,
    "car_door_width_m": 0.8,
    "entry": "half_landing",
}


def three_floors(**over):
    """Floors 1–3, one household each (areas 50/60/40), fixed 100 + 30 per floor = 160."""
    data = {
        "name": "t",
        "building": {
            "floors": 3,
            "households": [
                {"id": "1", "floor": 1, "area_m2": 50},
                {"id": "2", "floor": 2, "area_m2": 60},
                {"id": "3", "floor": 3, "area_m2": 40},
            ],
        },
        "costs": {"fixed": 100, "per_floor": 30},
    }
    for key, value in over.items():
        data[key] = value
    return parse_project(data)
