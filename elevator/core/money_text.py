"""Money as people write and read it: "56万", "5.6万元", "560,000" in; "560,000.00" out.

`parse_money_text` reads what a resident or mediator types into a form (full-width
digits and punctuation, spaces, thousands separators, the 万 unit, a trailing 元) as
an exact `Fraction` of yuan, whole fen; anything else is a bilingual problem naming
the field.  `format_yuan` writes an amount with thousands separators, exactly (decimal
arithmetic on the Fraction, never a float).  The CLI's own outputs keep `money_str`:
their format is pinned by the golden files.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from elevator.core.errors import problem
from elevator.core.money import FEN, money_str

# the words a person may write around the number: ten thousand, yuan, the yen/yuan sign
_WAN, _YUAN, _YUAN_OLD = "万", "元", "圆"  # zh-ok (input tokens, not text shown)
_SIGNS = {"-": -1, "−": -1, "+": 1}
_PLAIN = re.compile(r"\d+(\.\d+)?|\.\d+")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def _normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), no spaces at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _strip_units(body: str) -> tuple[str, int]:
    """The number's text and its multiplier: '5.6万元' → ('5.6', 10000)."""
    body = body.removeprefix("¥")
    for suffix in (_YUAN, _YUAN_OLD):
        body = body.removesuffix(suffix)
    if body.endswith(_WAN):
        return body[: -len(_WAN)], 10000
    return body, 1


def _digits(number: str, text: str, field: str) -> Fraction:
    """'560,000.50' → Fraction; commas only as thousands separators."""
    if _PLAIN.fullmatch(number):
        return Fraction(number)
    if _GROUPED.fullmatch(number):
        return Fraction(number.replace(",", ""))
    if "," in number and _PLAIN.fullmatch(number.replace(",", "")):
        raise problem(field, "error.money_text.grouping", text=text)
    raise problem(field, "error.money_text.invalid", text=text)


def parse_money_text(text: str, *, field: str = "amount") -> Fraction:
    """An amount of yuan typed by a person, exactly: "56万", "5.6万元", "560,000",
    "560000.50", "56 万", "５６万", "¥1,200" → Fraction (whole fen).

    Raises a `ProjectError` naming `field` for empty text, anything that is not one
    number with these units, misplaced thousands separators, or more precision than
    a fen."""
    if not isinstance(text, str) or not _normalise(text):
        raise problem(field, "error.money_text.empty")
    shown = text.strip()
    body = _normalise(text)
    sign = 1
    if body[0] in _SIGNS:
        sign, body = _SIGNS[body[0]], body[1:]
    number, unit = _strip_units(body)
    if not number:
        raise problem(field, "error.money_text.invalid", text=shown)
    value = sign * _digits(number, shown, field) * unit
    if (value / FEN).denominator != 1:
        raise problem(field, "error.money.whole_fen")
    return value


def group_digits(digits: str) -> str:
    """'1234567' → '1,234,567' (a run of ASCII digits)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ",".join(parts)


def format_yuan(amount: Fraction, *, grouping: bool = True, places: int = 2) -> str:
    """An amount for people: '560,000.00', '-1,234.50'; `grouping=False` gives the plain
    decimal string ('560000.00').  Exact when the amount has `places` decimals (money
    always does); more digits are rounded half-even, as `money_str`."""
    text = money_str(Fraction(amount), places)
    if not grouping:
        return text
    sign = "-" if text.startswith("-") else ""
    whole, _, decimals = text.removeprefix("-").partition(".")
    return sign + group_digits(whole) + ("." + decimals if decimals else "")


# an amount written into a sentence by the library ("每部 100000.00 元"): digits with two
# decimals, not part of a longer number, fraction or date
_AMOUNT_IN_TEXT = re.compile(r"(?<![\d.,/])(\d{4,})(\.\d\d)(?![\d./])")


def group_amounts(text: str) -> str:
    """The same sentence with its amounts as people read them: '每部 100000.00 元' →
    '每部 100,000.00 元'.  Plain numbers (years, counts, coefficients) are left alone."""
    return _AMOUNT_IN_TEXT.sub(lambda m: group_digits(m[1]) + m[2], text)
