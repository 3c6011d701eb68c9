"""The files a mediator writes for caps, a benefit split and the financing options
(`elevator caps|benefit|financing PROJECT FILE`), read into the library's values.

    caps: {"601": 60000, "501": {months: 12, monthly_income: 5000}}
    benefit: {per_floor: {2: 8000, 6: 30000}, per_m2: false,
              reference: "…", confidence: weak}
    financing: {life_years: 15, discount_rate: 3, instalment_years: 5, instalment_rate: 4,
                down_payment_percent: 30, financier: "…", lease_monthly: {2: 60},
                ride_fee: "0.2", rides_per_month: {2: 40}}

A file may hold the section alone (without its top-level name).  Unknown keys, wrong
shapes and households or floors the project does not have are reported by field.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from elevator.core.errors import Problem, ProjectError, problem, problems_from_validation
from elevator.core.text import Msg
from elevator.core.types import Amount, Confidence, Exact, Id, Strict
from elevator.plan.benefit import BenefitEstimate
from elevator.plan.caps import Cap
from elevator.plan.financing import FinancingTerms

if TYPE_CHECKING:
    from elevator.model.project import Project

Rate = Annotated[Exact, Field(ge=0, le=100)]  # percent a year


class CapEntry(Strict):
    months: Annotated[Exact, Field(gt=0, le=120)]
    monthly_income: Amount


class BenefitFile(Strict):
    per_floor: dict[int, Exact] = Field(min_length=1)
    per_m2: bool = False
    reference: Annotated[str, Field(max_length=500)] | None = None
    confidence: Confidence | None = None


class FinancingFile(Strict):
    life_years: Annotated[int, Field(ge=1, le=60)]
    discount_rate: Rate
    instalment_years: Annotated[int, Field(ge=1, le=60)] | None = None
    instalment_rate: Rate = Fraction(0)
    down_payment_percent: Rate = Fraction(0)
    financier: Annotated[str, Field(max_length=200)] | None = None
    lease_monthly: dict[int, Amount] = Field(default_factory=dict)
    ride_fee: Amount | None = None
    rides_per_month: dict[int, Annotated[Exact, Field(ge=0, le=100000)]] = Field(
        default_factory=dict
    )


class CapsFile(Strict):
    # each value read on its own (an amount, or months × income), so that a wrong one is
    # reported once, by its household, not once per shape it could have had
    caps: dict[Id, Any] = Field(min_length=1)


_AMOUNT = TypeAdapter(Amount)


def _cap(value: Any) -> Cap:
    if isinstance(value, dict):
        entry = CapEntry.model_validate(value)
        return Cap(months=entry.months, monthly_income=entry.monthly_income)
    return Cap(amount=_AMOUNT.validate_python(value))


M = TypeVar("M", bound=BaseModel)


def _section(data: Any, name: str, model: type[M], where: str) -> M:
    if not isinstance(data, dict):
        raise problem(where, "options.error.not_mapping")
    if model is CapsFile:
        body = data if "caps" in data else {"caps": data}
    else:
        body = data.get(name, data) if set(data) == {name} else data
    try:
        return model.model_validate(body)
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=f"{where}:{name}")) from None


def _floors_known(floors: dict[int, Any], project: "Project", where: str) -> None:
    bad = [
        Problem(f"{where}.{f}", Msg("benefit.error.floor", floor=f))
        for f in floors
        if not 1 <= f <= project.building.floors
    ]
    if bad:
        raise ProjectError(bad)


def caps_from(data: Any, project: "Project", where: str = "caps") -> dict[str, Cap]:
    parsed = _section(data, "caps", CapsFile, where)
    ids = {h.id for h in project.building.households}
    caps: dict[str, Cap] = {}
    problems: list[Problem] = []
    for hid, value in parsed.caps.items():
        field = f"{where}:caps.{hid}"
        if hid not in ids:
            problems.append(Problem(field, Msg("deal.error.no_household", household=hid)))
            continue
        try:
            caps[hid] = _cap(value)
        except ValidationError as e:
            problems += problems_from_validation(e, prefix=field)
    if problems:
        raise ProjectError(problems)
    return caps


def benefit_from(data: Any, project: "Project", where: str = "benefit") -> BenefitEstimate:
    parsed = _section(data, "benefit", BenefitFile, where)
    _floors_known(parsed.per_floor, project, f"{where}:benefit.per_floor")
    return BenefitEstimate(
        per_floor=parsed.per_floor,
        per_m2=parsed.per_m2,
        reference=parsed.reference,
        confidence=parsed.confidence,
    )


def financing_from(data: Any, project: "Project", where: str = "financing") -> FinancingTerms:
    parsed = _section(data, "financing", FinancingFile, where)
    _floors_known(parsed.lease_monthly, project, f"{where}:financing.lease_monthly")
    _floors_known(parsed.rides_per_month, project, f"{where}:financing.rides_per_month")
    if parsed.rides_per_month and parsed.ride_fee is None:
        raise problem(f"{where}:financing.ride_fee", "options.error.ride_fee")
    return FinancingTerms(**{name: getattr(parsed, name) for name in FinancingFile.model_fields})


READERS: dict[str, Callable[[Any, "Project", str], Any]] = {
    "caps": caps_from,
    "benefit": benefit_from,
    "financing": financing_from,
}


def load_options(kind: str, path: str, project: "Project") -> Any:
    """Read FILE for `kind` (caps, benefit, financing) against the project."""
    from elevator.model.io import read_data  # noqa: PLC0415

    return READERS[kind](read_data(path), project, path)


__all__ = ["READERS", "benefit_from", "caps_from", "financing_from", "load_options"]
