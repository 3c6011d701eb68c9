"""Caps kept in the plan: the capped households' amounts as agreed fixed amounts
(`sharing.fixed`), offered only when the plan with them gives exactly the capped split.

A capped household pays its cap (before hardship aid) whatever the scheme says, which is
what a fixed amount is; the scheme then shares the rest among the others.  A fixed amount
is written before compensation, so it is the cap plus the household's compensation.  For
schemes whose weights do not change when payers leave (floor coefficients, area) the plan
then gives the capped table to the fen; for others (the airport rules, Shapley: a
household's weight depends on who else pays) it does not, and nothing is offered.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from pydantic import ValidationError

from elevator.core.errors import ProjectError
from elevator.model.project import FixedAmount
from elevator.plan.caps import CapResult
from elevator.sharing.engine import compensation_by_household

if TYPE_CHECKING:
    from elevator.model.project import Project


def capped_households(result: CapResult) -> list[str]:
    """The households held at their cap, in the order the rounds fixed them."""
    return [k for rnd in result.rounds for k in rnd.capped]


def caps_as_fixed(project: "Project", result: CapResult) -> dict[str, Fraction] | None:
    """Household → the fixed amount that keeps it at its cap; None when the caps cannot
    hold, nobody is above its cap, or the plan with these amounts would not give the
    capped split exactly (to the fen, every household)."""
    from elevator.plan.compose import shares  # noqa: PLC0415

    capped = capped_households(result)
    if not result.possible or not capped:
        return None
    comp = compensation_by_household(project)
    amounts = {k: result.caps[k] + comp[k] for k in capped}
    try:
        added = [FixedAmount(household=k, amount=v) for k, v in amounts.items()]
    except ValidationError:  # a cap of months × income that is not whole fen
        return None
    sharing = project.sharing.model_copy(update={"fixed": [*project.sharing.fixed, *added]})
    try:
        after = shares(project.model_copy(update={"sharing": sharing}))
    except ProjectError:
        return None
    if {h.id: h.share for h in after.households} != result.shares:
        return None
    return amounts


__all__ = ["capped_households", "caps_as_fixed"]
