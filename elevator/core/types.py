"""Shared field types for the pydantic models: exact money, references, confidence."""

from __future__ import annotations

import datetime as dt
import unicodedata
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from elevator.core.errors import fail
from elevator.core.money import DecimalComma, NumberOutOfRange, number_str, to_fraction
from elevator.core.text import pair


def _exact(value: object) -> Fraction:
    try:
        return to_fraction(value)
    except DecimalComma:
        raise fail("error.number.comma", value=str(value)[:48]) from None
    except NumberOutOfRange:
        raise fail("error.number.range", value=str(value)[:48]) from None
    except (TypeError, ValueError, ArithmeticError):
        raise fail("error.pydantic.float_type") from None


def _serialise(value: Fraction) -> str:
    # exact decimals where they exist ("0.3", "530000"), rationals otherwise ("4/3")
    return number_str(value)


# An exact number: YAML/JSON numbers or strings ("12.5", "1/3") in, Fraction inside,
# a string out.  Floats are read through their decimal text, so 0.3 is 3/10.
Exact = Annotated[
    Fraction,
    BeforeValidator(_exact),
    PlainSerializer(_serialise, return_type=str),
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?(/\d+)?$"}]}
    ),
]


MONEY_LIMIT = Fraction(10) ** 11  # 100 billion yuan: far above any project, well inside Decimal


def _whole_fen(value: Fraction) -> Fraction:
    if (value * 100).denominator != 1:
        raise fail("error.money.whole_fen")
    if abs(value) >= MONEY_LIMIT:
        raise fail("error.money.out_of_range")
    return value


def _not_negative(value: Fraction) -> Fraction:
    if value < 0:
        raise fail("error.money.negative")
    return value


# Money as people write it: exact, whole fen, within a sane range.
Money = Annotated[Exact, AfterValidator(_whole_fen)]
# Money that cannot be negative (costs, contributions, fees, subsidies).
Amount = Annotated[Money, AfterValidator(_not_negative)]


class Strict(BaseModel):
    """Base of every input model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


# [S] seen in the named source, [W] weak source, [U] unverified background knowledge
Confidence = Literal["source", "weak", "unverified"]
CONFIDENCE_MARK = {"source": "[S]", "weak": "[W]", "unverified": "[U]"}
# (zh, en) words for each mark, from the catalogue's `confidence.*` keys
CONFIDENCE_LABEL = {c: pair(f"confidence.{c}") for c in CONFIDENCE_MARK}


class Reference(Strict):
    title: Annotated[str, Field(max_length=500)]
    href: Annotated[str, Field(max_length=2000)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


# a source written as one line of text instead of a Reference
SourceText = Annotated[str, Field(max_length=2000)]


def confidence_mark(confidence: str | None) -> str:
    return CONFIDENCE_MARK.get(confidence or "", "")


# --- words people type: ids, names, dates -----------------------------------

# Unicode categories never allowed in an id or a name: control characters (NUL, tab,
# CR), format characters (zero-width space and joiners, direction marks, BOM), line and
# paragraph separators, private-use and unassigned code points.  "101" and "101" + a
# zero-width space would otherwise be two households that print the same.
_INVISIBLE = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}


def invisible_char(text: str) -> str | None:
    """The first invisible or control character of `text` as U+XXXX, or None."""
    for ch in text:
        if unicodedata.category(ch) in _INVISIBLE:
            return f"U+{ord(ch):04X}"
    return None


def _visible_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    bad = invisible_char(text)
    if bad:
        raise fail("error.text.invisible", char=bad)
    return text.strip()


def _free_text(value: object) -> object:
    # notes and reasons may hold line breaks and tabs, never other control characters
    if isinstance(value, str):
        for ch in value:
            if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r":
                raise fail("error.text.invisible", char=f"U+{ord(ch):04X}")
    return value


def _id_text(value: object) -> object:
    # a plain whole number (101) is the id as written; YAML's 0101 (octal), 1.50 or
    # yes/no are not kept by the reader as written, so they must be quoted
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (bool, float)):
        raise fail("error.id.quote", value=str(value))
    return _visible_text(value)


# An id (room number, objection id): NFC text as written ("1ºA" stays "1ºA"), nothing
# invisible; two ids equal under NFKC ("101" and full-width "１０１") are refused as the
# same household by the model's duplicate check (see `id_key`).
Id = Annotated[str, BeforeValidator(_id_text)]


def id_key(value: object) -> str:
    """What makes two ids the same household: their NFKC form."""
    return unicodedata.normalize("NFKC", str(value))


# A name or label: NFC-normalised text without invisible or control characters (NFC, not
# NFKC: Chinese full-width punctuation （，） is kept as written).
Name = Annotated[str, BeforeValidator(_visible_text)]

# Free text (notes, reasons, replies): line breaks allowed, control characters not.
Text = Annotated[str, BeforeValidator(_free_text)]

# Dates a project can carry: anything outside is a typo ("9999-12-30", "0202-05-01")
# that would break working-day arithmetic later.  Not policy numbers: plausibility.
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


def _plausible_day(value: dt.date) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise fail("error.date.range", date=str(day), first=str(FIRST_DAY), last=str(LAST_DAY))
    return value


Day = Annotated[dt.date, AfterValidator(_plausible_day)]
Moment = Annotated[dt.date | dt.datetime, AfterValidator(_plausible_day)]
