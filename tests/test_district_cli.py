"""`elevator district`: the tour commands, the outputs, bad input, and a light start-up."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from elevator.cli import main
from elevator.district.portfolio import validate
from elevator.district.sample import sample_portfolio
from elevator.district.simulate import compare, runs
from elevator.documents.district_charts import budget_png, floors_png
from elevator.documents.words import policy_name

from .helpers import ROOT, SAMPLE


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_share_json_does_not_import_pandas():
    code = (
        f"import sys; sys.argv = ['elevator', 'share', {str(SAMPLE)!r}, '--format', 'json'];"
        "from elevator.cli import main; rc = main(sys.argv[1:]);"
        "print('PANDAS' if 'pandas' in sys.modules or 'numpy' in sys.modules else 'LIGHT')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "LIGHT"


def test_sample_runs_and_writes_the_portfolio(capsys, tmp_path):
    out = tmp_path / "p.parquet"
    code, text, err = run_cli(
        capsys, "district", "--sample", 200, "--sample-out", out, "--lang", "en"
    )
    assert code == 0 and out.is_file()
    assert len(pd.read_parquet(out)) == 200
    assert "200 stairwells" in text and "feasible" in text
    assert "200" in err


def test_two_policies_compared_with_outputs(capsys, tmp_path):
    src = tmp_path / "p.csv"
    sample_portfolio(120, seed=4).to_csv(src, index=False)
    xlsx, per, charts = tmp_path / "d.xlsx", tmp_path / "h.csv", tmp_path / "charts"
    code, text, _ = run_cli(
        capsys, "district", src, "--policy", "xingshan", "--policy", "shanghai",
        "--scheme", "floors_travelled", "--limit", "50000", "-o", xlsx,
        "--per-household", per, "--charts", charts,
    )  # fmt: skip
    assert code == 0
    xingshan, shanghai = (policy_name(k) + " / " for k in ("xingshan", "shanghai"))
    assert xingshan in text and shanghai in text and "50000.00" in text
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert len(wb.sheetnames) == 3
    rows = list(wb.worksheets[1].iter_rows(values_only=True))
    assert len(rows) == 121 and rows[1][1] == "S0000001"
    h = pd.read_csv(per, dtype=str)
    assert list(h.columns[:6]) == ["policy", "scheme", "stairwell", "household", "floor", "share"]
    assert h["household"].iloc[0] == "101" and h["share"].str.match(r"^-?\d+\.\d\d$").all()
    assert (charts / "budget.png").read_bytes()[:4] == b"\x89PNG"


def test_bad_rows_are_reported_and_the_rest_runs(capsys, tmp_path):
    src = tmp_path / "p.csv"
    raw = sample_portfolio(10, seed=4).astype(object)
    raw.loc[3, "households_per_floor"] = "0"
    raw.to_csv(src, index=False)
    code, text, _ = run_cli(capsys, "district", src, "--lang", "en")
    assert code == 0
    assert "1 of 10 rows refused" in text and "row 5, households_per_floor" in text
    assert "9 stairwells" in text


def test_bad_input_exits_2_without_traceback(capsys, tmp_path):
    src = tmp_path / "p.csv"
    pd.DataFrame({"id": ["a"], "floors": [3]}).to_csv(src, index=False)
    code, _, err = run_cli(capsys, "district", src)
    assert code == 2 and "cost_yuan" in err and "缺少" in err
    code, _, err = run_cli(capsys, "district", "--sample", 5, "--limit", "abc")
    assert code == 2 and "abc" in err
    code, _, err = run_cli(capsys, "district")
    assert code == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_draw(lang):
    portfolio = validate(sample_portfolio(50, seed=3))
    table = compare(runs(portfolio, ["xingshan", "shanghai"], "area"), 60000 * 100)
    assert budget_png(table, lang)[:4] == b"\x89PNG"
    assert floors_png(table, lang)[:4] == b"\x89PNG"


def test_scalar_engine_from_the_cli_matches(capsys, tmp_path):
    src = tmp_path / "p.csv"
    sample_portfolio(15, seed=8).to_csv(src, index=False)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    run_cli(capsys, "district", src, "--scheme", "shapley", "--per-household", a)
    run_cli(
        capsys, "district", src, "--scheme", "shapley", "--engine", "scalar", "--per-household", b
    )
    assert a.read_text() == b.read_text()


def test_a_scheme_without_a_closed_form_goes_row_by_row_and_says_so(capsys, tmp_path):
    src = tmp_path / "p.csv"
    sample_portfolio(12, seed=8).to_csv(src, index=False)
    code, text, _ = run_cli(capsys, "district", src, "--scheme", "sm", "--lang", "en")
    assert code == 0
    assert "12 stairwells have a scheme or subsidy with no closed form" in text
