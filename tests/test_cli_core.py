"""CLI: the JSON contract, and every kind of bad input exits 2 with bilingual messages."""

import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml

from elevator.cli import main
from elevator.sharing.formulas import FORMULAS_FILE, derive

from .helpers import ROOT, SAMPLE, stairwell


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_share_json_contract(capsys):
    code, out, _ = run_cli(capsys, "share", SAMPLE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in (
        "project",
        "scheme",
        "construction_cost",
        "subsidies",
        "contributions",
        "compensation",
        "to_share",
        "rounding",
        "formula",
        "households",
    ):
        assert key in data
    assert data["construction_cost"] == "530000.00" and data["to_share"] == "410000.00"
    assert sum(Decimal(h["share"]) for h in data["households"]) == Decimal(data["to_share"])
    for h in data["households"]:
        assert set(h) >= {"id", "floor", "area_m2", "participates", "share", "exact"}
        assert isinstance(h["share"], str)
        assert abs(Fraction(h["exact"]) - Fraction(Decimal(h["share"]))) < Fraction(1, 100)
    assert data["formula"]["latex"]


def test_share_table_and_csv_and_compare(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "share", SAMPLE)
    assert code == 0 and "601" in out and "合计" in out and "410000.00" in out
    code, out, _ = run_cli(capsys, "share", SAMPLE, "--format", "csv", "--lang", "en")
    assert code == 0 and out.splitlines()[0].startswith("Room,Floor")
    code, out, _ = run_cli(
        capsys, "compare", SAMPLE, "--schemes", "equal,shapley", "--format", "json"
    )
    data = json.loads(out)
    assert data["schemes"] == ["equal", "shapley"]
    for scheme in data["schemes"]:
        assert sum(Decimal(h["shares"][scheme]) for h in data["households"]) == Decimal("410000.00")


def test_schemes_schema_validate(capsys):
    code, out, _ = run_cli(capsys, "schemes")
    assert code == 0 and "shapley" in out and "\\frac" in out
    code, out, _ = run_cli(capsys, "schema")
    schema = json.loads(out)
    assert schema["additionalProperties"] is False and "building" in schema["properties"]
    code, out, _ = run_cli(capsys, "validate", SAMPLE)
    assert code == 0 and "valid" in out


def test_formulas_file_is_what_sympy_derives():
    assert json.loads(FORMULAS_FILE.read_text(encoding="utf-8")) == derive(), (
        "run: python -m elevator.sharing.formulas"
    )


def bad(tmp_path, data=None, text=None):
    path = tmp_path / "p.yaml"
    path.write_text(
        text if text is not None else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return path


def with_household(data, index, **changes):
    data["building"]["households"][index].update(changes)
    return data


BAD_INPUTS = {
    "unknown key": (lambda: {**stairwell(), "colour": "red"}, "colour"),
    "floor outside the building": (
        lambda: with_household(stairwell(), 3, floor=9),
        "building.households[3].floor",
    ),
    "duplicate id": (lambda: with_household(stairwell(), 3, id="101"), "building.households[3].id"),
    "negative area": (
        lambda: with_household(stairwell(), 2, area_m2=-5),
        "building.households[2].area_m2",
    ),
    "coefficient missing": (
        lambda: stairwell(sharing={"scheme": "floor_coefficients", "coefficients": {2: 1, 3: 1}}),
        "sharing.coefficients.4",
    ),
    "nobody participating": (
        lambda: stairwell(sharing={"exempt_floors": [1, 2, 3, 4, 5, 6]}),
        "building.households",
    ),
    "funding above the cost": (
        lambda: stairwell(
            funding={
                "subsidies": [{"name": "a", "per_elevator": 500000}],
                "contributions": [{"name": "b", "amount": 40000}],
            }
        ),
        "funding",
    ),
    "shapley without fixed/per_floor": (
        lambda: stairwell(costs={"total": 500000}, sharing={"scheme": "shapley"}),
        "costs",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_naming_the_field_in_both_languages(case, capsys, tmp_path):
    make, field = BAD_INPUTS[case]
    code, out, err = run_cli(capsys, "share", bad(tmp_path, make()))
    assert code == 2 and out == ""
    assert field in err, err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err), "Chinese message expected"
    assert any(
        w in err
        for w in ("must", "unknown", "no ", "exceed", "needs", "nobody", "above", "duplicate")
    ), err


def test_funding_above_cost_says_by_how_much(capsys, tmp_path):
    make, _ = BAD_INPUTS["funding above the cost"]
    _, _, err = run_cli(capsys, "share", bad(tmp_path, make()))
    assert "10000.00" in err  # 500000 + 40000 − 530000


def test_yaml_syntax_error_is_reported_without_traceback(tmp_path):
    path = bad(tmp_path, text="name: x\nbuilding: {floors: 6\n  households: [\n")
    proc = subprocess.run(
        [sys.executable, "-m", "elevator", "share", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "YAML" in proc.stderr and "语法错误" in proc.stderr and "line" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_and_bad_option(capsys, tmp_path):
    code, _, err = run_cli(capsys, "share", tmp_path / "none.yaml")
    assert code == 2 and "找不到文件" in err and "not found" in err
    with pytest.raises(SystemExit) as e:
        main(["share", str(SAMPLE), "--format", "pdfx"])
    assert e.value.code == 2


def test_every_money_column_of_the_table_closes(capsys, tmp_path):
    # 100 split three ways: each gross share must still add up to the total shown
    path = bad(
        tmp_path,
        stairwell(
            floors=2,
            per_floor_units=3,
            costs={"total": 100},
            sharing={"scheme": "equal", "exempt_floors": [1]},
        ),
    )
    code, out, _ = run_cli(capsys, "share", path, "--format", "json")
    data = json.loads(out)
    for column in ("gross", "share"):
        assert sum(Decimal(h[column]) for h in data["households"]) == Decimal("100.00")
    code, out, _ = run_cli(capsys, "share", path, "--format", "csv")
    rows = out.strip().splitlines()[1:]
    gross = [Decimal(r.split(",")[5]) for r in rows[:-1]]
    assert sum(gross) == Decimal(rows[-1].split(",")[5]) == Decimal("100.00")


@pytest.mark.parametrize(
    "patch, field",
    [
        ({"compensation": [{"floor": 1, "per_household": 1e30}]}, "compensation[0].per_household"),
        ({"costs": {"total": 100.005}}, "costs.total"),
        (
            {"payment_schedule": [{"name": "a", "percent": 150}, {"name": "b", "percent": -50}]},
            "payment_schedule[1].percent",
        ),
        ({"costs": {"ladder": {0: 1, 2: 5}}}, "costs.ladder"),
    ],
)
def test_absurd_money_is_refused_with_exit_2(patch, field, capsys, tmp_path):
    code, _, err = run_cli(capsys, "share", bad(tmp_path, stairwell(**patch)))
    assert code == 2 and field in err, err


def test_every_problem_is_reported_at_once(capsys, tmp_path):
    data = stairwell()
    with_household(data, 2, area_m2=-5)
    with_household(data, 3, floor=9)
    with_household(data, 4, id="101")
    code, _, err = run_cli(capsys, "share", bad(tmp_path, data))
    assert code == 2
    for field in (
        "building.households[2].area_m2",
        "building.households[3].floor",
        "building.households[4].id",
    ):
        assert field in err, err
