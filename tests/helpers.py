"""Small builders for test projects (plain data, validated by the real loader)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from elevator.io import parse_project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "cases" / "projects" / "xingshan-xingfa-3-1.yaml"


def stairwell(floors: int = 6, per_floor_units: int = 2, areas: tuple = (72.5, 65.0),
              **sections: Any) -> dict[str, Any]:
    households = [{"id": f"{f}0{u + 1}", "floor": f, "area_m2": areas[u % len(areas)]}
                  for f in range(1, floors + 1) for u in range(per_floor_units)]
    data: dict[str, Any] = {"name": "test", "building": {"floors": floors, "households": households},
                            "costs": {"fixed": 380000, "per_floor": 30000}}
    data.update(sections)
    return data


def project(**kw: Any):
    return parse_project(stairwell(**kw))
