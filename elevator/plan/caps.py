"""Caps with redistribution: nobody pays more than its cap; the excess goes to the others
by the scheme's own weights, again and again, until nobody is above its cap.

A cap is an amount, or months of a stated monthly income (the way Spain's Ley de
Propiedad Horizontal art. 10.1.b lets an owner refuse an accessibility work whose yearly
charge after subsidies exceeds 12 ordinary monthly fees; policy-facts.md §8 [W]).

    gross_h = λ · w_h for the uncapped, cap_h + comp_h for the capped,
    Σ gross_h = amount shared (to_share + compensation + hardship aid)

Each round fixes every household above its cap at the cap; the level λ of the others then
only rises, so a household once capped stays capped, and the rounds end after at most one
per household.  When every household is capped and money is still missing, it cannot be
done: `shortfall` says how much.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from elevator.core.errors import problem
from elevator.core.money import ROUNDING_UNITS, money_str, round_to_total

if TYPE_CHECKING:
    from elevator.model.project import Project


@dataclass(frozen=True, kw_only=True)
class Cap:
    """An amount, or `months` × `monthly_income` (both given)."""

    amount: Fraction | None = None
    months: Fraction | None = None
    monthly_income: Fraction | None = None

    def value(self, where: str) -> Fraction:
        if self.amount is not None and self.months is None and self.monthly_income is None:
            value = self.amount
        elif self.amount is None and self.months is not None and self.monthly_income is not None:
            value = self.months * self.monthly_income
        else:
            raise problem(where, "caps.error.shape")
        if value < 0:
            raise problem(where, "caps.error.negative")
        return value


@dataclass(frozen=True, kw_only=True)
class CapRound:
    capped: tuple[str, ...]  # households fixed at their cap in this round
    excess: Fraction  # what they would have paid above their caps, passed on


@dataclass(frozen=True, kw_only=True)
class CapResult:
    possible: bool
    shortfall: Fraction  # money still missing when everyone is at the cap (0: possible)
    caps: dict[str, Fraction]
    exact: dict[str, Fraction]  # exact net per household (after hardship aid)
    shares: dict[str, Fraction]  # rounded nets, adding up to the amount to share
    before: dict[str, Fraction]  # the scheme's own nets, for comparison
    rounds: tuple[CapRound, ...]


def capped_shares(project: "Project", caps: Mapping[str, Cap | Fraction]) -> CapResult:
    from elevator.plan.compose import shares  # noqa: PLC0415

    result = shares(project)
    order = [h.id for h in project.building.households]
    ids = set(order)
    limit: dict[str, Fraction] = {}
    for hid, cap in caps.items():
        where = f"caps.{hid}"
        if hid not in ids:
            raise problem(where, "deal.error.no_household", household=hid)
        limit[hid] = cap.value(where) if isinstance(cap, Cap) else Fraction(cap)
        if limit[hid] < 0:
            raise problem(where, "caps.error.negative")
    payers = {h.id: h for h in result.households if h.payer}
    comp = {h.id: h.compensation for h in result.households}
    total = result.amount_shared
    # households with an agreed fixed amount (sharing.fixed) pay it whatever the caps:
    # they start fixed, and only the scheme's payers share what is left
    gross = {h.id: h.gross for h in result.households if h.payer and h.fixed is not None}
    for k, agreed in gross.items():  # a cap below an agreed amount cannot be kept: say so
        if k in limit and agreed - comp[k] > limit[k]:
            raise problem(
                f"caps.{k}",
                "caps.error.below_fixed",
                household=k,
                fixed=money_str(agreed - comp[k]),
                cap=money_str(limit[k]),
            )
    fixed: set[str] = set(gross)
    rounds = []
    while True:
        free = [k for k in payers if k not in fixed]
        remaining = total - sum((gross[k] for k in fixed), Fraction(0))
        weight = sum((payers[k].weight for k in free), Fraction(0))
        if not free or weight == 0:
            shortfall = remaining if remaining > 0 else Fraction(0)
            break
        level = remaining / weight
        over = [k for k in free if k in limit and level * payers[k].weight > limit[k] + comp[k]]
        for k in free:
            gross[k] = level * payers[k].weight
        if not over:
            shortfall = Fraction(0)
            break
        excess = sum((gross[k] - limit[k] - comp[k] for k in over), Fraction(0))
        for k in over:
            gross[k] = limit[k] + comp[k]
        fixed.update(over)
        rounds.append(CapRound(capped=tuple(over), excess=excess))
    # the cap is on the share before hardship aid; the aid is still taken off afterwards
    aid = {h.id: h.aid for h in result.households}
    exact = {k: gross.get(k, Fraction(0)) - comp[k] - aid[k] for k in order}
    unit = ROUNDING_UNITS[project.sharing.rounding]
    rounded = round_to_total(exact, unit, order).rounded if not shortfall else {}
    return CapResult(
        possible=not shortfall,
        shortfall=shortfall,
        caps=limit,
        exact=exact,
        shares=rounded,
        before={h.id: h.exact for h in result.households},
        rounds=tuple(rounds),
    )
