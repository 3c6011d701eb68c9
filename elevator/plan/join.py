"""Late joiners and households that leave: shares recomputed exactly, money moved to close.

Joining after construction (一户后加入):
    buy-in     = new_X − old_X, where new is `compute_shares` on a copy of the
                 project with X participating, old the split that was paid
    refund_i   = old_i − new_i for every other household; Σ refund_i = buy-in,
                 so after the refunds everyone has paid exactly the new split
    indexed    optionally × (1 + rate)^years (whole years, compound), rounded
                 half-up to the project's unit; the refunds are scaled by the same
                 factor and rounded by the largest-remainder method so they add
                 up exactly to the indexed buy-in

Leaving before construction (施工前退出): the same comparison the other way:
each remaining household's extra = new_i − old_i under the same scheme.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from elevator.core.errors import Problem, ProjectError, problem
from elevator.core.money import ROUNDING_UNITS, money_str, round_to_total, to_fraction
from elevator.core.text import Msg

if TYPE_CHECKING:
    from elevator.model.project import Project
    from elevator.sharing.engine import ShareResult


def with_participation(project: "Project", household: str, participates: bool) -> "Project":
    """A copy of the project with one household's `participates` changed."""
    households = [
        h.model_copy(update={"participates": participates}) if h.id == household else h
        for h in project.building.households
    ]
    return project.model_copy(
        update={"building": project.building.model_copy(update={"households": households})}
    )


def _household(project: "Project", household: str):
    for h in project.building.households:
        if h.id == household:
            return h
    raise problem("--household", "join.error.no_household", household=household)


# an elevator's service life is decades; a century bounds the exact compound factor
MAX_YEARS = 100


def parse_rate(value: object) -> Fraction:
    """'0.03', 0.03 or '3%' → 3/100."""
    text = str(value).strip()
    try:
        rate = to_fraction(text[:-1]) / 100 if text.endswith("%") else to_fraction(value)
    except (TypeError, ValueError, ArithmeticError):
        raise problem("--rate", "join.error.rate_number") from None
    if rate <= -1 or rate > 1:
        raise problem("--rate", "join.error.rate_range")
    return rate


def round_half_up(value: Fraction, unit: Fraction) -> Fraction:
    return ((value / unit) + Fraction(1, 2)).__floor__() * unit


@dataclass(frozen=True, kw_only=True)
class JoinResult:
    household: str
    old: "ShareResult"
    new: "ShareResult"
    buy_in: Fraction  # new_X − old_X (rounded shares: a whole number of units)
    factor: Fraction  # (1 + rate)^years, 1 without indexing
    rate: Fraction
    years: int
    buy_in_indexed: Fraction  # rounded half-up to the unit
    refunds: dict[str, Fraction]  # other households, rounded; Σ = buy_in_indexed
    final: dict[str, Fraction]  # what each has paid in the end (X: its buy-in)
    warnings: tuple[Msg, ...]


def _same_total(old: "ShareResult", new: "ShareResult") -> None:
    """Refunds move money between residents only when their total stays the same; hardship
    aid capped at a household's share can change that total, so refuse rather than lose it."""
    if old.to_share != new.to_share:
        raise ProjectError(
            [
                Problem(
                    "funding.subsidies",
                    Msg(
                        "join.error.total_changes",
                        before=money_str(old.to_share),
                        after=money_str(new.to_share),
                    ),
                )
            ]
        )


def late_join(
    project: "Project", household: str, rate: object = None, years: int | None = None
) -> JoinResult:
    from elevator.plan.compose import shares as compute_shares  # noqa: PLC0415

    h = _household(project, household)
    if h.participates:
        raise problem("--household", "join.error.already_in", household=household)
    rate_f = parse_rate(rate) if rate is not None else Fraction(0)
    if years is None:
        years = 0
    if years < 0 or (rate is not None and years == 0):
        raise problem("--years", "join.error.years")
    if years > MAX_YEARS:  # (1 + rate)^10,000,000 exactly would never finish
        raise problem("--years", "join.error.years_max", limit=MAX_YEARS)
    old = compute_shares(project)
    new = compute_shares(with_participation(project, household, True))
    _same_total(old, new)
    old_by, new_by = old.by_id(), new.by_id()
    buy_in = new_by[household].share - old_by[household].share
    factor = (1 + rate_f) ** years
    unit = ROUNDING_UNITS[old.sharing.rounding]
    others = [x.id for x in old.households if x.id != household]
    base = {k: old_by[k].share - new_by[k].share for k in others}
    indexed_exact = buy_in * factor
    indexed = round_half_up(indexed_exact, unit)
    scale = indexed / buy_in if buy_in else Fraction(0)
    refunds = round_to_total({k: base[k] * scale for k in others}, unit, others).rounded
    final = {k: old_by[k].share - refunds[k] for k in others}
    final[household] = old_by[household].share + indexed
    warnings = [
        Msg("join.warning.pays_more", household=k, amount=money_str(-refunds[k]))
        for k in others
        if refunds[k] < 0
    ]
    if buy_in <= 0:
        warnings.append(Msg("join.warning.no_rise", household=household))
    return JoinResult(
        household=household,
        old=old,
        new=new,
        buy_in=buy_in,
        factor=factor,
        rate=rate_f,
        years=years,
        buy_in_indexed=indexed,
        refunds=refunds,
        final=final,
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, kw_only=True)
class LeaveResult:
    household: str
    old: "ShareResult"
    new: "ShareResult"
    released: Fraction  # what the leaver no longer pays (old_X − new_X)
    extra: dict[str, Fraction]  # each remaining household: new − old; Σ = released


def leave(project: "Project", household: str) -> LeaveResult:
    from elevator.plan.compose import shares as compute_shares  # noqa: PLC0415

    h = _household(project, household)
    if not h.participates:
        raise problem("--household", "join.error.not_in", household=household)
    old = compute_shares(project)
    new = compute_shares(with_participation(project, household, False))
    _same_total(old, new)
    old_by, new_by = old.by_id(), new.by_id()
    extra = {
        x.id: new_by[x.id].share - old_by[x.id].share for x in old.households if x.id != household
    }
    return LeaveResult(
        household=household,
        old=old,
        new=new,
        released=old_by[household].share - new_by[household].share,
        extra=extra,
    )


def join_json(r: JoinResult) -> dict:
    old_by, new_by = r.old.by_id(), r.new.by_id()
    return {
        "household": r.household,
        "scheme": r.new.scheme.name,
        "buy_in": money_str(r.buy_in),
        "rate": str(r.rate),
        "years": r.years,
        "factor": str(r.factor),
        "buy_in_indexed": money_str(r.buy_in_indexed),
        "households": [
            {
                "id": h.id,
                "paid": money_str(old_by[h.id].share),
                "recomputed": money_str(new_by[h.id].share),
                "refund": money_str(r.refunds.get(h.id, Fraction(0)))
                if h.id != r.household
                else None,
                "final": money_str(r.final[h.id]),
            }
            for h in r.old.households
        ],
        "warnings": [str(w) for w in r.warnings],
    }


def leave_json(r: LeaveResult) -> dict:
    old_by, new_by = r.old.by_id(), r.new.by_id()
    return {
        "household": r.household,
        "scheme": r.new.scheme.name,
        "released": money_str(r.released),
        "households": [
            {
                "id": h.id,
                "before": money_str(old_by[h.id].share),
                "after": money_str(new_by[h.id].share),
                "extra": money_str(r.extra[h.id]) if h.id in r.extra else None,
            }
            for h in r.old.households
        ],
    }
