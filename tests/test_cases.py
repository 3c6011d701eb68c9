"""Regression cases (cases/tests, cases/seed) and the loader's refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from elevator.cli import main
from elevator.core.errors import ProjectError
from elevator.core.paths import data_file
from elevator.plan import cases as C
from elevator.policy.parameters import PolicySubsidy, list_policies, load_policy

TEST_FILES = C.regression_files()
SEED_FILES = C.seed_files()
ROOT = C.cases_dir()


def test_there_are_cases():
    assert len(TEST_FILES) >= 10 and len(SEED_FILES) >= 4


# --- every case file is its own test ------------------------------------------


@pytest.mark.parametrize("path", TEST_FILES, ids=[p.stem for p in TEST_FILES])
def test_regression_case(path: Path):
    outcome = C.run_test(C.load_test(path))
    assert outcome.ok, "\n".join(outcome.failures)
    assert outcome.checked >= 1


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_seed_case(path: Path):
    outcome = C.run_seed(C.load_seed(path))
    assert outcome.ok, "\n".join(outcome.failures)


# --- policies -------------------------------------------------------------------

REQUIRED_POLICIES = {
    "national",
    "xingshan",
    "shanghai",
    "hangzhou",
    "guangzhou",
    "beijing",
    "wuhan",
    "shenzhen",
    "wuxi",
}


@pytest.mark.parametrize("policy_id", list_policies())
def test_policy_loads(policy_id: str):
    policy = load_policy(policy_id)
    assert policy.consent() is not None  # every place has a consent rule, own or national


def test_required_policies_exist_and_each_is_used_by_a_case():
    assert REQUIRED_POLICIES <= set(list_policies())
    unused = set(list_policies()) - C.policies_used()
    assert not unused, f"policies no case uses: {sorted(unused)}"


def test_national_cites_articles_278_and_283():
    national = load_policy("national")
    titles = " ".join(r.title for n in national.notes for r in n.reference)
    assert "第二百七十八条" in titles and "第二百八十三条" in titles
    assert national.consent().values and "civil_code_278" in national.consent().values.values()


def test_subsidy_without_amount_needs_a_note_and_refuses_to_compute():
    base = {
        "id": "x",
        "name": {"zh": "某补贴", "en": "some subsidy"},
        "shape": "per_elevator",
        "reference": [{"title": "t"}],
        "confidence": "weak",
    }
    with pytest.raises(Exception):
        PolicySubsidy.model_validate(base)
    s = PolicySubsidy.model_validate({**base, "note": "amount not published"})
    with pytest.raises(ProjectError) as e:
        s.at(__import__("datetime").date(2024, 1, 1))
    assert e.value.problems[0].field == "policy subsidy x"


# --- the loader refuses bad case files ------------------------------------------


def _copy_case(tmp_path: Path, name: str) -> tuple[Path, dict]:
    """Copy one test and its project into tmp/cases/{tests,projects}; return the test path."""
    (tmp_path / "tests").mkdir(parents=True)
    (tmp_path / "projects").mkdir()
    src = ROOT / "tests" / f"{name}.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    shutil.copy(ROOT / "tests" / data["input"], tmp_path / "projects")
    return tmp_path / "tests" / f"{name}.yaml", data


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_copy_of_a_case_passes(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    assert C.run_test(C.load_test(_write(path, data))).ok


def test_missing_source_is_refused(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    del data["source"]
    with pytest.raises(ProjectError) as e:
        C.load_test(_write(path, data))
    assert any(p.field.endswith(".source") for p in e.value.problems)


def test_source_without_reference_is_refused(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    data["source"] = {"reference": [], "confidence": "weak"}
    with pytest.raises(ProjectError):
        C.load_test(_write(path, data))


def test_unknown_key_is_refused(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    data["tolerance"] = "0.01"
    with pytest.raises(ProjectError) as e:
        C.load_test(_write(path, data))
    assert any(p.field.endswith("tolerance") for p in e.value.problems)


def test_unknown_key_in_expected_output_is_refused(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    data["output"]["housholds"] = data["output"].pop("households")
    with pytest.raises(ProjectError):
        C.load_test(_write(path, data))


@pytest.mark.parametrize("delta", ["0.01", "-0.01"])
def test_one_fen_off_fails(tmp_path, delta):
    from fractions import Fraction

    path, data = _copy_case(tmp_path, "floors-travelled-7")
    value = Fraction(data["output"]["households"]["701"]) + Fraction(delta)
    data["output"]["households"]["701"] = f"{float(value):.2f}"
    outcome = C.run_test(C.load_test(_write(path, data)))
    assert not outcome.ok
    assert "701" in outcome.failures[0] and delta.lstrip("-") in outcome.failures[0]


def test_expected_values_must_be_decimal_strings(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    data["output"]["households"]["601"] = 61500.0  # a float, not "61500.00"
    with pytest.raises(ProjectError):
        C.load_test(_write(path, data))


def test_every_household_needs_an_expected_value(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    del data["output"]["households"]["101"]
    with pytest.raises(ProjectError) as e:
        C.load_test(_write(path, data))
    assert "101" in str(e.value)


def test_unsourced_subsidy_in_a_case_project_is_refused(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    project = yaml.safe_load(
        (tmp_path / "projects" / "jiangsu-floor-percentages.yaml").read_text(encoding="utf-8")
    )
    del project["funding"]["subsidies"][0]["reference"]
    data["input"] = project  # inline input this time
    with pytest.raises(ProjectError) as e:
        C.load_test(_write(path, data))
    assert any("funding.subsidies[0]" in p.field for p in e.value.problems)


def test_expected_refusal_that_does_not_happen_fails(tmp_path):
    path, data = _copy_case(tmp_path, "jiangsu-floor-percentages")
    del data["output"]
    data["error"] = {"field": "funding"}
    assert not C.run_test(C.load_test(_write(path, data))).ok


# --- seed cases: quotes and numbers are checked against the source ------------


def _seed(name: str) -> dict:
    return yaml.safe_load((ROOT / "seed" / f"{name}.yaml").read_text(encoding="utf-8"))


def _run_seed_data(tmp_path: Path, data: dict) -> C.Outcome:
    path = tmp_path / f"{data['id']}.yaml"
    data = {**data, "projects": []}  # project paths are relative to cases/seed
    return C.run_seed(C.load_seed(_write(path, data)))


def test_seed_copy_passes(tmp_path):
    assert _run_seed_data(tmp_path, _seed("xingshan-xingfa")).ok


def test_seed_quote_not_in_source_fails(tmp_path):
    data = _seed("guangzhou-guangzhong")
    data["facts"][0]["quote"] = "广重社区具备加装电梯条件的单元数共72个"
    data["facts"][0]["value"] = 72
    outcome = _run_seed_data(tmp_path, data)
    assert not outcome.ok and "quote not found" in outcome.failures[0]


def test_seed_value_not_in_quote_fails(tmp_path):
    data = _seed("hangzhou-binjiang")
    data["facts"][0]["value"] = 512
    outcome = _run_seed_data(tmp_path, data)
    assert not outcome.ok and "not in the quote" in outcome.failures[0]


def test_seed_fact_must_match_the_policy_file(tmp_path):
    data = _seed("xingshan-xingfa")
    fact = next(f for f in data["facts"] if f["id"] == "subsidy_per_elevator")
    fact["policy_subsidy"] = "no_such_subsidy"
    outcome = _run_seed_data(tmp_path, data)
    assert not outcome.ok and any("policy" in f for f in outcome.failures)


def test_seed_constraint_between_facts(tmp_path):
    data = _seed("guangzhou-guangzhong")
    data["constraints"] = [
        {"sum": ["installed", "in_progress", "eligible_units"], "at_most": "eligible_units"}
    ]
    assert not _run_seed_data(tmp_path, data).ok


def test_seed_fact_without_source_is_refused(tmp_path):
    data = _seed("hangzhou-binjiang")
    del data["facts"][0]["reference"]
    with pytest.raises(ProjectError):
        C.load_seed(_write(tmp_path / "hangzhou-binjiang.yaml", data))


def test_numbers_in_chinese_text():
    assert C.numbers_in("每部给予10万元的补助资金") == {100000}
    assert C.numbers_in("截至2022年8月底，已加装电梯60部") == {2022, 8, 60}


# --- the command ------------------------------------------------------------------


def test_cli_lists_and_checks(capsys):
    assert main(["cases"]) == 0
    listed = capsys.readouterr().out
    assert "xingshan-xingfa" in listed and "guangzhou-coefficient-area" in listed
    assert main(["cases", "--check"]) == 0
    assert "通过 passed" in capsys.readouterr().out


def test_cli_exit_1_when_a_case_fails(tmp_path, monkeypatch, capsys):
    path, data = _copy_case(tmp_path, "national-civil-code-283")
    data["output"]["households"]["101"] = "30000.01"
    _write(path, data)
    monkeypatch.setenv("ELEVATOR_CASES", str(tmp_path))
    assert main(["cases", "--check"]) == 1
    assert "off by -0.01" in capsys.readouterr().out


def test_cli_exit_2_on_a_bad_case_file(tmp_path, monkeypatch, capsys):
    path, data = _copy_case(tmp_path, "national-civil-code-283")
    data["outptu"] = data.pop("output")
    _write(path, data)
    monkeypatch.setenv("ELEVATOR_CASES", str(tmp_path))
    assert main(["cases", "--check"]) == 2
    assert "outptu" in capsys.readouterr().err


def test_city_threshold_overrides_use_names_the_checklist_defines():
    rules = data_file("feasibility_rules.yaml")
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("ge", "gt", "le", "lt") and isinstance(v, str):
                    names.add(v)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(yaml.safe_load(rules.read_text(encoding="utf-8")))
    assert names
    for pid in list_policies():
        # `<key>_cost` entries are condition-cost estimates, not thresholds
        unknown = {n for n in load_policy(pid).feasibility if not n.endswith("_cost")} - names
        assert not unknown, f"{pid}: thresholds the checklist does not use: {sorted(unknown)}"
    assert (
        load_policy("guangzhou").threshold("spacing_min_m")
        is load_policy("guangzhou").feasibility["spacing_min_m"]
    )
    assert load_policy("shanghai").threshold("levelling_max_mm").confidence == "source"


def test_consent_rule_ids_are_defined():
    rules = data_file("consent_rules.yaml")
    defined = set(yaml.safe_load(rules.read_text(encoding="utf-8"))["rules"])
    for pid in list_policies():
        consent = load_policy(pid).consent()
        unknown = set(consent.values.values()) - defined
        assert not unknown, f"{pid}: consent rule ids not in consent_rules.yaml: {sorted(unknown)}"
