"""Feasibility checklist: every rule passing and failing, verdicts, thresholds per policy,
validation of site facts, the evaluator workflow, and `elevator check` on one project."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

from elevator.cli import main
from elevator.core.errors import ProjectError
from elevator.feasibility import checklist as fz
from elevator.feasibility import workflow
from elevator.model.io import load_project, parse_project
from elevator.model.site import CONTRACT_FACTS, EXTRA_FACTS, STAGES, Site
from elevator.policy.parameters import load_policy

from .helpers import CONTRACT_SITE

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "cases" / "projects" / "xingshan-xingfa-3-1.yaml"


def check(site: dict, storeys: int = 6, policy: str | None = None) -> fz.Assessment:
    return fz.assess_site(site, storeys=storeys, policy=policy, date=dt.date(2024, 6, 1))


def finding(a: fz.Assessment, rule: str) -> fz.Finding:
    [f] = [f for f in a.findings if f.rule == rule]
    return f


def project_data(site: dict | None = None, **extra) -> dict:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    if site is not None:
        data["site"] = site
    data.update(extra)
    return data


# rule → (facts that pass, facts that fail, result on failure, storeys)
CASES = {
    "eligibility.storeys": ({}, {}, "blocking"),
    "eligibility.demolition": (
        {"demolition_planned_within_5y": False},
        {"demolition_planned_within_5y": True},
        "blocking",
    ),
    "eligibility.red_line": ({"inside_red_line": True}, {"inside_red_line": False}, "blocking"),
    "planning.spacing": (
        {"spacing_to_nearest_building_m": 6.0},
        {"spacing_to_nearest_building_m": 5.9},
        "conditional",
    ),
    "planning.sunlight": (
        {"shaft_on_sunlight_side": False},
        {"shaft_on_sunlight_side": True},
        "advisory",
    ),
    "structure.rating": ({"structure_rating": "A"}, {"structure_rating": "C"}, "blocking"),
    "structure.age": (
        {"year_built": 2001, "structure_rating": None},
        {"year_built": 2000, "structure_rating": None},
        "conditional",
    ),
    "fire_safety.fire_lane_width": (
        {"fire_lane_width_after_m": 4.0},
        {"fire_lane_width_after_m": 3.99},
        "blocking",
    ),
    "fire_safety.fire_lane_headroom": (
        {"fire_lane_headroom_after_m": 4.0},
        {"fire_lane_headroom_after_m": 3.8},
        "blocking",
    ),
    "fire_safety.stair_width": (
        {"min_stair_width_m": 1.0},
        {"min_stair_width_m": 0.95},
        "blocking",
    ),
    "fire_safety.exit_door_width": (
        {"min_exit_door_width_m": 0.8},
        {"min_exit_door_width_m": 0.75},
        "blocking",
    ),
    "fire_safety.exit_not_blocked": (
        {"shaft_blocks_exit": False},
        {"shaft_blocks_exit": True},
        "blocking",
    ),
    "pipelines.gas": (
        {"pipelines_in_footprint": ["water"]},
        {"pipelines_in_footprint": ["gas"]},
        "conditional",
    ),
    "pipelines.gas_in_shaft": (
        {"gas_pipe_in_shaft": False},
        {"gas_pipe_in_shaft": True},
        "blocking",
    ),
    "pipelines.other": (
        {"pipelines_in_footprint": ["gas"]},
        {"pipelines_in_footprint": ["telecom"]},
        "conditional",
    ),
    "environment.barrier_free": (
        {"barrier_free_route": True},
        {"barrier_free_route": False},
        "conditional",
    ),
    "environment.ramp_vehicle_lane": (
        {"ramp_blocks_vehicle_lane": False},
        {"ramp_blocks_vehicle_lane": True},
        "conditional",
    ),
    "environment.bedroom_noise": (
        {"shaft_beside_bedrooms": False},
        {"shaft_beside_bedrooms": True},
        "advisory",
    ),
    "equipment.rated_load": ({"rated_load_kg": 320}, {"rated_load_kg": 300}, "conditional"),
    "equipment.car_door": ({"car_door_width_m": 0.8}, {"car_door_width_m": 0.7}, "conditional"),
    "equipment.stretcher_door": ({"car_door_width_m": 0.9}, {"car_door_width_m": 0.85}, "advisory"),
    "equipment.stretcher_car": (
        {"car_width_m": 1.1, "car_depth_m": 2.1},
        {"car_width_m": 1.5, "car_depth_m": 2.0},
        "advisory",
    ),
    "equipment.levelling": (
        {"levelling_accuracy_mm": 15},
        {"levelling_accuracy_mm": 20},
        "conditional",
    ),
    "equipment.entry": ({"entry": "flat"}, {"entry": "half_landing"}, "advisory"),
}
STOREYS = {"eligibility.storeys": (4, 3)}


def test_every_rule_has_a_case():
    assert sorted(CASES) == sorted(r.id for r in fz.rules_file().rules)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_passes_and_fails(rule):
    good, bad, outcome = CASES[rule]
    s_good, s_bad = STOREYS.get(rule, (6, 6))
    site = {k: v for k, v in {**CONTRACT_SITE, **good}.items() if v is not None}
    a = check(site, s_good)
    assert finding(a, rule).result == "pass", finding(a, rule).message
    site = {k: v for k, v in {**CONTRACT_SITE, **bad}.items() if v is not None}
    b = check(site, s_bad)
    f = finding(b, rule)
    assert f.result == outcome, f.message
    assert f.message_zh and f.message_en and f.source
    expected = {"blocking": "infeasible", "conditional": "conditional"}.get(outcome)
    if rule == "structure.age":  # the failing case has no rating: that item stays open
        expected = "incomplete"
    if expected:
        assert b.verdict == expected
    if outcome == "blocking":
        assert rule in b.blocking and b.fallbacks
    if outcome == "conditional":
        assert rule in [c.rule for c in b.conditions]


def test_every_contract_fact_within_thresholds_is_feasible():
    a = check(CONTRACT_SITE)
    assert a.verdict == "feasible"
    assert {f.result for f in a.findings} <= {"pass", "advisory"}
    assert not a.missing and not a.conditions and not a.fallbacks
    # extras that were not given are skipped, not incomplete
    assert set(a.not_checked) == {r.id for r in fz.rules_file().rules if r.optional}


def test_fire_lane_of_3_5_m_is_infeasible():
    a = check({**CONTRACT_SITE, "fire_lane_width_after_m": 3.5})
    assert a.verdict == "infeasible"
    f = finding(a, "fire_safety.fire_lane_width")
    assert f.result == "blocking"
    assert "3.5" in f.message_zh and "4" in f.message_zh
    assert a.blocking == ("fire_safety.fire_lane_width",)
    assert {b.id for b in a.fallbacks} == {"stair_seats", "stair_climber_service", "chair_lift"}
    assert all(b.source.endswith(("[S]", "[W]", "[U]")) for b in a.fallbacks)


def test_blocking_wins_over_missing_facts():
    a = check({"fire_lane_width_after_m": 3.5})
    assert a.verdict == "infeasible" and a.missing


def test_only_gas_in_footprint_is_conditional_with_relocation():
    a = check({**CONTRACT_SITE, "pipelines_in_footprint": ["gas"]})
    assert a.verdict == "conditional"
    [c] = a.conditions
    assert c.rule == "pipelines.gas"
    assert "燃气" in c.text_zh and "relocate" in c.text_en
    assert c.cost == 150000 and "[W]" in c.cost_source  # Hangzhou estimate, weak source
    assert a.condition_cost == 150000
    assert finding(a, "pipelines.other").result == "pass"
    assert a.condition_items() == [
        {
            "name": "管线迁移",
            "amount": 150000,  # named in cost_items
            "source": c.cost_source,
        }
    ]


def test_relocation_cost_counted_once_and_quote_overrides():
    a = check(
        {
            **CONTRACT_SITE,
            "pipelines_in_footprint": ["gas", "water", "drainage"],
            "condition_costs": {"pipeline_relocation": 80000},
        }
    )
    assert [c.rule for c in a.conditions] == ["pipelines.gas", "pipelines.other"]
    assert a.condition_cost == 80000
    assert "给水、排水" in a.conditions[1].text_zh
    assert a.conditions[0].cost_source == "site.condition_costs"


def test_unquoted_condition_listed_as_uncosted():
    a = check({**CONTRACT_SITE, "spacing_to_nearest_building_m": 5})
    assert a.verdict == "conditional"
    assert a.uncosted == ("fire_wall",) and a.condition_cost == 0
    b = check({**CONTRACT_SITE, "spacing_to_nearest_building_m": 5, "facing_wall_fire_rated": True})
    assert b.verdict == "feasible"


def test_no_site_facts_is_incomplete_and_lists_missing():
    project = parse_project(project_data())
    assert project.site is None
    a = fz.assess(project)
    assert a.verdict == "incomplete"
    assert set(a.missing) == set(CONTRACT_FACTS)
    assert not set(a.missing) & set(EXTRA_FACTS)
    passed = [f.rule for f in a.findings if f.result == "pass"]
    assert passed == ["eligibility.storeys"]  # storeys come from building.floors
    incomplete = [f for f in a.findings if f.result == "incomplete"]
    assert all(f.missing and "缺少资料" in f.message_zh for f in incomplete)


def test_one_missing_fact_makes_its_items_incomplete_never_pass():
    site = dict(CONTRACT_SITE)
    del site["car_door_width_m"]
    a = check(site)
    assert a.verdict == "incomplete" and a.missing == ("car_door_width_m",)
    assert finding(a, "equipment.car_door").result == "incomplete"
    assert finding(a, "equipment.stretcher_door").result == "incomplete"


def test_structure_age_needs_appraisal_only_when_old_and_unrated():
    site = {k: v for k, v in CONTRACT_SITE.items() if k != "structure_rating"}
    a = check({**site, "year_built": 1990})
    assert finding(a, "structure.age").result == "conditional"
    assert finding(a, "structure.rating").result == "incomplete"
    assert check({**CONTRACT_SITE, "year_built": 1990}).verdict == "feasible"


# --- thresholds as policy parameters ---------------------------------------


def test_national_has_every_threshold_with_source():
    national = load_policy("national")
    for name in fz.threshold_names():
        p = national.feasibility[name]
        assert p.reference and p.reference[0].title
        assert p.confidence in ("source", "weak", "unverified")


def test_findings_carry_threshold_and_its_source():
    f = finding(check(CONTRACT_SITE), "fire_safety.fire_lane_width")
    assert f.threshold.name == "fire_lane_width_min_m" and f.threshold.value == 4
    assert f.threshold.policy == "national" and f.threshold.source.endswith("[W]")


def test_section_7_rows_are_covered():
    ids = {r.id for r in fz.rules_file().rules}
    rows = {  # policy-facts.md §7, one entry per row
        "storeys": "eligibility.storeys",
        "redevelopment": "eligibility.demolition",
        "red line": "eligibility.red_line",
        "spacing": "planning.spacing",
        "sunlight": "planning.sunlight",
        "age / rating": "structure.rating",
        "fire lane": "fire_safety.fire_lane_width",
        "evacuation": "fire_safety.stair_width",
        "gas": "pipelines.gas",
        "others": "pipelines.other",
        "car": "equipment.rated_load",
        "stretcher": "equipment.stretcher_car",
        "levelling": "equipment.levelling",
        "access": "environment.barrier_free",
    }
    assert set(rows.values()) <= ids


@pytest.fixture
def city_policies(tmp_path, monkeypatch):
    shutil.copy(
        ROOT / "elevator" / "data" / "policies" / "national.yaml", tmp_path / "national.yaml"
    )
    (tmp_path / "testcity.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "testcity",
                "name": {"zh": "测试市", "en": "Test city"},
                "parent": "national",
                "feasibility": {
                    "fire_lane_width_min_m": {
                        "values": {"2020-01-01": 3.5},
                        "reference": [{"title": "test override"}],
                        "confidence": "unverified",
                    }
                },
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("ELEVATOR_POLICIES", str(tmp_path))
    fz.clear_caches()
    yield tmp_path
    monkeypatch.delenv("ELEVATOR_POLICIES")
    fz.clear_caches()


def test_city_overrides_a_threshold(city_policies):
    site = {**CONTRACT_SITE, "fire_lane_width_after_m": 3.5}
    assert check(site).verdict == "infeasible"
    a = check(site, policy="testcity")
    assert a.verdict == "feasible"
    f = finding(a, "fire_safety.fire_lane_width")
    assert f.threshold.policy == "testcity" and f.threshold.source == "test override [U]"
    # the other thresholds still come from national
    assert finding(a, "fire_safety.stair_width").threshold.policy == "national"


def test_threshold_missing_everywhere_is_an_error(city_policies):
    data = yaml.safe_load((city_policies / "national.yaml").read_text(encoding="utf-8"))
    del data["feasibility"]["storeys_min"]
    (city_policies / "national.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    fz.clear_caches()
    with pytest.raises(ProjectError) as e:
        check(CONTRACT_SITE)
    assert "storeys_min" in e.value.problems[0].field


# --- validation of facts ---------------------------------------------------


@pytest.mark.parametrize(
    "field,value",
    [
        ("min_stair_width_m", -1.0),
        ("fire_lane_width_after_m", -0.5),
        ("structure_rating", "E"),
        ("year_built", dt.date.today().year + 1),
        ("pipelines_in_footprint", ["oil"]),
        ("entry", "lift"),
        ("min_exit_door_width_m", 900),
    ],
)
def test_bad_facts_name_the_field(field, value):
    with pytest.raises(ProjectError) as e:
        parse_project(project_data({**CONTRACT_SITE, field: value}))
    [p] = e.value.problems
    assert p.field.startswith(f"site.{field}") and p.zh and p.en


def test_rating_is_read_case_insensitively():
    assert Site.model_validate({"structure_rating": "b"}).structure_rating == "B"


def test_site_storeys_must_match_building(tmp_path):
    project = parse_project(project_data({**CONTRACT_SITE, "storeys": 5}))
    with pytest.raises(ProjectError) as e:
        fz.assess(project)
    assert e.value.problems[0].field == "site.storeys"


# --- the evaluator's workflow ----------------------------------------------


def test_signoffs_and_stage_reached():
    project = parse_project(project_data(CONTRACT_SITE))
    p2 = workflow.sign_off(
        project,
        "feasibility_assessment",
        "fire_safety.fire_lane_width",
        "王工",
        dt.date(2024, 3, 1),
        "pass",
        "实测 4.5 m",
    )
    p3 = workflow.sign_off(
        p2, "safety_argument", "opinion_issued", "李工", dt.date(2024, 4, 1), "pass", advance=True
    )
    assert p3.evaluation.stage == "safety_argument"
    status = workflow.workflow_status(p3, fz.assess(p3))
    assert [s["stage"] for s in status] == list(STAGES)
    first = status[0]
    item = next(i for i in first["items"] if i["id"] == "fire_safety.fire_lane_width")
    assert item["signoff"]["name"] == "王工" and item["checklist"] == "pass"
    assert status[1]["current"] and status[1]["signed"] == 1 and not status[2]["reached"]
    # every stage has its own items
    assert all(s["items"] for s in status)


@pytest.mark.parametrize(
    "signoff,field_part",
    [
        ({"stage": "first_supervision", "item": "manager_named"}, "evaluation"),
        ({"stage": "feasibility_assessment", "item": "no_such_item"}, "signoffs[0]"),
        (
            {
                "stage": "feasibility_assessment",
                "item": "pipelines.gas",
                "date": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
            },
            "signoffs[0].date",
        ),
        (
            {"stage": "feasibility_assessment", "item": "pipelines.gas", "result": "maybe"},
            "signoffs[0].result",
        ),
    ],
)
def test_bad_signoffs_are_refused(signoff, field_part):
    entry = {"name": "王工", "date": "2024-03-01", "result": "pass", **signoff}
    with pytest.raises(ProjectError) as e:
        parse_project(project_data(CONTRACT_SITE, evaluation={"signoffs": [entry]}))
    assert any(field_part in p.field for p in e.value.problems)


# --- the command line ------------------------------------------------------


def write_project(tmp_path: Path, site: dict | None, **extra) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(
        yaml.safe_dump(project_data(site, **extra), allow_unicode=True), encoding="utf-8"
    )
    return path


def test_cli_json_for_one_project(tmp_path, capsys):
    path = write_project(tmp_path, {**CONTRACT_SITE, "fire_lane_width_after_m": 3.5})
    assert main(["check", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "infeasible"
    for f in data["findings"]:
        assert {"rule", "area", "result", "message", "source"} <= set(f)
        assert f["result"] in fz.RESULTS and f["area"] in fz.AREAS
    lane = next(f for f in data["findings"] if f["rule"] == "fire_safety.fire_lane_width")
    assert lane["result"] == "blocking" and lane["threshold"]["value"] == "4"
    assert data["fallbacks"]


def test_cli_table_and_csv(tmp_path, capsys):
    path = write_project(tmp_path, {**CONTRACT_SITE, "pipelines_in_footprint": ["gas"]})
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "有条件可行" in out and "150000.00" in out and "[W]" in out
    assert main(["check", str(path), "--format", "csv", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("area,item,result") and len(lines) == 1 + len(
        [r for r in fz.rules_file().rules if not r.optional]
    )


def test_cli_bad_fact_exits_2_naming_the_field(tmp_path):
    path = write_project(tmp_path, {**CONTRACT_SITE, "structure_rating": "E"})
    run = subprocess.run(
        [sys.executable, "-m", "elevator", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert "site.structure_rating" in run.stderr and "Traceback" not in run.stderr


def test_cli_pdf_without_printing_support(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(
        sys.modules, "elevator.documents.pdf", types.ModuleType("elevator.documents.pdf")
    )
    path = write_project(tmp_path, CONTRACT_SITE)
    assert main(["check", str(path), "-o", str(tmp_path / "r.pdf")]) == 2
    assert "PDF output is not available yet" in capsys.readouterr().err


def test_cli_pdf_calls_the_printing_function(tmp_path, monkeypatch):
    calls = []
    fake = types.ModuleType("elevator.documents.pdf")

    def feasibility_report_pdf(result, output, lang="zh", project=None):
        calls.append((result.verdict, lang, project.name))
        return b"%PDF-fake"

    fake.feasibility_report_pdf = feasibility_report_pdf
    monkeypatch.setitem(sys.modules, "elevator.documents.pdf", fake)
    path = write_project(tmp_path, CONTRACT_SITE)
    out = tmp_path / "r.pdf"
    assert main(["check", str(path), "-o", str(out), "--lang", "en"]) == 0
    assert calls == [("feasible", "en", "兴发小区 3栋 1单元")] and out.read_bytes() == b"%PDF-fake"


def test_sample_project_still_loads():
    assert load_project(SAMPLE).site is None


def test_docs_name_every_threshold_and_cost_key():
    text = (ROOT / "docs" / "feasibility.md").read_text(encoding="utf-8")
    for name in fz.threshold_names() + fz.cost_keys():
        assert f"`{name}`" in text or name in text, name
