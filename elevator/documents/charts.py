"""Charts for residents (matplotlib, Agg): PNG bytes, Chinese labels in the embedded CJK font.

What a chart shows per floor is the average rounded net amount of the floor's
participating households (户均应付净额): the number a resident compares with the
neighbours upstairs.  Every point comes from `sharing.compute_shares`; the
"what if the subsidy grows" chart recomputes a copy of the project per point.
Floats appear only here, for drawing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction

from elevator.core.text import t
from elevator.documents.fonts import setup_matplotlib
from elevator.documents.tables import scheme_label
from elevator.model.project import Project, Subsidy
from elevator.plan.compose import shares as compute_shares
from elevator.sharing.engine import ShareResult


def floor_label(floor: int, lang: str) -> str:
    return t("chart.floor", lang, floor=floor)


def floor_values(result: ShareResult) -> dict[int, Fraction]:
    """Floor → average rounded net of its participating households (opted-out ones excluded)."""
    groups: dict[int, list[Fraction]] = {}
    for h in result.households:
        if h.participates:
            groups.setdefault(h.floor, []).append(h.share)
    return {f: sum(v, Fraction(0)) / len(v) for f, v in sorted(groups.items())}


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    return buf.getvalue()


def _figure(width: float = 7.0, height: float = 3.6):
    setup_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    ax = fig.subplots()
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _money_axis(ax, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel(t("chart.yuan", lang))


def compare_png(results: Sequence[ShareResult], lang: str = "zh") -> bytes:
    """Grouped bars: one group per floor, one bar per scheme."""
    per = [floor_values(r) for r in results]
    floors = sorted({f for v in per for f in v})
    fig, ax = _figure(width=min(10.0, max(7.0, 1.1 * len(floors) * max(1, len(results)) / 2.5)))
    n = max(1, len(results))
    width = 0.8 / n
    for i, (r, values) in enumerate(zip(results, per)):
        xs = [k + (i - (n - 1) / 2) * width for k in range(len(floors))]
        label = scheme_label(r.scheme, lang)
        ax.bar(xs, [float(values.get(f, 0)) for f in floors], width, label=label)
    ax.set_xticks(range(len(floors)), [floor_label(f, lang) for f in floors])
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_title(t("chart.compare_title", lang))
    ax.legend(fontsize=8, frameon=False)
    _money_axis(ax, lang)
    return _png(fig)


def with_subsidy(project: Project, amount: Fraction) -> Project:
    """A copy of the project whose subsidies are replaced by one fixed amount."""
    subsidy = Subsidy(name=t("chart.whatif_subsidy", "zh"), per_elevator=amount)
    funding = project.funding.model_copy(update={"subsidies": [subsidy]})
    return project.model_copy(update={"funding": funding})


def subsidy_sweep(
    project: Project, scheme: str | None = None, steps: int = 21
) -> tuple[list[Fraction], dict[int, list[Fraction]], Fraction]:
    """Subsidy from 0 to everything the contributions leave; floor → values per point.

    Returns (subsidies, per-floor values, the project's current subsidy).
    """
    base = compute_shares(project, scheme)
    top = base.construction_cost - base.contributions
    xs = [top * i / (steps - 1) for i in range(steps)]
    lines: dict[int, list[Fraction]] = {}
    for x in xs:
        values = floor_values(compute_shares(with_subsidy(project, x), scheme))
        for f, v in values.items():
            lines.setdefault(f, []).append(v)
    return xs, lines, base.subsidies


def subsidy_whatif_png(project: Project, lang: str = "zh", scheme: str | None = None) -> bytes:
    xs, lines, current = subsidy_sweep(project, scheme)
    fig, ax = _figure()
    fx = [float(x) for x in xs]
    for f, values in lines.items():
        ax.plot(
            fx,
            [float(v) for v in values],
            marker="o",
            markersize=2.5,
            linewidth=1.4,
            label=floor_label(f, lang),
        )
    ax.axvline(float(current), color="#aa3333", linestyle="--", linewidth=1)
    ax.annotate(
        t("chart.current", lang),
        (float(current), ax.get_ylim()[1]),
        color="#aa3333",
        fontsize=8,
        ha="left",
        va="top",
        xytext=(3, 0),
        textcoords="offset points",
    )
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_title(t("chart.whatif_title", lang), fontsize=10)
    ax.set_xlabel(t("chart.subsidy_axis", lang))
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.legend(fontsize=8, frameon=False, ncol=2)
    _money_axis(ax, lang)
    return _png(fig)
