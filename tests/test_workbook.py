"""The mediator's workbook: opens in openpyxl, formulas reference the right cells, and
evaluating them gives the library's numbers (openpyxl does not compute formulas, so a
small evaluator for the formulas we write — cells, ranges, SUM, + − × ÷ — does it here)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from elevator import cli
from elevator.documents.workbook import compare_workbook, project_workbook, share_workbook
from elevator.model.io import load_project
from elevator.sharing.engine import compute_shares
from tests.helpers import SAMPLE
from tests.helpers import project as make_project
from tests.xlsx_eval import Evaluator


@pytest.fixture(scope="module")
def sample():
    project = load_project(SAMPLE)
    return project, compute_shares(project)


def household_block(ws):
    """(first row, last row, total row) of the household table on the shares sheet."""
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in ("户号", "Room")]
    head = rows[0]
    total = next(r for r in range(head, ws.max_row + 1) if ws.cell(r, 1).value in ("合计", "Total"))
    return head + 1, total - 1, total


def test_workbook_formulas_give_the_library_numbers(sample):
    project, result = sample
    wb = openpyxl.load_workbook(io.BytesIO(project_workbook(project, "zh")))
    assert wb.sheetnames[:2] == ["分摊表", "输入"]
    ws = wb["分摊表"]
    first, last, total = household_block(ws)
    assert [ws.cell(r, 1).value for r in range(first, last + 1)] == [
        h.id for h in result.households
    ]
    # the totals are live SUMs over exactly the household rows
    assert ws.cell(total, 10).value == f"=SUM(J{first}:J{last})"
    assert ws.cell(total, 6).value == f"=SUM(F{first}:F{last})"
    ev = Evaluator(wb)
    assert ev.cell("分摊表", f"J{total}") == result.to_share  # rounded column adds up
    assert ev.cell("分摊表", "C3") == result.amount_shared  # from the inputs sheet
    assert ev.cell("分摊表", f"F{total}") == result.amount_shared
    assert ev.cell("分摊表", f"J{total + 1}") == 0  # the check cell
    for i, h in enumerate(result.households):
        r = first + i
        assert ws.cell(r, 6).value == f"=$C$3*E{r}/SUM($E${first}:$E${last})"
        assert ev.cell("分摊表", f"F{r}") == h.gross  # share formula, exactly
        assert ev.cell("分摊表", f"I{r}") == h.exact
        assert ev.cell("分摊表", f"J{r}") == h.share  # library's rounding
    inputs = wb["输入"]
    labels = [inputs.cell(r, 1).value for r in range(1, inputs.max_row + 1)]
    assert "工程造价" in labels and "居民共同承担" in labels


def test_rational_weights_become_formulas():
    # floors_travelled with equal weights is exact anyway; shapley gives thirds
    project = make_project(floors=4, per_floor_units=3, sharing={"scheme": "elevator_rule"})
    result = compute_shares(project)
    wb = share_workbook(result, "en")
    ws = wb["Shares"]
    first, last, total = household_block(ws)
    assert any(
        isinstance(ws.cell(r, 5).value, str) and ws.cell(r, 5).value.startswith("=")
        for r in range(first, last + 1)
    )
    ev = Evaluator(wb)
    for i, h in enumerate(result.households):
        assert ev.cell("Shares", f"E{first + i}") == h.weight
        assert ev.cell("Shares", f"F{first + i}") == h.gross
    assert ev.cell("Shares", f"J{total}") == result.to_share


def test_schedule_and_running_sheets(sample):
    project, result = sample
    wb = share_workbook(result, "zh", project=project)
    assert "付款计划" in wb.sheetnames and "运行费用" in wb.sheetnames
    ws = wb["付款计划"]
    ev = Evaluator(wb)
    last = 1 + len(result.households)
    assert ws.cell(last + 1, 5).value == f"=SUM(E2:E{last})"
    assert ev.cell("付款计划", f"E{last + 1}") == result.to_share
    for r in range(2, last + 1):
        assert ev.cell("付款计划", f"E{r}") == result.households[r - 2].share


def test_compare_workbook(sample):
    project, _ = sample
    results = [compute_shares(project, s) for s in ("area", "floor_coefficients")]
    wb = compare_workbook(project, results, "en")
    assert wb.sheetnames == ["Schemes", "area", "floor_coefficients", "Inputs"]
    ev = Evaluator(wb)
    n = len(project.building.households)
    for j, r in enumerate(results):
        col = "CD"[j]
        assert ev.cell("Schemes", f"{col}{4 + n}") == r.to_share
        first, last, total = household_block(wb[r.scheme.name])
        assert ev.cell(r.scheme.name, f"I{total}") == r.to_share


def test_cli_share_xlsx(tmp_path):
    out = tmp_path / "分摊.xlsx"
    assert cli.main(["share", str(SAMPLE), "--format", "xlsx", "--lang", "en", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Shares", "Inputs"] and "Schedule" in wb.sheetnames


def test_fixed_amounts_are_numbers_and_the_formula_shares_the_rest():
    cases = Path(__file__).resolve().parents[1] / "cases" / "projects"
    project = load_project(cases / "shanghai-jingan-fixed-low-floors.yaml")
    result = compute_shares(project)
    wb = share_workbook(result, "en")
    ws = wb["Shares"]
    first, last, total = household_block(ws)
    ev = Evaluator(wb)
    # 400,000 − 4 × 4,500 fixed = 382,000 shared by the formula
    assert ev.cell("Shares", "C3") == 382000
    for i, h in enumerate(result.households):
        assert ev.cell("Shares", f"F{first + i}") == h.gross
        assert (ws.cell(first + i, 6).value == 4500) == (h.fixed is not None)
    assert ev.cell("Shares", f"I{total}") == result.to_share == 400000
