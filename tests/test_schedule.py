"""Payment schedules close on both axes, exactly, whatever the shares and percentages."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from elevator.core.money import ROUNDING_UNITS, round_matrix
from elevator.documents.tables import schedule_rows
from elevator.model.io import load_project
from elevator.sharing.engine import compute_shares
from elevator.sharing.schedule import payment_schedule
from tests.helpers import SAMPLE, project

units = st.sampled_from(list(ROUNDING_UNITS.values()))


@st.composite
def matrices(draw):
    unit = draw(units)
    n = draw(st.integers(0, 30))
    totals = {f"h{i}": unit * draw(st.integers(-50_000, 5_000_000)) for i in range(n)}
    if totals and draw(st.booleans()):  # one household carries an odd rest (yuan rounding)
        key = draw(st.sampled_from(sorted(totals)))
        totals[key] += unit * Fraction(draw(st.integers(1, 99)), 100)
    weights = draw(st.lists(st.integers(0, 100), min_size=1, max_size=6).filter(any))
    return totals, weights, unit


@settings(max_examples=300, deadline=None)
@given(matrices())
def test_instalments_close_on_both_axes(case):
    totals, weights, unit = case
    columns = round_matrix(totals, weights, unit)
    assert len(columns) == len(weights)
    grand = sum(totals.values(), Fraction(0))
    wsum = sum(weights)
    for k, total in totals.items():
        cells = [c[k] for c in columns]
        assert sum(cells, Fraction(0)) == total  # rows close exactly
        for j, cell in enumerate(cells):
            # same sign as the household's total: nobody pays back a payment in a later instalment
            assert cell * total >= 0 or cell == 0
            if (total / unit).denominator == 1:
                assert (cell / unit).denominator == 1  # whole units
                assert abs(cell - total * weights[j] / wsum) < unit  # within one unit of exact
    column_totals = [sum(c.values(), Fraction(0)) for c in columns]
    assert sum(column_totals, Fraction(0)) == grand  # columns close on the grand total
    for j, ct in enumerate(column_totals):
        assert abs(ct - grand * weights[j] / wsum) < 2 * unit  # each column is its rounded total


def test_tiny_share_is_never_paid_back():
    # the former round_matrix paid a 0.01 share as 0.01 + 0 + 0 + 0.01 − 0.01
    totals = {
        "0": Fraction(1, 100),
        "1": Fraction(-1, 100),
        "2": Fraction(1, 100),
        "3": Fraction(0),
        "4": Fraction(1, 100),
        "5": Fraction(0),
        "6": Fraction(0),
    }
    columns = round_matrix(totals, [8, 8, 5, 9, 7], Fraction(1, 100))
    for k, total in totals.items():
        cells = [c[k] for c in columns]
        assert sum(cells) == total
        assert all(c * total >= 0 for c in cells)
        assert sorted(map(abs, cells))[-1] <= abs(total)


def test_sample_schedule_matches_shares():
    proj = load_project(SAMPLE)
    result = compute_shares(proj)
    schedule = payment_schedule(proj, result)
    assert schedule is not None
    assert [i.name for i in schedule.instalments] == ["签约", "安装", "验收"]
    for h in result.households:
        assert schedule.row_total(h.id) == h.share
    assert sum(schedule.column_totals) == result.to_share
    # 30 / 50 / 20 of 410000.00 are whole fen already
    assert schedule.column_totals == (Fraction(123000), Fraction(205000), Fraction(82000))
    headers, rows = schedule_rows(schedule, "en")
    assert headers[1] == "签约 30%" and headers[-1] == "Net to pay"
    assert rows[-1] == ["Total", "123000.00", "205000.00", "82000.00", "410000.00"]


def test_no_schedule_without_plan():
    proj = project()
    assert payment_schedule(proj, compute_shares(proj)) is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 97), min_size=2, max_size=4),
    st.sampled_from(["fen", "yuan", "ten_yuan"]),
    st.integers(100_000, 900_000),
)
def test_project_schedules_close(percents, rounding, cost):
    rest = 100 - sum(percents[:-1]) if sum(percents[:-1]) < 100 else None
    if rest is None or rest <= 0:
        return
    plan = [{"name": f"第{i + 1}期", "percent": p} for i, p in enumerate(percents[:-1])]
    plan.append({"name": "尾款", "percent": rest})
    proj = project(
        payment_schedule=plan,
        costs={"total": cost + Fraction(37, 100)},  # odd fen
        compensation=[{"floor": 1, "per_household": 3000}],
        sharing={"scheme": "area", "rounding": rounding},
    )
    result = compute_shares(proj)
    schedule = payment_schedule(proj, result)
    for h in result.households:
        assert schedule.row_total(h.id) == h.share
    assert sum(schedule.column_totals) == result.to_share
    for j, _ in enumerate(plan):
        assert schedule.column_totals[j] == sum(schedule.cells[k][j] for k in schedule.ids)
