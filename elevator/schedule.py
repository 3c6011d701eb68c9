"""Payment schedule: each household's rounded share split into instalments.

The instalments of a household add up to its rounded share, and each
instalment's column adds up to that instalment's rounded total, both exactly
(`money.round_matrix`, a controlled rounding: every cell is its exact part
rounded down or up to the rounding unit).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .i18n import t
from .model import Instalment, Project
from .money import money_str, round_matrix
from .report import weight_str
from .sharing import ShareResult


@dataclass(frozen=True)
class Schedule:
    instalments: tuple[Instalment, ...]
    ids: tuple[str, ...]
    cells: dict[str, tuple[Fraction, ...]]     # household id → one amount per instalment
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
    return Schedule(tuple(plan), ids, {k: tuple(c[k] for c in columns) for k in ids},
                    tuple(sum(c.values(), Fraction(0)) for c in columns),
                    tuple(total * i.percent / 100 for i in plan), total)


def schedule_rows(schedule: Schedule, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """Room, one column per instalment ("签约 30%"), and the household's total."""
    heads = []
    for i in schedule.instalments:
        due = f" ({i.due})" if i.due else ""
        heads.append(f"{i.name} {weight_str(i.percent)}%{due}")
    headers = [t("room", lang), *heads, t("net", lang)]
    rows = [[hid, *(money_str(a) for a in schedule.cells[hid]), money_str(schedule.row_total(hid))]
            for hid in schedule.ids]
    rows.append([t("total", lang), *(money_str(a) for a in schedule.column_totals),
                 money_str(schedule.total)])
    return headers, rows


def schedule_note(lang: str = "zh") -> str:
    if lang == "zh":
        return ("每笔款项为精确金额向下或向上取整到舍入单位；每户各期之和等于其应付净额，"
                "每期各户之和等于该期合计，两者均完全相等。")
    return ("Each instalment is its exact part rounded down or up to the rounding unit; each "
            "household's instalments add up to its net amount and each instalment's column adds "
            "up to that instalment's total, both exactly.")
