"""Benchmarks of the printed documents (registered with elevator.bench).

- one stairwell: `elevator print SAMPLE -o F.pdf` as a child process, start-up included;
- a community: every stairwell of the 27-building 兴发小区 case (50 stairwells) printed
  to its own PDF by one child process, start-up included.  The community file has no
  households, so each stairwell gets the sample's layout (rooms per floor, areas,
  funding, schedule) at its own height and count: benchmark data, not a document.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from elevator.bench.runner import ROOT, SAMPLE, median_time, register
from elevator.core.text import Msg

COMMUNITY = ROOT / "cases" / "communities" / "xingfa" / "community.yaml"


def community_projects():
    import yaml

    from elevator.model.io import parse_project
    from elevator.plan.community import load_community

    info, stairwells = load_community(COMMUNITY)
    base = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    out = []
    for s in stairwells:
        floors = s.floors or 6
        per_floor = max(1, (s.households or 2 * floors) // floors)
        data = dict(base)
        data["name"] = f"{info['name']} {s.key}"
        data["building"] = {
            "name": s.building,
            "floors": floors,
            "households": [
                {"id": f"{f}{u:02d}", "floor": f, "area_m2": 60 + 7 * u}
                for f in range(1, floors + 1)
                for u in range(1, per_floor + 1)
            ],
        }
        data["sharing"] = {"scheme": "floors_travelled"}
        if s.costs is not None:
            data["costs"] = s.costs.model_dump(mode="json", exclude_none=True)
        out.append(parse_project(data))
    return out


def write_community(directory: str) -> int:
    """Print every stairwell's cost table into `directory`; returns how many."""
    from elevator.documents.pdf import cost_table_pdf
    from elevator.sharing.engine import compute_shares

    projects = community_projects()
    for i, project in enumerate(projects):
        data = cost_table_pdf(project, compute_shares(project), "zh")
        (Path(directory) / f"{i:03d}.pdf").write_bytes(data)
    return len(projects)


def bench_print_one(quick: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "elevator", "print", str(SAMPLE), "-o", f"{tmp}/t.pdf"]
        subprocess.run(cmd, check=True, capture_output=True)  # warm the font cache
        return median_time(
            lambda: subprocess.run(cmd, check=True, capture_output=True), 3 if quick else 7
        )


def bench_print_community(quick: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        code = f"from elevator.bench.printing import write_community; write_community({tmp!r})"
        cmd = [sys.executable, "-c", code]
        return median_time(
            lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT),
            1 if quick else 3,
        )


register("print_one_stairwell", Msg("bench.print_one_stairwell"), bench_print_one, 1.5)
register("print_community_27", Msg("bench.print_community_27"), bench_print_community, 30.0)
