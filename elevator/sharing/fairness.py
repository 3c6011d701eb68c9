"""Fairness checks for any split, including hand-made coefficient tables.

The elevator is an airport problem (docs/fair-division.md): an elevator serving
up to floor f costs c_f.  A split is checked against

- no subsidy: for every floor f, the households on floors ≤ f together pay no
  more than c_f (with subsidies the amount shared is smaller than the cost, so
  the ladder is scaled by amount shared / construction cost).  Only positive
  payments are added up, which makes the check exact for *every* group of
  households, not just "everyone up to floor f";
- stand-alone cost: no household pays more than an elevator for it alone;
- equal treatment of equals: households on the same floor with the same area
  pay the same;
- monotone: the shares do not fall with the floor (per household, or per m²
  when the scheme weighs by area);
- non-negative: nobody is paid to take part (compensation aside).

Payments checked are the exact gross shares (before compensation and rounding).
`check(result, project)` is the API for the CLI, the printed table and the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from elevator.core.errors import ProjectError, problem
from elevator.core.money import fraction_str, money_str
from elevator.core.text import Msg, pair, t
from elevator.model.project import Project
from elevator.sharing.engine import ShareResult, construction_cost, floor_cost_function


def yuan(x: Fraction) -> str:
    """31000 → '31,000.00' (exact to the fen, rounded half-even beyond)."""
    text = money_str(x)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}.{frac}"


# the properties every split is checked for, in report order (names: catalogue `property.*`)
PROPERTIES = ("no_subsidy", "stand_alone", "equal_treatment", "monotone", "nonnegative")
# property → (zh, en) from the catalogue, for callers that take the pair
PROPERTY_LABELS: dict[str, tuple[str, str]] = {key: pair(f"property.{key}") for key in PROPERTIES}


@dataclass(frozen=True, kw_only=True)
class Violation:
    kind: str  # no_subsidy | stand_alone | equal_treatment | monotone | negative
    message: Msg
    floors: tuple[int, ...] = ()
    households: tuple[str, ...] = ()
    amount: Fraction = Fraction(0)  # the excess or the difference, in yuan

    @property
    def zh(self) -> str:
        return self.message.zh

    @property
    def en(self) -> str:
        return self.message.en

    def text(self, lang: str = "zh") -> str:
        return self.message.text(lang)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "zh": self.zh,
            "en": self.en,
            "floors": list(self.floors),
            "households": list(self.households),
            "amount": money_str(self.amount),
        }


@dataclass(frozen=True, kw_only=True)
class FloorRow:
    """What one floor pays: for the consultation ("what does a floor climbed cost?")."""

    floor: int
    payers: int
    total: Fraction
    per_household: Fraction | None  # None when nobody on the floor pays
    per_m2: Fraction | None
    floors_climbed: int  # floor − 1
    per_floor_climbed: Fraction | None  # per household ÷ floors climbed
    stand_alone: Fraction | None  # c_f × scale: an elevator to this floor alone

    def as_dict(self) -> dict[str, Any]:
        def m(v: Fraction | None) -> str | None:
            return None if v is None else money_str(v)

        return {
            "floor": self.floor,
            "payers": self.payers,
            "total": money_str(self.total),
            "per_household": m(self.per_household),
            "per_m2": m(self.per_m2),
            "floors_climbed": self.floors_climbed,
            "per_floor_climbed": m(self.per_floor_climbed),
            "stand_alone_cost": m(self.stand_alone),
        }


@dataclass(frozen=True, kw_only=True)
class FairnessReport:
    no_subsidy: bool | None  # None: no floor costs to check against
    stand_alone: bool | None
    equal_treatment: bool
    monotone: bool
    nonnegative: bool
    monotone_basis: str  # "household" | "m2"
    scale: Fraction | None  # amount shared / construction cost
    violations: tuple[Violation, ...] = ()
    notes: tuple[Msg, ...] = ()
    floors: tuple[FloorRow, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.violations

    def of_kind(self, kind: str) -> list[Violation]:
        return [v for v in self.violations if v.kind == kind]

    def properties(self) -> dict[str, bool | None]:
        return {key: getattr(self, key) for key in PROPERTIES}

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.properties(),
            "monotone_basis": self.monotone_basis,
            "scale": None if self.scale is None else fraction_str(self.scale),
            "violations": [v.as_dict() for v in self.violations],
            "notes": [{"zh": n.zh, "en": n.en} for n in self.notes],
            "floors": [f.as_dict() for f in self.floors],
        }

    def lines(self, lang: str = "zh") -> list[str]:
        """Plain lines for text output: the properties, then each violation and note."""
        out = []
        for key, value in self.properties().items():
            mark = "—" if value is None else ("✓" if value else "×")  # glyphs the CJK font has
            out.append(f"{mark} {t(f'property.{key}', lang)}")
        for v in self.violations:
            out.append(f"  · {v.text(lang)}")
        for n in self.notes:
            out.append(f"  {t('fairness.note', lang)}: {n.text(lang)}")
        return out


@dataclass(frozen=True, kw_only=True)
class Payment:
    id: str
    floor: int
    area_m2: Fraction
    payer: bool
    amount: Fraction


def _group(lo: int, hi: int) -> Msg:
    """The households of floors lo … hi, as the subject of a no-subsidy violation."""
    if lo == hi:
        return Msg("fairness.group.floor", floor=hi)
    return Msg("fairness.group.floors", low=lo, high=hi)


def _limits(
    payments: Sequence[Payment],
    floors: list[int],
    floor_cost: Callable[[int], Fraction] | None,
    amount: Fraction,
    cost: Fraction,
) -> tuple[dict[int, Fraction], list[Msg]]:
    """c_f × scale for each floor that has one, and notes on what cannot be checked."""
    scale = amount / cost if cost else None
    if floor_cost is None or scale is None:
        return {}, [Msg("fairness.note.no_floor_costs")]
    paying_floors = {p.floor for p in payments if p.payer}
    limit: dict[int, Fraction] = {}
    missing = []
    for f in floors:
        try:
            limit[f] = floor_cost(f) * scale
        except ProjectError:
            if f in paying_floors:
                missing.append(f)
    notes = []
    if missing:
        notes.append(Msg("fairness.note.ladder_missing", floors=", ".join(map(str, missing))))
    if scale != 1:
        notes.append(Msg("fairness.note.scaled", amount=yuan(amount), cost=yuan(cost)))
    return limit, notes


def _no_subsidy(
    payments: Sequence[Payment], floors: list[int], limit: dict[int, Fraction]
) -> list[Violation]:
    """Positive payments on floors ≤ f against c_f (exact for every group)."""
    out = []
    running = Fraction(0)
    lo: int | None = None  # lowest floor of the group: first positive payment
    for f in floors:
        positive = [p.amount for p in payments if p.floor == f and p.amount > 0]
        if positive and lo is None:
            lo = f
        running += sum(positive, Fraction(0))
        if f not in limit or lo is None or running <= limit[f]:
            continue
        over = running - limit[f]
        message = Msg(
            "fairness.violation.no_subsidy",
            group=_group(lo, f),
            paid=yuan(running),
            floor=f,
            limit=yuan(limit[f]),
            over=yuan(over),
        )
        out.append(
            Violation(
                kind="no_subsidy",
                message=message,
                floors=tuple(range(lo, f + 1)),
                amount=over,
            )
        )
    return out


def _stand_alone(payments: Sequence[Payment], limit: dict[int, Fraction]) -> list[Violation]:
    """Nobody pays more than an elevator to their own floor for them alone."""
    out = []
    for p in payments:
        if p.floor not in limit or p.amount <= limit[p.floor]:
            continue
        over = p.amount - limit[p.floor]
        message = Msg(
            "fairness.violation.stand_alone",
            household=p.id,
            paid=yuan(p.amount),
            floor=p.floor,
            limit=yuan(limit[p.floor]),
            over=yuan(over),
        )
        out.append(
            Violation(
                kind="stand_alone",
                message=message,
                floors=(p.floor,),
                households=(p.id,),
                amount=over,
            )
        )
    return out


def _equal_treatment(payments: Sequence[Payment]) -> list[Violation]:
    """Same floor, same area → same share."""
    groups: dict[tuple[int, Fraction], list[Payment]] = {}
    for p in payments:
        if p.payer:
            groups.setdefault((p.floor, p.area_m2), []).append(p)
    out = []
    for (f, area), members in sorted(groups.items()):
        lo_p = min(members, key=lambda p: p.amount)
        hi_p = max(members, key=lambda p: p.amount)
        if lo_p.amount == hi_p.amount:
            continue
        message = Msg(
            "fairness.violation.equal_treatment",
            floor=f,
            area=money_str(area),
            low=lo_p.id,
            high=hi_p.id,
            low_paid=yuan(lo_p.amount),
            high_paid=yuan(hi_p.amount),
        )
        out.append(
            Violation(
                kind="equal_treatment",
                message=message,
                floors=(f,),
                households=(lo_p.id, hi_p.id),
                amount=hi_p.amount - lo_p.amount,
            )
        )
    return out


def _floor_rows(
    payments: Sequence[Payment], floors: list[int], limit: dict[int, Fraction], by_area: bool
) -> tuple[list[FloorRow], dict[int, Fraction]]:
    """What each floor pays, and the figure monotone compares (per m² or per household)."""
    rows = []
    metric: dict[int, Fraction] = {}
    for f in floors:
        on = [p for p in payments if p.floor == f and p.payer]
        total = sum((p.amount for p in on), Fraction(0))
        area = sum((p.area_m2 for p in on), Fraction(0))
        per_hh = total / len(on) if on else None
        per_m2 = total / area if on else None
        climbed = f - 1
        rows.append(
            FloorRow(
                floor=f,
                payers=len(on),
                total=total,
                per_household=per_hh,
                per_m2=per_m2,
                floors_climbed=climbed,
                per_floor_climbed=per_hh / climbed if per_hh is not None and climbed > 0 else None,
                stand_alone=limit.get(f),
            )
        )
        if on:
            metric[f] = per_m2 if by_area else per_hh
    return rows, metric


def _monotone(metric: dict[int, Fraction], by_area: bool) -> list[Violation]:
    """Each paying floor pays no less than the paying floor below it."""
    unit = Msg("fairness.unit.m2" if by_area else "fairness.unit.household")
    ordered = sorted(metric)
    out = []
    for a, b in zip(ordered, ordered[1:]):
        if metric[b] >= metric[a]:
            continue
        message = Msg(
            "fairness.violation.monotone",
            floor=b,
            unit=unit,
            paid=yuan(metric[b]),
            below=a,
            below_paid=yuan(metric[a]),
        )
        out.append(
            Violation(
                kind="monotone",
                message=message,
                floors=(a, b),
                amount=metric[a] - metric[b],
            )
        )
    return out


def _negative(payments: Sequence[Payment]) -> list[Violation]:
    """Nobody is paid to take part."""
    return [
        Violation(
            kind="negative",
            message=Msg("fairness.violation.negative", household=p.id, paid=yuan(p.amount)),
            floors=(p.floor,),
            households=(p.id,),
            amount=-p.amount,
        )
        for p in payments
        if p.amount < 0
    ]


def check_payments(
    payments: Sequence[Payment],
    floor_cost: Callable[[int], Fraction] | None,
    cost: Fraction,
    amount: Fraction,
    by_area: bool = False,
) -> FairnessReport:
    """The checks on plain payments; `amount` is what the payments add up to."""
    floors = sorted({p.floor for p in payments})
    limit, notes = _limits(payments, floors, floor_cost, amount, cost)
    no_subsidy = _no_subsidy(payments, floors, limit) if limit else []
    stand_alone = _stand_alone(payments, limit) if limit else []
    equal = _equal_treatment(payments)
    rows, metric = _floor_rows(payments, floors, limit, by_area)
    monotone = _monotone(metric, by_area)
    negative = _negative(payments)
    return FairnessReport(
        no_subsidy=not no_subsidy if limit else None,
        stand_alone=not stand_alone if limit else None,
        equal_treatment=not equal,
        monotone=not monotone,
        nonnegative=not negative,
        monotone_basis="m2" if by_area else "household",
        scale=amount / cost if cost else None,
        violations=(*no_subsidy, *stand_alone, *equal, *monotone, *negative),
        notes=tuple(notes),
        floors=tuple(rows),
    )


def uses_area(result: ShareResult) -> bool:
    """Does the scheme weigh households by area (so monotone is judged per m²)?"""
    s = result.sharing
    return (
        (s.weights == "area" and result.scheme.needs_floor_costs)
        or s.by_area
        or s.within_floor == "area"
        or result.scheme.name in ("area", "italian_1124")
    )


def check(result: ShareResult, project: Project) -> FairnessReport:
    """Every check on a computed split (the project supplies the cost ladder)."""
    payments = [
        Payment(id=h.id, floor=h.floor, area_m2=h.area_m2, payer=h.payer, amount=h.gross)
        for h in result.households
    ]
    return check_payments(
        payments,
        floor_cost_function(project),
        result.construction_cost,
        result.amount_shared,
        uses_area(result),
    )


def check_table(project: Project, amounts: Mapping[str, Fraction]) -> FairnessReport:
    """Check a table typed in by hand: household id → amount it would pay.

    The amounts are compared with the ladder scaled to what they add up to.
    """
    cost, _ = construction_cost(project)
    known = {h.id for h in project.building.households}
    unknown = [k for k in amounts if k not in known]
    if unknown:
        raise problem("amounts", "fairness.error.unknown_households", households=", ".join(unknown))
    exempt = set(project.sharing.exempt_floors)
    payments = [
        Payment(
            id=h.id,
            floor=h.floor,
            area_m2=h.area_m2,
            payer=h.participates and h.floor not in exempt,
            amount=Fraction(amounts.get(h.id, Fraction(0))),
        )
        for h in project.building.households
    ]
    total = sum((p.amount for p in payments), Fraction(0))
    return check_payments(payments, floor_cost_function(project), cost, total)
