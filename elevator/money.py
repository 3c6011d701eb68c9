"""Exact money: Fractions inside, decimal strings outside, one rounding at the end.

Every amount is a `fractions.Fraction` of yuan.  Rounding happens once, in
`round_to_total`, by the largest-remainder method so that rounded amounts add up
exactly to the total being shared (negative amounts included).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Mapping, Sequence

ROUNDING_UNITS: dict[str, Fraction] = {
    "fen": Fraction(1, 100),
    "jiao": Fraction(1, 10),
    "yuan": Fraction(1),
    "ten_yuan": Fraction(10),
}
ROUNDING_NAMES = {
    "fen": ("分", "fen (0.01 yuan)"),
    "jiao": ("角", "jiao (0.1 yuan)"),
    "yuan": ("元", "yuan"),
    "ten_yuan": ("十元", "ten yuan"),
}

TIE_BREAK_ZH = "余数相同时，精确份额较大者优先，再按户号在项目文件中的顺序"
TIE_BREAK_EN = ("equal remainders: the larger exact share first, then the order of the "
                "households in the project file")


def to_fraction(value: object) -> Fraction:
    """Read a number written by a person (int, '12.5', 12.5, '37037/3') exactly.

    Floats go through their shortest decimal repr, so 0.3 means 3/10, not the
    binary approximation.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a yes/no value is not a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if "/" in text:
            return Fraction(text)
        return Fraction(Decimal(text))
    raise TypeError(f"not a number: {value!r}")


def money_str(value: Fraction, places: int = 2) -> str:
    """Decimal string with `places` digits; exact when the value has that many.

    Values that need more digits are rounded half-even (only used for display of
    exact shares; rounded shares always fit).
    """
    q = Decimal(1).scaleb(-places)
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(q, rounding="ROUND_HALF_EVEN") \
        if value.denominator != 1 else Decimal(value.numerator).quantize(q)
    text = format(d, "f")
    return "0.00" if text in ("-0.00",) else text


def fraction_str(value: Fraction) -> str:
    """'37037/3' or '500' — the exact rational as text."""
    return str(value)


def is_multiple(value: Fraction, unit: Fraction) -> bool:
    return (value / unit).denominator == 1


@dataclass(frozen=True)
class RoundingOutcome:
    rounded: dict[str, Fraction]
    unit: Fraction
    total: Fraction
    units_given: tuple[str, ...]      # households that got one extra unit
    odd_amount: Fraction               # part of total that is not a multiple of the unit
    odd_to: str | None                 # household that absorbed it


def round_to_total(exact: Mapping[str, Fraction], unit: Fraction,
                   order: Sequence[str] | None = None) -> RoundingOutcome:
    """Largest-remainder rounding that closes exactly on sum(exact).

    Each amount is first rounded down to the unit; the units still missing go to
    the largest remainders (tie-break: larger exact amount, then `order`).  When
    the total itself is not a multiple of the unit, the odd rest goes to the next
    household in that ranking and is reported.
    """
    keys = list(order) if order is not None else list(exact)
    position = {k: i for i, k in enumerate(keys)}
    # integer arithmetic on a common denominator: value / unit = scaled[k] / common
    un, ud = unit.numerator, unit.denominator
    common = 1
    for k in keys:
        common = lcm(common, exact[k].denominator * un)
    scaled = {k: exact[k].numerator * ud * (common // (exact[k].denominator * un)) for k in keys}
    floors = {k: scaled[k] // common for k in keys}
    remainders = {k: scaled[k] - floors[k] * common for k in keys}
    missing = sum(scaled.values()) - common * sum(floors.values())
    whole_units, odd_scaled = divmod(missing, common)
    ranking = sorted((k for k in keys if remainders[k]),
                     key=lambda k: (-remainders[k], -scaled[k], position[k]))
    given = tuple(ranking[:whole_units])
    for k in given:
        floors[k] += 1
    rounded = {k: Fraction(floors[k] * un, ud) for k in keys}
    odd = Fraction(odd_scaled * un, common * ud)
    odd_to = None
    if odd_scaled:
        odd_to = ranking[whole_units]
        rounded[odd_to] += odd
    total = Fraction(sum(scaled.values()) * un, common * ud)
    return RoundingOutcome(rounded, unit, total, given, odd, odd_to)


def round_matrix(row_totals: Mapping[str, Fraction], column_weights: Sequence[Fraction],
                 unit: Fraction, order: Sequence[str] | None = None) -> list[dict[str, Fraction]]:
    """Split every row total across columns in fixed proportions, rounded so that
    each row adds up to its total and each column adds up to its own rounded total.

    Used for payment schedules (30% / 50% / 20%): column totals are rounded first
    (largest remainder on the grand total), then each column is filled column by
    column, rounding each household's remaining amount so rows close on the last
    column.  All columns but the last are rounded with the largest-remainder
    method against their fixed total; the last column is what is left per row,
    which then adds up to the last column total automatically.
    """
    keys = list(order) if order is not None else list(row_totals)
    weights = [to_fraction(w) for w in column_weights]
    wsum = sum(weights, Fraction(0))
    grand = sum((row_totals[k] for k in keys), Fraction(0))
    col_exact = {str(j): grand * w / wsum for j, w in enumerate(weights)}
    col_totals = round_to_total(col_exact, unit, list(col_exact)).rounded
    columns: list[dict[str, Fraction]] = []
    left = {k: row_totals[k] for k in keys}
    for j in range(len(weights) - 1):
        target = col_totals[str(j)]
        exact = {k: row_totals[k] * weights[j] / wsum for k in keys}
        # shift the exact column so it sums to the rounded column total, then round
        shift = (target - sum(exact.values(), Fraction(0))) / len(keys) if keys else 0
        col = round_to_total({k: exact[k] + shift for k in keys}, unit, keys).rounded
        columns.append(col)
        for k in keys:
            left[k] -= col[k]
    columns.append(left)
    return columns
