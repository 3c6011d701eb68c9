"""The workbook never contradicts itself: every live formula, evaluated, equals the
library's table it sits in — with hardship aid, compensation, opt-outs and exempt floors,
for random projects and every scheme (issue 13: 519 of 2,000 random projects disagreed)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings

from elevator.core.errors import ProjectError
from elevator.documents.workbook import COL, compare_workbook, share_workbook
from elevator.model.io import parse_project
from elevator.plan.compose import shares
from tests.strategies import projects
from tests.xlsx_eval import Evaluator


def _rows(ws, n: int) -> tuple[int, int, int]:
    first = 6  # the household table starts under its heading on row 5
    return first, first + n - 1, first + n


def check_shares_sheet(ev: Evaluator, name: str, result) -> None:
    ws = ev.wb[name]
    first, last, total = _rows(ws, len(result.households))
    assert ev.cell(name, "C3") == result.amount_shared
    for i, h in enumerate(result.households):
        r = first + i
        assert ws[f"A{r}"].value == h.id
        assert ev.cell(name, f"{COL['weight']}{r}") == h.weight
        assert ev.cell(name, f"{COL['gross']}{r}") == h.gross
        assert ev.cell(name, f"{COL['aid']}{r}") == h.aid
        assert ev.cell(name, f"{COL['exact']}{r}") == h.exact  # the formula is the engine's
        assert ev.cell(name, f"{COL['rounded']}{r}") == h.share
        assert ev.cell(name, f"{COL['difference']}{r}") == h.share - h.exact
    assert ev.cell(name, f"{COL['gross']}{total}") == result.amount_shared
    assert ev.cell(name, f"{COL['aid']}{total}") == result.aid
    assert ev.cell(name, f"{COL['exact']}{total}") == result.to_share
    assert ev.cell(name, f"{COL['rounded']}{total}") == result.to_share
    assert ev.cell(name, f"{COL['rounded']}{total + 1}") == 0  # the check cell


def every_formula_evaluates(ev: Evaluator) -> None:
    """No formula of a kind the evaluator does not know (and so could not check)."""
    for ws in ev.wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    ev.cell(ws.title, c.coordinate)


def test_the_known_case_two_flats_aid_to_one():
    # two flats, 1,000 to share, aid 100 to A: B pays 500 in the table and in the formula
    p = parse_project(
        {
            "name": "two",
            "building": {
                "floors": 2,
                "households": [
                    {"id": "A", "floor": 2, "area_m2": 50},
                    {"id": "B", "floor": 2, "area_m2": 50},
                ],
            },
            "costs": {"total": 1000},
            "funding": {"subsidies": [{"name": "aid", "per_household": 100, "households": ["A"]}]},
            "sharing": {"scheme": "equal"},
        }
    )
    result = shares(p)
    ev = Evaluator(share_workbook(result, "en", project=p))
    b = 7
    assert ev.cell("Shares", f"{COL['gross']}{b}") == 500
    assert ev.cell("Shares", f"{COL['exact']}{b}") == 500
    assert ev.cell("Shares", f"{COL['difference']}{b}") == 0
    assert ev.cell("Shares", f"{COL['exact']}6") == 400
    check_shares_sheet(ev, "Shares", result)
    inputs = ev.wb["Inputs"]
    outlay = next(
        r
        for r in range(1, inputs.max_row + 1)
        if inputs.cell(r, 1).value == ("Residents' combined outlay")
    )
    assert ev.cell("Inputs", f"B{outlay}") == result.to_share == 900


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_every_formula_equals_its_table(data):
    try:
        project = parse_project(data)
        result = shares(project)
    except ProjectError:
        return  # a scheme that does not apply to this draw (checked elsewhere)
    ev = Evaluator(share_workbook(result, "zh", project=project))
    check_shares_sheet(ev, "分摊表", result)
    every_formula_evaluates(ev)
    if result.running:
        ws = ev.wb["运行费用"]
        for i, h in enumerate(result.running.households, start=2):
            assert ev.cell(ws.title, f"C{i}") == h.total
    if project.payment_schedule:
        n = len(result.households)
        for i, h in enumerate(result.households, start=2):
            assert ev.cell("付款计划", f"D{i}") == h.share
        assert ev.cell("付款计划", f"D{n + 2}") == result.to_share


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(schemes=["area"]))
def test_compare_workbook_each_scheme_sheet_equals_its_table(data):
    project = parse_project(data)
    results = []
    for scheme in ("area", "equal", "floors_travelled"):
        try:
            results.append(shares(project, scheme))
        except ProjectError:
            continue
    if not results:
        return
    ev = Evaluator(compare_workbook(project, results, "en"))
    for r in results:
        check_shares_sheet(ev, r.scheme.name, r)
    every_formula_evaluates(ev)
    assert sum((h.share for h in results[0].households), Fraction(0)) == results[0].to_share
