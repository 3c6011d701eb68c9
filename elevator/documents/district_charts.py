"""District charts (matplotlib, PNG bytes, Chinese by default): the subsidy budget
against the households served, one point per policy × scheme; and each floor's share
(median, with the 90th percentile and the highest) per run.  Floats only for drawing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from elevator.core.text import t
from elevator.district.simulate import Run
from elevator.documents.charts import _figure, _money_axis, _png, floor_label
from elevator.documents.district import run_label


def budget_png(table: pd.DataFrame, lang: str = "zh") -> bytes:
    fig, ax = _figure()
    for _, s in table.iterrows():
        x, y = s["households_served"], s["budget_fen"] / 100
        ax.scatter([x], [y], s=40)
        ax.annotate(
            run_label(s["policy"], s["scheme"], lang),
            (x, y),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
        )
    ax.set_title(t("district.chart.budget_title", lang))
    ax.set_xlabel(t("district.col.households_served", lang))
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    _money_axis(ax, lang)
    return _png(fig)


def floors_png(table: pd.DataFrame, lang: str = "zh") -> bytes:
    fig, ax = _figure(width=8.0)
    n = max(1, len(table))
    width = 0.8 / n
    all_floors: list[int] = []
    for i, (_, s) in enumerate(table.iterrows()):
        f = s["floors"]
        if f.empty:
            continue
        xs = f["floor"] + (i - (n - 1) / 2) * width
        median, p90, top = f["median"] / 100, f["p90"] / 100, f["max"] / 100
        ax.bar(xs, median, width, label=run_label(s["policy"], s["scheme"], lang))
        ax.errorbar(xs, median, yerr=[0 * median, p90 - median], fmt="none", ecolor="#333333")
        ax.scatter(xs, top, marker="_", color="#aa3333", s=60)
        all_floors = sorted(set(all_floors) | set(int(v) for v in f["floor"]))
    ax.set_xticks(all_floors, [floor_label(v, lang) for v in all_floors])
    ax.set_title(t("district.chart.floors_title", lang), fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    _money_axis(ax, lang)
    return _png(fig)


def write_charts(
    runs: list[Run], table: pd.DataFrame, folder: Path, lang: str = "zh"
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, png in (
        ("budget.png", budget_png(table, lang)),
        ("floors.png", floors_png(table, lang)),
    ):
        path = folder / name
        path.write_bytes(png)
        out.append(path)
    return out
