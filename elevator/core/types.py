"""Shared field types for the pydantic models: exact money, references, confidence."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    WithJsonSchema,
)

from elevator.core.errors import fail
from elevator.core.money import number_str, to_fraction
from elevator.core.text import pair


def _exact(value: object) -> Fraction:
    try:
        return to_fraction(value)
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
    title: str
    href: str | None = None
    note: str | None = None


def confidence_mark(confidence: str | None) -> str:
    return CONFIDENCE_MARK.get(confidence or "", "")
