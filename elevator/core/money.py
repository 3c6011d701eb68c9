"""Exact money: Fractions inside, decimal strings outside, one rounding at the end.

Every amount is a `fractions.Fraction` of yuan.  Rounding happens once, in
`round_to_total`, by the largest-remainder method so that rounded amounts add up
exactly to the total being shared (negative amounts included).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from math import lcm

from elevator.core.text import pair

ROUNDING_UNITS: dict[str, Fraction] = {
    "fen": Fraction(1, 100),
    "jiao": Fraction(1, 10),
    "yuan": Fraction(1),
    "ten_yuan": Fraction(10),
}
# (zh, en) name of each unit, from the catalogue's `rounding.*` keys
ROUNDING_NAMES = {unit: pair(f"rounding.{unit}") for unit in ROUNDING_UNITS}

FEN = ROUNDING_UNITS["fen"]

# how equal remainders are ranked (catalogue key "money.tie_break"); the two constants
# are the rendered words, kept for callers that still read them
TIE_BREAK = "money.tie_break"
TIE_BREAK_ZH, TIE_BREAK_EN = pair(TIE_BREAK)


# A person writes at most this many characters for one number, with at most this many
# digits before and after the point: "1e10000000" or "1e-200000" would otherwise make an
# exact number of millions of digits (seconds of work, megabytes) before any check ran.
MAX_NUMBER_TEXT = 48
MAX_INTEGER_DIGITS = 15  # 10^15 yuan or m² is far beyond any stairwell
MAX_DECIMAL_PLACES = 20  # a float written by a program: 0.3333333333333333


class NumberOutOfRange(ValueError):
    """A number too large, too small or too long to be read exactly."""


class DecimalComma(ValueError):
    """A number written with a comma ("72,5" or "72,500"): ambiguous, never guessed."""


def _bounded(d: Decimal) -> Decimal:
    if not d.is_finite():
        raise NumberOutOfRange("not a finite number")
    if d and (d.adjusted() >= MAX_INTEGER_DIGITS or d.as_tuple().exponent < -MAX_DECIMAL_PLACES):
        raise NumberOutOfRange("outside the range a number can have here")
    return d


def _bounded_int(n: int) -> int:
    if abs(n) >= 10**MAX_INTEGER_DIGITS:
        raise NumberOutOfRange("outside the range a number can have here")
    return n


def to_fraction(value: object) -> Fraction:
    """Read a number written by a person (int, '12.5', 12.5, '37037/3') exactly.

    Floats go through their shortest decimal repr, so 0.3 means 3/10, not the
    binary approximation.  Bounded before any exact conversion (NumberOutOfRange);
    a comma is refused (DecimalComma): "72,5" is not guessed to be 725 or 72.5.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a yes/no value is not a number")
    if isinstance(value, int):
        return Fraction(_bounded_int(value))
    if isinstance(value, float):
        return Fraction(_bounded(Decimal(repr(value))))
    if isinstance(value, Decimal):
        return Fraction(_bounded(value))
    if isinstance(value, str):
        import unicodedata

        if len(value) > MAX_NUMBER_TEXT:
            raise NumberOutOfRange("too many characters for a number")
        text = unicodedata.normalize("NFKC", value).strip().replace("_", "")
        if "," in text:
            raise DecimalComma("a comma in a number")
        if "/" in text:
            top, _, bottom = text.partition("/")
            a, b = (_bounded(Decimal(x.strip())) for x in (top, bottom))
            if a != a.to_integral_value() or b != b.to_integral_value():
                raise ValueError("a fraction of whole numbers")
            return Fraction(int(a), int(b))
        return Fraction(_bounded(Decimal(text)))
    raise TypeError(f"not a number: {value!r}")


def money_str(value: Fraction, places: int = 2) -> str:
    """Decimal string with `places` digits; exact when the value has that many.

    Values that need more digits are rounded half-even (only used for display of
    exact shares; rounded shares always fit).
    """
    with localcontext() as ctx:  # enough digits for any value, so quantize never fails
        ctx.prec = len(str(abs(value.numerator))) + places + 30
        d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN
        )
    text = format(d, "f")
    return text[1:] if text.startswith("-") and not d else text


def number_str(value: Fraction) -> str:
    """The exact decimal ('0.3', '12.125', '100') when the value has a finite decimal
    expansion, else the rational ('4/3')."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    if places == 0:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    digits = str(abs(value.numerator) * 10**places // value.denominator).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def fraction_str(value: Fraction) -> str:
    """'37037/3' or '500' — the exact rational as text."""
    return str(value)


def floor_to(value: Fraction, unit: Fraction) -> Fraction:
    """The largest multiple of `unit` not above `value`."""
    return (value / unit).__floor__() * unit


@dataclass(frozen=True, kw_only=True)
class RoundingOutcome:
    rounded: dict[str, Fraction]
    unit: Fraction
    total: Fraction
    units_given: tuple[str, ...]  # households that got one extra unit
    odd_amount: Fraction  # part of total that is not a multiple of the unit
    odd_to: str | None  # household that absorbed it


def round_to_total(
    exact: Mapping[str, Fraction], unit: Fraction, order: Sequence[str] | None = None
) -> RoundingOutcome:
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
    ranking = sorted(
        (k for k in keys if remainders[k]), key=lambda k: (-remainders[k], -scaled[k], position[k])
    )
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
    return RoundingOutcome(
        rounded=rounded, unit=unit, total=total, units_given=given, odd_amount=odd, odd_to=odd_to
    )


def round_matrix(
    row_totals: Mapping[str, Fraction],
    column_weights: Sequence[Fraction],
    unit: Fraction,
    order: Sequence[str] | None = None,
) -> list[dict[str, Fraction]]:
    """Split every row total across columns in fixed proportions (a payment schedule).

    Every cell is its exact part rounded down or up to the unit, every row adds
    up to its total and every column adds up to its exact total rounded down or
    up, all exactly (controlled rounding: such a choice always exists, and a
    small max-flow finds it).  A row's cells therefore share its sign and stay
    within one unit of the exact split.  A row total that is not a multiple of
    the unit keeps its odd rest (same sign) in the last column.

    (The earlier version shifted every row by the column's rounding gap and let
    the last column take what was left: a 0.01 share could be paid as
    0.01 + 0 + 0 + 0.01 − 0.01.)
    """
    keys = list(order) if order is not None else list(row_totals)
    weights = [to_fraction(w) for w in column_weights]
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("column weights must be non-negative and not all zero")
    wsum = sum(weights, Fraction(0))
    m = len(weights)
    units: dict[str, int] = {}
    rest: dict[str, Fraction] = {}
    for k in keys:
        n = (row_totals[k] / unit).__trunc__()  # toward zero: the rest keeps the sign
        units[k], rest[k] = n, row_totals[k] - n * unit
    # everything below counts whole units
    exact = {k: [units[k] * w / wsum for w in weights] for k in keys}
    cells = {k: [e.__floor__() for e in exact[k]] for k in keys}
    frac = {k: [e - c for e, c in zip(exact[k], cells[k])] for k in keys}
    need_row = {k: units[k] - sum(cells[k]) for k in keys}  # = Σ frac, a whole number
    col_frac = [sum((frac[k][j] for k in keys), Fraction(0)) for j in range(m)]
    col_low = [c.__floor__() for c in col_frac]
    col_high = [c.__ceil__() for c in col_frac]
    ups = _unit_flow(keys, frac, need_row, col_low, col_high)
    for k, j in ups:
        cells[k][j] += 1
    columns = [{k: cells[k][j] * unit for k in keys} for j in range(m)]
    for k in keys:
        columns[-1][k] += rest[k]
    for k in keys:
        assert sum((c[k] for c in columns), Fraction(0)) == row_totals[k]
    return columns


def _unit_flow(
    keys: Sequence[str],
    frac: Mapping[str, list[Fraction]],
    need_row: Mapping[str, int],
    col_low: Sequence[int],
    col_high: Sequence[int],
) -> list[tuple[str, int]]:
    """Pick the cells rounded up: row k gets need_row[k] of its fractional cells,
    column j between col_low[j] and col_high[j] of them.

    Bipartite max-flow (rows → columns, capacity 1 per fractional cell), first
    with the columns capped at col_low (the exact fractions prove a flow that
    fills them exists), then at col_high; augmenting paths never take flow back
    from a column's sink edge, so the low bounds stay met.
    """
    flow = _CellFlow(keys, frac, need_row, len(col_low))
    for caps in (col_low, col_high):
        while flow.augment(caps):
            pass
    if any(flow.row_flow[k] != need_row[k] for k in keys):  # cannot happen: see the docstring
        raise ArithmeticError("no consistent rounding found")
    return [kj for kj, v in flow.up.items() if v]


class _CellFlow:
    """The state of `_unit_flow`: which cells are up, and the flow per row and column."""

    def __init__(self, keys, frac, need_row, m: int) -> None:
        self.keys, self.frac, self.need_row, self.m = keys, frac, need_row, m
        self.up: dict[tuple[str, int], bool] = {}
        self.row_flow = {k: 0 for k in keys}
        self.col_flow = [0] * m

    def augment(self, caps: Sequence[int]) -> bool:
        """One augmenting path, BFS from rows with spare need; an edge row→col is usable
        when the cell is fractional and not yet up; col→row back-edges where it is up."""
        from collections import deque

        parent: dict[object, object] = {}
        queue: deque = deque()
        for k in self.keys:
            if self.row_flow[k] < self.need_row[k]:
                parent[("r", k)] = None
                queue.append(("r", k))
        while queue:
            kind, at = queue.popleft()
            if kind == "c":
                for k in self.keys:
                    if self.up.get((k, at)) and ("r", k) not in parent:
                        parent[("r", k)] = ("c", at)
                        queue.append(("r", k))
                continue
            for j in range(self.m):
                if self.frac[at][j] and not self.up.get((at, j)) and ("c", j) not in parent:
                    parent[("c", j)] = ("r", at)
                    if self.col_flow[j] < caps[j]:
                        self._flip(parent, j)
                        return True
                    queue.append(("c", j))
        return False

    def _flip(self, parent: dict, j: int) -> None:
        """Flip the cells along the path that ends in column j."""
        self.col_flow[j] += 1
        cur = ("c", j)
        while True:
            prev = parent[cur]
            if cur[0] == "c":
                self.up[(prev[1], cur[1])] = True
            else:
                self.up[(cur[1], prev[1])] = False
            cur = prev
            if parent[cur] is None:
                self.row_flow[cur[1]] += 1
                return
