"""Whole communities: the 兴发小区 case end to end, folders, community files, CSV/XLSX sheets."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from elevator.cli import main
from elevator.core.errors import ProjectError
from elevator.documents.community import sheet_template
from elevator.plan.community import check_community, load_community

from .helpers import CONTRACT_SITE

ROOT = Path(__file__).resolve().parents[1]
XINGFA = ROOT / "cases" / "communities" / "xingfa" / "community.yaml"
SAMPLE = ROOT / "cases" / "projects" / "xingshan-xingfa-3-1.yaml"
GOOD = CONTRACT_SITE
SHEET_HEADER = ["楼栋 building", "unit", "floors", "households", "policy", "cost_total", *GOOD]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "elevator", "check", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_xingfa_end_to_end_via_cli():
    run = run_cli(str(XINGFA), "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    totals = data["totals"]
    # the seed's totals: 27 buildings, 50 elevators, 1000 households
    assert data["expected"] == {"buildings": 27, "elevators": 50, "households": 1000}
    assert (totals["buildings"], totals["stairwells"], totals["households"]) == (27, 50, 1000)
    assert data["illustrative"] is True and "示例" in data["note"]
    counts = data["counts"]
    assert sum(counts.values()) == 50
    # every one of the 50 got an elevator: nothing infeasible or incomplete
    assert counts["infeasible"] == counts["incomplete"] == 0
    assert counts["feasible"] > 0 and counts["conditional"] > 0
    # Xingshan: 100,000 per elevator, so the subsidy follows the counts exactly
    assert Fraction(totals["subsidy_feasible"]) == 100000 * counts["feasible"]
    assert Fraction(totals["subsidy_conditional"]) == 100000 * counts["conditional"]
    rows = data["stairwells"]
    assert Fraction(totals["condition_cost"]) == sum(
        Fraction(r["condition_cost"]) for r in rows if r["verdict"] == "conditional"
    )
    gas = next(r for r in rows if r["building"] == "2栋" and r["unit"] == "1单元")
    assert gas["verdict"] == "conditional" and gas["conditions"] == ["pipelines.gas"]
    assert all(r["stage"] == "completion_acceptance" for r in rows)


def test_xingfa_table_labels_illustrative_data():
    run = run_cli(str(XINGFA))
    assert run.returncode == 0
    assert "兴发小区" in run.stdout and "示例数据" in run.stdout
    assert "27 / 50 / 1000" in run.stdout


def test_xingfa_csv(tmp_path):
    out = tmp_path / "summary.csv"
    assert main(["check", str(XINGFA), "--format", "csv", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 51 and lines[0].startswith("楼栋,单元")


def write_project(path: Path, site: dict | None, name: str) -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["name"] = name
    data["building"]["name"] = name.split()[0]
    if site is not None:
        data["site"] = site
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_folder_of_project_files(tmp_path, capsys):
    write_project(tmp_path / "a.yaml", GOOD, "1栋 1单元")
    write_project(tmp_path / "b.yaml", {**GOOD, "fire_lane_width_after_m": 3.5}, "2栋 1单元")
    write_project(tmp_path / "c.yaml", None, "3栋 1单元")
    assert main(["check", str(tmp_path), "--format", "json", "--details"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"feasible": 1, "conditional": 0, "infeasible": 1, "incomplete": 1}
    # project files keep their own funding: the sample lists a 100,000 subsidy
    assert data["totals"]["subsidy_feasible"] == "100000.00"
    infeasible = next(r for r in data["stairwells"] if r["verdict"] == "infeasible")
    assert infeasible["blocking"] == ["fire_safety.fire_lane_width"]
    assert infeasible["assessment"]["fallbacks"]


def test_folder_with_a_bad_file_names_file_and_field(tmp_path):
    write_project(tmp_path / "a.yaml", GOOD, "1栋 1单元")
    write_project(tmp_path / "b.yaml", {**GOOD, "min_stair_width_m": -1}, "2栋 1单元")
    run = run_cli(str(tmp_path))
    assert run.returncode == 2
    assert "b.yaml" in run.stderr and "site.min_stair_width_m" in run.stderr


def test_community_file_levels_override_key_by_key(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "community": "测试小区",
                "policy": "shanghai",
                "defaults": {
                    "floors": 6,
                    "households_per_floor": 2,
                    "site": GOOD,
                    "costs": {"total": 600000},
                },
                "buildings": [
                    {"name": "1栋", "units": 2},
                    {
                        "name": "2栋",
                        "site": {"pipelines_in_footprint": ["gas"]},
                        "units": [
                            {"name": "东单元"},
                            {"name": "西单元", "site": {"fire_lane_width_after_m": 3}},
                        ],
                    },
                    {"name": "3栋", "floors": 3},
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    result = check_community(path)
    verdicts = {r.stairwell.key: r.assessment.verdict for r in result.rows}
    assert verdicts == {
        "1栋 1单元": "feasible",
        "1栋 2单元": "feasible",
        "2栋 东单元": "conditional",
        "2栋 西单元": "infeasible",
        "3栋 1单元": "infeasible",
    }
    # Shanghai: 40% of 600,000 = 240,000 (under the 280,000 cap) per stairwell
    assert result.subsidy("feasible") == 2 * 240000
    assert result.households == 4 * 12 + 6


def test_community_file_bad_fact_names_its_place(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "community": "x",
                "buildings": [{"name": "1栋"}, {"name": "2栋", "site": {"structure_rating": "E"}}],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProjectError) as e:
        load_community(path)
    assert e.value.problems[0].field == "buildings[1].site.structure_rating"


def sheet_rows(extra: list[list] | None = None) -> list[list]:
    good = [
        "1栋",
        "1单元",
        6,
        12,
        "xingshan",
        500000,
        *[
            "是" if v is True else "否" if v is False else "无" if v == [] else v
            for v in GOOD.values()
        ],
    ]
    gas = list(good)
    gas[1] = "2单元"
    gas[6 + list(GOOD).index("pipelines_in_footprint")] = "gas; water"
    gap = list(good)
    gap[0], gap[6 + list(GOOD).index("rated_load_kg")] = "2栋", ""
    return [SHEET_HEADER, good, gas, gap, *(extra or [])]


def test_csv_sheet(tmp_path, capsys):
    import csv

    path = tmp_path / "district.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(sheet_rows())
    assert main(["check", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["verdict"] for r in data["stairwells"]] == ["feasible", "conditional", "incomplete"]
    assert data["stairwells"][1]["conditions"] == ["pipelines.gas", "pipelines.other"]
    assert data["stairwells"][2]["missing"] == ["rated_load_kg"]
    assert data["totals"]["subsidy_feasible"] == "100000.00"


def test_xlsx_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    for row in sheet_rows():
        wb.active.append(row)
    path = tmp_path / "district.xlsx"
    wb.save(path)
    result = check_community(path)
    assert result.counts == {"feasible": 1, "conditional": 1, "infeasible": 0, "incomplete": 1}


@pytest.mark.parametrize(
    "column,value,field",
    [
        ("min_stair_width_m", "-1", "row 5.min_stair_width_m"),
        ("shaft_blocks_exit", "maybe", "row 5.shaft_blocks_exit"),
        ("structure_rating", "E", "row 5.structure_rating"),
    ],
)
def test_bad_sheet_cell_exits_2_naming_row_and_field(tmp_path, column, value, field):
    import csv

    bad = sheet_rows()[1]
    bad[SHEET_HEADER.index(column)] = value
    path = tmp_path / "district.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(sheet_rows([bad]))
    run = run_cli(str(path))
    assert run.returncode == 2 and field in run.stderr and "Traceback" not in run.stderr


def test_unknown_sheet_column_is_refused(tmp_path):
    path = tmp_path / "district.csv"
    path.write_text("building,fire_lane_wdth_m\n1栋,4\n", encoding="utf-8")
    run = run_cli(str(path))
    assert run.returncode == 2 and "fire_lane_wdth_m" in run.stderr


def test_template_header_is_readable_back(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(sheet_template() + "1栋,1单元,6\n", encoding="utf-8")
    [row] = check_community(path).rows
    assert row.assessment.verdict == "incomplete" and row.stairwell.floors == 6
