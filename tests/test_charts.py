"""Charts render Chinese in the embedded font (a missing glyph fails the test: pytest
turns matplotlib's "Glyph … missing from font" warning into an error)."""

from __future__ import annotations

import io
import warnings
from fractions import Fraction

import pytest

from elevator.documents import charts
from elevator.model.io import load_project
from elevator.sharing.engine import compute_shares
from tests.helpers import SAMPLE

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sample():
    project = load_project(SAMPLE)
    return project, compute_shares(project)


def test_compare_png(sample):
    project, _ = sample
    results = [compute_shares(project, s) for s in ("area", "floor_coefficients", "shapley")]
    assert charts.compare_png(results, "zh").startswith(PNG)


def test_whatif_png(sample):
    project, _ = sample
    assert charts.subsidy_whatif_png(project, "zh").startswith(PNG)


def test_chinese_glyphs_are_found():
    charts.setup_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    ax.set_title("各楼层户均应付净额 1层 2层 补贴合计（元）")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")


def test_missing_glyph_would_fail():
    # the same title in a Latin-only font warns: the filter above is not toothless
    charts.setup_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure()
    fig.subplots().set_title("楼层", fontfamily="DejaVu Sans")
    with pytest.warns(UserWarning, match="Glyph .* missing from font"):
        fig.savefig(io.BytesIO(), format="png")


def test_floor_values_average_the_participants(sample):
    _, result = sample
    values = charts.floor_values(result)
    assert values[1] == Fraction(-5000)  # both exempt, compensated
    six = [h.share for h in result.households if h.floor == 6 and h.participates]
    assert values[6] == sum(six) / len(six)  # 602 opted out: not counted


def test_subsidy_sweep(sample):
    project, result = sample
    xs, lines, current = charts.subsidy_sweep(project, steps=11)
    assert current == result.subsidies == 100000
    assert xs[0] == 0 and xs[-1] == result.construction_cost - result.contributions
    # at no subsidy each floor pays more than now, at the whole cost the payers only
    # carry the compensation they owe the ground floor
    for floor, values in lines.items():
        assert len(values) == 11
        if floor > 1:
            assert values[0] > charts.floor_values(result)[floor] > values[-1]
            assert all(a >= b for a, b in zip(values, values[1:]))
    top = compute_shares(charts.with_subsidy(project, xs[-1]))
    assert top.to_share == 0
    assert [lines[f][-1] for f in sorted(lines)] == list(charts.floor_values(top).values())
