"""`elevator caps|benefit|financing PROJECT FILE`: the library's values through the command
line, money as decimal strings, bad files refused by field with exit 2."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from elevator.core.money import money_str
from elevator.model.io import load_project
from elevator.plan.benefit import benefit_shares
from elevator.plan.caps import Cap, capped_shares
from elevator.plan.financing import compare_financing
from elevator.plan.options_file import benefit_from, financing_from

from .cli_run import run
from .helpers import SAMPLE

CAPS = 'caps:\n  "601": 60000\n  "501": {months: 12, monthly_income: 5000}\n  "502": 70000\n'
FINANCING = (
    "financing:\n  life_years: 15\n  discount_rate: 3\n  instalment_years: 5\n"
    "  instalment_rate: 4\n  down_payment_percent: 30\n"
    "  lease_monthly: {2: 60, 3: 80, 4: 100, 5: 120, 6: 140}\n"
    "  ride_fee: '0.2'\n  rides_per_month: {2: 60, 6: 120}\n"
)
BENEFIT = (
    "per_floor: {1: -2000, 2: 5000, 3: 10000, 4: 20000, 5: 30000, 6: 40000}\n"
    "reference: an appraisal\nconfidence: weak\n"
)


def _file(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_caps_json_equals_the_library(tmp_path) -> None:
    code, out, _ = run("caps", str(SAMPLE), _file(tmp_path, "c.yaml", CAPS), "--format", "json")
    assert code == 0
    data = json.loads(out)
    lib = capped_shares(
        load_project(SAMPLE),
        {
            "601": Cap(amount=Fraction(60000)),
            "501": Cap(months=Fraction(12), monthly_income=Fraction(5000)),
            "502": Cap(amount=Fraction(70000)),
        },
    )
    shares = {h["id"]: h["share"] for h in data["households"]}
    assert shares == {k: money_str(v) for k, v in lib.shares.items()}
    # hand-checked in docs/deal.md: floors 2–4 pay 17,250 / 40,250 / 57,500
    assert (shares["201"], shares["301"], shares["401"]) == ("17250.00", "40250.00", "57500.00")
    assert [r["capped"] for r in data["rounds"]] == [["501", "601"], ["502"]]
    assert sum(Fraction(v) for v in shares.values()) == sum(lib.shares.values())


def test_caps_that_cannot_hold_exit_1_and_say_the_shortfall(tmp_path) -> None:
    ids = ("201", "202", "301", "302", "401", "402", "501", "502", "601")
    text = "".join(f'"{i}": 10000\n' for i in ids)
    code, out, _ = run("caps", str(SAMPLE), _file(tmp_path, "c.yaml", text), allowed=(1,))
    assert code == 1
    assert "330000.00" in out  # 420,000 to cover, 9 × 10,000 capped


def test_financing_table_json_and_chart(tmp_path) -> None:
    path = _file(tmp_path, "f.yaml", FINANCING)
    chart = tmp_path / "f.png"
    code, out, _ = run("financing", str(SAMPLE), path, "--format", "json", "--chart", str(chart))
    assert code == 0 and chart.read_bytes().startswith(b"\x89PNG")
    data = json.loads(out)
    project = load_project(SAMPLE)
    from elevator.model.io import read_data

    lib = compare_financing(project, financing_from(read_data(path), project))
    assert data["options"] == [o.option for o in lib.options]
    for h in data["households"]:
        for o in lib.options:
            assert Fraction(h["present"][o.option]) == round(o.present[h["id"]], 2)
        assert h["cheapest"] == lib.cheapest[h["id"]]
    code, out, _ = run("financing", str(SAMPLE), path, "--lang", "en")
    assert code == 0 and "15-year" in out


def test_benefit_without_section_name_and_its_mark(tmp_path) -> None:
    path = _file(tmp_path, "b.yaml", BENEFIT)
    code, out, _ = run("benefit", str(SAMPLE), path)
    assert code == 0 and "[W]" in out and "weak" not in out
    project = load_project(SAMPLE)
    from elevator.model.io import read_data

    lib = benefit_shares(project, benefit_from(read_data(path), project))
    code, out, _ = run("benefit", str(SAMPLE), path, "--format", "json")
    data = json.loads(out)
    assert {h["id"]: Fraction(h["share"]) for h in data["households"]} == lib.shares
    assert data["mark"] == "[W]"


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [
        ("caps", '"999": 5\n', "caps.999"),
        ("caps", '"502": -3\n', "caps.502"),
        ("caps", '"501": {months: 12}\n', "caps.501.monthly_income"),
        ("caps", "- 1\n- 2\n", ""),
        ("financing", "life_years: 0\ndiscount_rate: 3\n", "financing.life_years"),
        ("financing", "life_years: 5\ndiscount_rate: 300\n", "financing.discount_rate"),
        ("financing", "life_years: 5\ndiscount_rate: 3\nrides_per_month: {2: 5}\n", "ride_fee"),
        (
            "financing",
            "life_years: 5\ndiscount_rate: 3\nlease_monthly: {9: 5}\n",
            "lease_monthly.9",
        ),
        ("financing", "life_years: 5\ndiscount_rate: 3\nspeed: 1\n", "financing.speed"),
        ("benefit", "per_floor: {12: 100}\n", "per_floor.12"),
        ("benefit", "per_floor: {}\n", "benefit.per_floor"),
    ],
)
def test_bad_files_exit_2_naming_the_field(tmp_path, kind, text, field) -> None:
    path = _file(tmp_path, "x.yaml", text)
    code, out, err = run(kind, str(SAMPLE), path)
    assert code == 2 and out == ""
    assert field in err and "Traceback" not in err
    assert " / " in err  # both languages


def test_output_onto_the_file_read_is_refused(tmp_path) -> None:
    path = _file(tmp_path, "c.yaml", CAPS)
    code, _, err = run("caps", str(SAMPLE), path, "-o", path)
    assert code == 2 and (tmp_path / "c.yaml").read_text(encoding="utf-8") == CAPS
