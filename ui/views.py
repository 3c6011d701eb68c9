"""What the pages show, computed from plain project data — no NiceGUI here.

Every number comes from the library (`compute_shares`, `report.*_rows`); this
module only reshapes rows for `ui.table` and options for `ui.echart`, so the
benchmark can time exactly what a page does when an input changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from elevator.core.errors import Problem, ProjectError
from elevator.core.money_text import format_yuan
from elevator.core.text import t
from elevator.documents.comparison import property_rows, share_rows
from elevator.documents.tables import (
    check_lines,
    formula_legend,
    formula_line,
    funding_rows,
    household_rows,
    running_rows,
)
from elevator.model.io import parse_project
from elevator.plan.compare import compare
from elevator.plan.compose import shares as compute_shares
from elevator.sharing.engine import ShareResult
from elevator.sharing.formulas import formula_for_result
from elevator.sharing.schemes import SCHEMES


def table(headers: list[str], rows: list[list[str]]) -> tuple[list[dict], list[dict]]:
    """Headers and rows of strings → ui.table columns and rows."""
    columns = [
        {"name": f"c{i}", "label": h, "field": f"c{i}", "align": "left" if i == 0 else "right"}
        for i, h in enumerate(headers)
    ]
    return columns, [
        {f"c{i}": cell for i, cell in enumerate(row)} | {"_k": n} for n, row in enumerate(rows)
    ]


# the columns that hold money (catalogue keys of their headings): shown with thousands
# separators in the app; the documents keep the plain decimal strings
MONEY_LABELS = (
    "label.gross_share",
    "label.compensation",
    "label.aid",
    "label.net",
    "label.amount",
    "label.annual",
)
_DECIMAL = re.compile(r"^-?\d+\.\d\d$")


def grouped(
    headers: list[str], rows: list[list[str]], lang: str, extra: tuple[str, ...] = ()
) -> tuple[list[str], list[list[str]]]:
    """The same table with money cells as people read them (1,234,567.50)."""
    money = {t(k, lang) for k in MONEY_LABELS} | set(extra)
    cols = [i for i, h in enumerate(headers) if h in money]
    out = []
    for row in rows:
        row = list(row)
        for i in cols:
            if i < len(row) and _DECIMAL.match(row[i] or ""):
                row[i] = format_yuan(Fraction(row[i]))
        out.append(row)
    return headers, out


@dataclass(kw_only=True)
class SharingView:
    problems: list[Problem] = field(default_factory=list)
    result: ShareResult | None = None
    households: tuple[list[dict], list[dict]] = ([], [])
    funding: tuple[list[dict], list[dict]] = ([], [])
    running: tuple[list[dict], list[dict]] | None = None
    chart: dict[str, Any] = field(default_factory=dict)
    formula_text: str = ""
    formula_legend: str = ""
    words: str = ""
    checks: list[str] = field(default_factory=list)  # fairness checks, heading first
    rounding: str = ""
    total: str = ""
    mine: tuple[str, str, str] | None = None  # (id, net to pay, per year running)


def validate(data: dict) -> tuple[Any, list[Problem]]:
    try:
        return parse_project(data), []
    except ProjectError as e:
        return None, e.problems


def sharing_view(data: dict, lang: str = "zh", mine: str | None = None) -> SharingView:
    """Validate, share and lay out one stairwell; problems instead of a result if invalid."""
    project, problems = validate(data)
    if problems:
        return SharingView(problems=problems)
    try:
        result = compute_shares(project)
    except ProjectError as e:
        return SharingView(problems=e.problems)
    headers, rows = grouped(*household_rows(result, lang), lang)
    if mine:
        rows = [(["★ " + r[0]] + r[1:]) if r[0] == mine else r for r in rows]
    formula = formula_for_result(result)
    view = SharingView(
        result=result,
        households=table(headers, rows),
        funding=table(*grouped(*funding_rows(result, lang), lang)),
        running=(
            table(*grouped(*running_rows(result, lang), lang, (years_heading(result, lang),)))
            if result.running
            else None
        ),
        chart=floor_chart(result, lang, mine),
        formula_text=formula_line(formula, lang),  # as residents read it, like the PDF
        formula_legend=formula_legend(formula, lang),
        words=t(f"scheme.{result.scheme.name}.words", lang),
        checks=check_lines(result, project, lang),
        rounding=result.rounding.text(lang),
        total=format_yuan(sum((h.share for h in result.households), Fraction(0))),
    )
    if mine:
        by_id = result.by_id()
        if mine in by_id:
            run = ""
            if result.running:
                run = next(format_yuan(r.annual) for r in result.running.households if r.id == mine)
            view.mine = (mine, format_yuan(by_id[mine].share), run)
    return view


def years_heading(result: ShareResult, lang: str) -> str:
    assert result.running is not None
    return t("label.years_total", lang, years=result.running.years)


def floor_chart(result: ShareResult, lang: str, mine: str | None = None) -> dict[str, Any]:
    """Bar chart: each household's net share, in floor order, one colour per floor."""
    hs = sorted(result.households, key=lambda h: (h.floor, h.id))
    palette = ["#0f766e", "#0369a1", "#7c3aed", "#b45309", "#be123c", "#4d7c0f", "#334155"]
    data = [
        {
            "value": float(h.share),
            "itemStyle": {"color": "#f59e0b" if h.id == mine else palette[h.floor % len(palette)]},
        }
        for h in hs
    ]
    return {
        "title": {
            "text": t("ui.chart.net_by_household", lang),
            "textStyle": {"fontSize": 13},
        },
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 60, "right": 10, "bottom": 40, "top": 40},
        "xAxis": {"type": "category", "data": [f"{h.id}" for h in hs], "axisLabel": {"rotate": 45}},
        "yAxis": {"type": "value", "name": t("ui.unit.yuan", lang)},
        "series": [{"type": "bar", "data": data}],
    }


@dataclass(kw_only=True)
class CompareView:
    problems: list[Problem] = field(default_factory=list)
    table: tuple[list[dict], list[dict]] = ([], [])
    chart: dict[str, Any] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (scheme, why)
    legend: str = ""  # what ✓ × — mean


def compare_view(data: dict, schemes: list[str], lang: str = "zh") -> CompareView:
    project, problems = validate(data)
    if problems:
        return CompareView(problems=problems)
    c = compare(project, schemes)
    skipped = [(name, f"{p.zh} / {p.en}") for name, p in c.skipped]
    if not c.results:
        return CompareView(skipped=skipped)
    headers, rows = share_rows(c, lang)
    # the fairness properties of each split (✓ / × / —) under the shares
    rows += property_rows(c, lang)
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 60, "right": 10, "bottom": 40, "top": 40},
        "xAxis": {
            "type": "category",
            "data": [h.id for h in c.results[0].households],
            "axisLabel": {"rotate": 45},
        },
        "yAxis": {"type": "value", "name": t("ui.unit.yuan", lang)},
        "series": [
            {
                "type": "bar",
                "name": t(f"scheme.{r.scheme.name}", lang),
                "data": [float(h.share) for h in r.households],
            }
            for r in c.results
        ],
    }
    return CompareView(
        table=table(headers, rows),
        chart=chart,
        skipped=skipped,
        legend=t("doc.compare.marks", lang),
    )


def scheme_options(lang: str) -> dict[str, str]:
    return {name: t(f"scheme.{name}", lang) for name in SCHEMES}
