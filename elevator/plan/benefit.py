"""Benefit-based split: shares in proportion to each floor's estimated benefit (the value
change of a flat once the elevator is in), with compensation for floors whose benefit is
negative.

    N       = Σ over households with benefit b_h < 0 of −b_h   (their compensation)
    net_h   = (A + N) · b_h / Σ_{b>0} b      for b_h > 0
    net_h   = b_h  (= −compensation)          for b_h < 0;  0 for b_h = 0

so Σ net = A, the amount to share.  The benefit is entered per floor (yuan per household,
or per m² when `per_m2`); an estimate taken from a study carries its reference and
confidence mark, shown with the result.  The tool ships no study values: the one study
the project knows (a Shanghai resale study putting the break-even floor at 3F,
policy-facts.md §3 [W]) gives no per-floor amounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from elevator.core.errors import problem
from elevator.core.money import ROUNDING_UNITS, round_to_total

if TYPE_CHECKING:
    from elevator.model.project import Project


@dataclass(frozen=True, kw_only=True)
class BenefitEstimate:
    per_floor: Mapping[int, Fraction]  # yuan per household (or per m² when per_m2)
    per_m2: bool = False
    reference: str | None = None  # where the estimate comes from (a study, an appraisal)
    confidence: str | None = None  # source | weak | unverified, as the policy values


@dataclass(frozen=True, kw_only=True)
class BenefitResult:
    benefit: dict[str, Fraction]  # per household
    compensation: dict[str, Fraction]  # to households whose benefit is negative
    exact: dict[str, Fraction]
    shares: dict[str, Fraction]  # rounded, adding up to the amount to share
    amount: Fraction
    above_benefit: tuple[str, ...]  # households asked to pay more than they gain
    reference: str | None = None
    confidence: str | None = None


def benefit_shares(project: "Project", estimate: BenefitEstimate) -> BenefitResult:
    from elevator.plan.compose import shares  # noqa: PLC0415

    floors = project.building.floors
    for f in estimate.per_floor:
        if not 1 <= f <= floors:
            raise problem(f"benefit.per_floor.{f}", "benefit.error.floor", floor=f)
    if estimate.reference and estimate.confidence is None:
        raise problem("benefit.confidence", "benefit.error.confidence")
    households = [h for h in project.building.households if h.participates]
    benefit = {
        h.id: estimate.per_floor.get(h.floor, Fraction(0)) * (h.area_m2 if estimate.per_m2 else 1)
        for h in households
    }
    positive = sum((b for b in benefit.values() if b > 0), Fraction(0))
    if positive == 0:
        raise problem("benefit.per_floor", "benefit.error.no_gain")
    base = shares(project, "equal")
    amount = base.to_share
    compensation = {k: -b for k, b in benefit.items() if b < 0}
    raised = amount + sum(compensation.values(), Fraction(0))
    order = [h.id for h in project.building.households]
    exact = {k: Fraction(0) for k in order}
    for k, b in benefit.items():
        exact[k] = raised * b / positive if b > 0 else b
    unit = ROUNDING_UNITS[project.sharing.rounding]
    rounded = round_to_total(exact, unit, order).rounded
    return BenefitResult(
        benefit=benefit,
        compensation=compensation,
        exact=exact,
        shares=rounded,
        amount=amount,
        above_benefit=tuple(k for k, b in benefit.items() if b > 0 and exact[k] > b),
        reference=estimate.reference,
        confidence=estimate.confidence,
    )
