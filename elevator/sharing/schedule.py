"""Payment schedule: each household's rounded share split into instalments.

The instalments of a household add up to its rounded share, and each
instalment's column adds up to that instalment's rounded total, both exactly
(`money.round_matrix`, a controlled rounding: every cell is its exact part
rounded down or up to the rounding unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from elevator.core.money import round_matrix
from elevator.model.project import Instalment, Project
from elevator.sharing.engine import ShareResult


@dataclass(frozen=True, kw_only=True)
class Schedule:
    instalments: tuple[Instalment, ...]
    ids: tuple[str, ...]
    cells: dict[str, tuple[Fraction, ...]]  # household id → one amount per instalment
    column_totals: tuple[Fraction, ...]
    exact_column_totals: tuple[Fraction, ...]  # total × percent, before rounding
    total: Fraction

    def row_total(self, hid: str) -> Fraction:
        return sum(self.cells[hid], Fraction(0))


def payment_schedule(project: Project, result: ShareResult) -> Schedule | None:
    """The project's schedule applied to the rounded shares; None without a schedule."""
    plan = project.payment_schedule
    if not plan:
        return None
    ids = tuple(h.id for h in result.households)
    shares = {h.id: h.share for h in result.households}
    columns = round_matrix(shares, [i.percent for i in plan], result.rounding.unit, list(ids))
    total = sum(shares.values(), Fraction(0))
    return Schedule(
        instalments=tuple(plan),
        ids=ids,
        cells={k: tuple(c[k] for c in columns) for k in ids},
        column_totals=tuple(sum(c.values(), Fraction(0)) for c in columns),
        exact_column_totals=tuple(total * i.percent / 100 for i in plan),
        total=total,
    )
