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

from elevator.core.errors import ProjectError
from elevator.core.money import fraction_str, money_str
from elevator.model.project import Project
from elevator.sharing.engine import ShareResult, construction_cost, floor_cost_function


def yuan(x: Fraction) -> str:
    """31000 → '31,000.00' (exact to the fen, rounded half-even beyond)."""
    text = money_str(x)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}.{frac}"


@dataclass(frozen=True)
class Violation:
    kind: str  # no_subsidy | stand_alone | equal_treatment | monotone | negative
    zh: str
    en: str
    floors: tuple[int, ...] = ()
    households: tuple[str, ...] = ()
    amount: Fraction = Fraction(0)  # the excess or the difference, in yuan

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "zh": self.zh,
            "en": self.en,
            "floors": list(self.floors),
            "households": list(self.households),
            "amount": money_str(self.amount),
        }


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class FairnessReport:
    no_subsidy: bool | None  # None: no floor costs to check against
    stand_alone: bool | None
    equal_treatment: bool
    monotone: bool
    nonnegative: bool
    monotone_basis: str  # "household" | "m2"
    scale: Fraction | None  # amount shared / construction cost
    violations: tuple[Violation, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    floors: tuple[FloorRow, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.violations

    def of_kind(self, kind: str) -> list[Violation]:
        return [v for v in self.violations if v.kind == kind]

    def properties(self) -> dict[str, bool | None]:
        return {
            "no_subsidy": self.no_subsidy,
            "stand_alone": self.stand_alone,
            "equal_treatment": self.equal_treatment,
            "monotone": self.monotone,
            "nonnegative": self.nonnegative,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.properties(),
            "monotone_basis": self.monotone_basis,
            "scale": None if self.scale is None else fraction_str(self.scale),
            "violations": [v.as_dict() for v in self.violations],
            "notes": [{"zh": zh, "en": en} for zh, en in self.notes],
            "floors": [f.as_dict() for f in self.floors],
        }

    def lines(self, lang: str = "zh") -> list[str]:
        """Plain lines for text output: the properties, then each violation and note."""
        zh = lang == "zh"
        out = []
        for key, value in self.properties().items():
            label = PROPERTY_LABELS[key][0 if zh else 1]
            mark = "—" if value is None else ("✓" if value else "×")  # glyphs the CJK font has
            out.append(f"{mark} {label}")
        for v in self.violations:
            out.append(f"  · {v.text(lang)}")
        for n_zh, n_en in self.notes:
            out.append(f"  {'注' if zh else 'Note'}: {n_zh if zh else n_en}")
        return out


PROPERTY_LABELS: dict[str, tuple[str, str]] = {
    "no_subsidy": (
        "无交叉补贴（任何一组住户不超过只为他们装电梯的费用）",
        "no subsidy (no group pays more than an elevator for that group alone)",
    ),
    "stand_alone": ("无人超过单独加装的费用", "nobody pays more than their stand-alone cost"),
    "equal_treatment": ("同层同面积的住户份额相同", "equal households pay equal shares"),
    "monotone": ("份额随楼层不减", "shares do not fall with the floor"),
    "nonnegative": ("份额不为负", "no negative shares"),
}


@dataclass(frozen=True)
class Payment:
    id: str
    floor: int
    area_m2: Fraction
    payer: bool
    amount: Fraction


def _floors_text(lo: int, hi: int) -> tuple[str, str]:
    if lo == hi:
        return f"{hi} 层住户合计", f"Floor {hi} pays"
    return f"{lo}–{hi} 层住户合计", f"Floors {lo}–{hi} together pay"


def check_payments(
    payments: Sequence[Payment],
    floor_cost: Callable[[int], Fraction] | None,
    cost: Fraction,
    amount: Fraction,
    by_area: bool = False,
) -> FairnessReport:
    """The checks on plain payments; `amount` is what the payments add up to."""
    violations: list[Violation] = []
    notes: list[tuple[str, str]] = []
    scale = amount / cost if cost else None
    floors = sorted({p.floor for p in payments})
    paying_floors = [f for f in floors if any(p.payer for p in payments if p.floor == f)]

    # c_f × scale for each floor that has one
    limit: dict[int, Fraction] = {}
    if floor_cost is None or scale is None:
        notes.append(
            (
                "只有总价，没有费用阶梯或 fixed + per_floor，无法检查交叉补贴",
                "only a total cost is known (no ladder, no fixed + per_floor): "
                "the no-subsidy conditions cannot be checked",
            )
        )
    else:
        missing = []
        for f in floors:
            try:
                limit[f] = floor_cost(f) * scale
            except ProjectError:
                if f in paying_floors:
                    missing.append(f)
        if missing:
            notes.append(
                (
                    f"费用阶梯缺少 {', '.join(map(str, missing))} 层，这些楼层未检查",
                    f"the cost ladder has no value for floor(s) "
                    f"{', '.join(map(str, missing))}: not checked",
                )
            )
        if scale != 1:
            notes.append(
                (
                    f"有补贴或出资：费用阶梯按 分摊金额 / 造价 = {yuan(amount)} / {yuan(cost)} "
                    "同比例缩小后再比较",
                    f"subsidies or contributions reduce the amount: the ladder is scaled by "
                    f"amount shared / cost = {yuan(amount)} / {yuan(cost)} before comparing",
                )
            )

    # no subsidy: positive payments on floors ≤ f against c_f (exact for every group)
    no_subsidy: bool | None = None
    stand_alone: bool | None = None
    if limit:
        no_subsidy, stand_alone = True, True
        running = Fraction(0)
        lo: int | None = None  # lowest floor of the group: first positive payment
        for f in floors:
            positive = [p.amount for p in payments if p.floor == f and p.amount > 0]
            if positive and lo is None:
                lo = f
            running += sum(positive, Fraction(0))
            if f not in limit or lo is None:
                continue
            if running > limit[f]:
                no_subsidy = False
                over = running - limit[f]
                g_zh, g_en = _floors_text(lo, f)
                violations.append(
                    Violation(
                        "no_subsidy",
                        f"{g_zh}支付 {yuan(running)} 元，比只装到 {f} 层的电梯费用 {yuan(limit[f])} 元"
                        f"多 {yuan(over)} 元",
                        f"{g_en} {yuan(running)}, {yuan(over)} more than an "
                        f"elevator to floor {f} alone would cost ({yuan(limit[f])})",
                        floors=tuple(range(lo, f + 1)),
                        amount=over,
                    )
                )
        for p in payments:
            if p.floor in limit and p.amount > limit[p.floor]:
                stand_alone = False
                over = p.amount - limit[p.floor]
                violations.append(
                    Violation(
                        "stand_alone",
                        f"{p.id} 户支付 {yuan(p.amount)} 元，比单独为其装到 {p.floor} 层的电梯费用 "
                        f"{yuan(limit[p.floor])} 元多 {yuan(over)} 元",
                        f"household {p.id} pays {yuan(p.amount)}, {yuan(over)} more than an elevator "
                        f"to floor {p.floor} for it alone ({yuan(limit[p.floor])})",
                        floors=(p.floor,),
                        households=(p.id,),
                        amount=over,
                    )
                )

    # equal treatment: same floor, same area → same share
    equal = True
    groups: dict[tuple[int, Fraction], list[Payment]] = {}
    for p in payments:
        if p.payer:
            groups.setdefault((p.floor, p.area_m2), []).append(p)
    for (f, area), members in sorted(groups.items()):
        lo_p = min(members, key=lambda p: p.amount)
        hi_p = max(members, key=lambda p: p.amount)
        if lo_p.amount != hi_p.amount:
            equal = False
            diff = hi_p.amount - lo_p.amount
            violations.append(
                Violation(
                    "equal_treatment",
                    f"{f} 层面积同为 {money_str(area)} m² 的 {lo_p.id} 与 {hi_p.id} 户份额不同："
                    f"{yuan(lo_p.amount)} 元与 {yuan(hi_p.amount)} 元",
                    f"households {lo_p.id} and {hi_p.id} (floor {f}, both {money_str(area)} m²) pay "
                    f"differently: {yuan(lo_p.amount)} and {yuan(hi_p.amount)}",
                    floors=(f,),
                    households=(lo_p.id, hi_p.id),
                    amount=diff,
                )
            )

    # per floor, and monotone
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
                f,
                len(on),
                total,
                per_hh,
                per_m2,
                climbed,
                per_hh / climbed if per_hh is not None and climbed > 0 else None,
                limit.get(f),
            )
        )
        if on:
            metric[f] = per_m2 if by_area else per_hh
    monotone = True
    ordered = sorted(metric)
    unit_zh, unit_en = ("每平方米", "per m²") if by_area else ("每户平均", "per household")
    for a, b in zip(ordered, ordered[1:]):
        if metric[b] < metric[a]:
            monotone = False
            violations.append(
                Violation(
                    "monotone",
                    f"{b} 层{unit_zh} {yuan(metric[b])} 元，低于 {a} 层的 {yuan(metric[a])} 元",
                    f"floor {b} pays {yuan(metric[b])} {unit_en}, less than floor {a} "
                    f"({yuan(metric[a])})",
                    floors=(a, b),
                    amount=metric[a] - metric[b],
                )
            )

    nonnegative = True
    for p in payments:
        if p.amount < 0:
            nonnegative = False
            violations.append(
                Violation(
                    "negative",
                    f"{p.id} 户份额为负（{yuan(p.amount)} 元），即由其他住户向其付钱",
                    f"household {p.id} has a negative share ({yuan(p.amount)}): the others pay it",
                    floors=(p.floor,),
                    households=(p.id,),
                    amount=-p.amount,
                )
            )

    return FairnessReport(
        no_subsidy,
        stand_alone,
        equal,
        monotone,
        nonnegative,
        "m2" if by_area else "household",
        scale,
        tuple(violations),
        tuple(notes),
        tuple(rows),
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
    payments = [Payment(h.id, h.floor, h.area_m2, h.payer, h.gross) for h in result.households]
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
    cost, _, _ = construction_cost(project)
    known = {h.id for h in project.building.households}
    unknown = [k for k in amounts if k not in known]
    if unknown:
        from elevator.core.errors import problem

        raise problem(
            "amounts",
            f"没有这些户号：{', '.join(unknown)}",
            f"no such household(s): {', '.join(unknown)}",
        )
    exempt = set(project.sharing.exempt_floors)
    payments = [
        Payment(
            h.id,
            h.floor,
            h.area_m2,
            h.participates and h.floor not in exempt,
            Fraction(amounts.get(h.id, Fraction(0))),
        )
        for h in project.building.households
    ]
    total = sum((p.amount for p in payments), Fraction(0))
    return check_payments(payments, floor_cost_function(project), cost, total)
