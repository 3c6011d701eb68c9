"""Financing options compared: the present cost per household over the elevator's life.

All flows are monthly and discounted at a stated yearly rate d (nominal, i = d/1200 a
month), so every present value is an exact Fraction:

    annuity(n, i) = (1 − (1 + i)^−n) / i      (n months; n when i = 0)

at_once      the household's share now, plus its running costs each month of the life
instalments  a down payment now; the rest borrowed at a stated yearly rate r over N years
             (j = r/1200, payment = borrowed · j / (1 − (1 + j)^−12N)), plus running
             costs.  Whoever lends (the elevator company, a bank, a housing fund) pre-
             finances the borrowed part of every household: that gap is shown
lease        a company builds and owns the elevator; each household pays a monthly fee
             (per floor) for the life, running costs included; no construction share
per_ride     the same, paid per ride: fee × rides a month (per floor)

Households whose share is negative (compensation) receive it now in the two owning
options; the leasing options know no compensation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from elevator.core.errors import problem

if TYPE_CHECKING:
    from elevator.model.project import Project

OPTIONS = ("at_once", "instalments", "lease", "per_ride")


@dataclass(frozen=True, kw_only=True)
class FinancingTerms:
    life_years: int  # the elevator's life over which costs are compared
    discount_rate: Fraction  # yearly, percent (nominal)
    instalment_years: int | None = None
    instalment_rate: Fraction = Fraction(0)  # yearly, percent (nominal)
    down_payment_percent: Fraction = Fraction(0)
    financier: str | None = None  # who pre-finances the instalments
    lease_monthly: Mapping[int, Fraction] = field(default_factory=dict)  # floor → fee
    ride_fee: Fraction | None = None
    rides_per_month: Mapping[int, Fraction] = field(default_factory=dict)  # floor → rides


@dataclass(frozen=True, kw_only=True)
class OptionCost:
    option: str
    present: dict[str, Fraction]  # household → present cost
    paid: dict[str, Fraction]  # household → money paid in total, undiscounted
    monthly: dict[str, Fraction]  # household → the monthly payment (0 when none)

    @property
    def total(self) -> Fraction:
        return sum(self.present.values(), Fraction(0))


@dataclass(frozen=True, kw_only=True)
class FinancingComparison:
    terms: FinancingTerms
    households: tuple[tuple[str, int], ...]  # (id, floor)
    shares: dict[str, Fraction]
    options: tuple[OptionCost, ...]
    prefinanced: Fraction  # what the financier advances for the instalments
    cheapest: dict[str, str]  # household → its cheapest option


def annuity(months: int, rate: Fraction) -> Fraction:
    """Present value of 1 paid at the end of each of `months` months at monthly `rate`."""
    if rate == 0:
        return Fraction(months)
    return (1 - (1 + rate) ** -months) / rate


def instalment_payment(borrowed: Fraction, months: int, rate: Fraction) -> Fraction:
    """The level monthly payment that repays `borrowed` over `months` at monthly `rate`."""
    return borrowed / annuity(months, rate)


def _check(terms: FinancingTerms) -> None:
    if terms.life_years < 1:
        raise problem("financing.life_years", "financing.error.positive")
    for name in ("discount_rate", "instalment_rate", "down_payment_percent"):
        if getattr(terms, name) < 0:
            raise problem(f"financing.{name}", "error.field.negative", name=name)
    if terms.down_payment_percent > 100:
        raise problem("financing.down_payment_percent", "financing.error.percent")
    if terms.instalment_years is not None and not 1 <= terms.instalment_years <= terms.life_years:
        raise problem("financing.instalment_years", "financing.error.instalment_years")


def compare_financing(project: "Project", terms: FinancingTerms) -> FinancingComparison:
    """Each option's present cost per household (the project's own split for the shares)."""
    from elevator.plan.compose import shares  # noqa: PLC0415

    _check(terms)
    result = shares(project)
    rows = list(result.households)
    share = {h.id: h.share for h in rows}
    running = {h.id: Fraction(0) for h in rows}
    if result.running is not None:
        running = {r.id: r.annual / 12 for r in result.running.households}
    months = terms.life_years * 12
    i = terms.discount_rate / 1200
    life = annuity(months, i)
    options = [_at_once(share, running, life, months)]
    prefinanced = Fraction(0)
    if terms.instalment_years is not None:
        option, prefinanced = _instalments(share, running, life, months, i, terms)
        options.append(option)
    floor = {h.id: h.floor for h in rows}
    users = {h.id for h in rows if h.participates}  # who opted out neither rides nor pays
    if terms.lease_monthly:
        fee = {k: terms.lease_monthly.get(floor[k], Fraction(0)) * (k in users) for k in share}
        options.append(_monthly("lease", fee, life, months))
    if terms.ride_fee is not None:
        fee = {
            k: terms.ride_fee * terms.rides_per_month.get(floor[k], Fraction(0)) * (k in users)
            for k in share
        }
        options.append(_monthly("per_ride", fee, life, months))
    cheapest = {
        k: min(options, key=lambda o: (o.present[k], OPTIONS.index(o.option))).option for k in share
    }
    return FinancingComparison(
        terms=terms,
        households=tuple((h.id, h.floor) for h in rows),
        shares=share,
        options=tuple(options),
        prefinanced=prefinanced,
        cheapest=cheapest,
    )


def _at_once(share, running, life, months) -> OptionCost:
    return OptionCost(
        option="at_once",
        present={k: share[k] + running[k] * life for k in share},
        paid={k: share[k] + running[k] * months for k in share},
        monthly=dict(running),
    )


def _instalments(share, running, life, months, i, terms) -> tuple[OptionCost, Fraction]:
    n = terms.instalment_years * 12
    j = terms.instalment_rate / 1200
    present, paid, monthly = {}, {}, {}
    lent = Fraction(0)
    for k, s in share.items():
        borrowed = s * (100 - terms.down_payment_percent) / 100 if s > 0 else Fraction(0)
        payment = instalment_payment(borrowed, n, j) if borrowed else Fraction(0)
        lent += borrowed
        down = s - borrowed
        present[k] = down + payment * annuity(n, i) + running[k] * life
        paid[k] = down + payment * n + running[k] * months
        monthly[k] = payment + running[k]
    return OptionCost(option="instalments", present=present, paid=paid, monthly=monthly), lent


def _monthly(option: str, fee: dict[str, Fraction], life, months) -> OptionCost:
    return OptionCost(
        option=option,
        present={k: v * life for k, v in fee.items()},
        paid={k: v * months for k, v in fee.items()},
        monthly=dict(fee),
    )
