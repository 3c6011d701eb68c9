"""The project file: one stairwell unit (单元) with one elevator.

Field names here are the public contract of the project file (YAML or JSON);
extend, never rename.  Cross-field checks that depend on the chosen scheme
live in `elevator.sharing`, because the CLI may override the scheme.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from elevator.core.errors import Problem, fail
from elevator.core.money import money_str, number_str
from elevator.core.paths import POLICY_NAME, policy_names
from elevator.core.text import Msg, both, t
from elevator.core.types import (
    Amount,
    Confidence,
    Day,
    Exact,
    Id,
    Money,
    Name,
    Reference,
    SourceText,
    Strict,
    Text,
    id_key,
)
from elevator.model.consent import ConsentSection, section_problems
from elevator.model.site import Evaluation, Site

# one household's area: far above any flat; bounds the exact arithmetic of weights
MAX_AREA_M2 = 10_000
SchemeName = str  # checked against elevator.schemes.SCHEMES at compute time
RoundingName = Literal["fen", "jiao", "yuan", "ten_yuan"]


class Household(Strict):
    id: Id = Field(min_length=1, max_length=40, description="room number, e.g. 502")
    floor: int = Field(ge=1, description="floor 1 is the ground floor")
    area_m2: Exact = Field(
        description=f"{t('model.household.area_m2', 'en')} ({t('model.household.area_m2', 'zh')})"
    )
    participates: bool = Field(True, description="false: opted out, pays nothing")
    owner: Name | None = Field(None, max_length=80, description="owner's name (personal data)")
    occupied_by_shaft: bool = Field(False, description="the shaft occupies this owner's space")
    note: Text | None = Field(None, max_length=500)

    @field_validator("area_m2")
    @classmethod
    def _area_positive(cls, v: Fraction) -> Fraction:
        if v <= 0:
            raise fail("error.area.positive")
        if v > MAX_AREA_M2:
            raise fail("error.area.too_large", limit=MAX_AREA_M2)
        return v


class Building(Strict):
    floors: int = Field(ge=1, le=40, description="storeys above ground")
    # 40 floors of a dozen flats is under 500: the limit bounds every scheme's work
    households: list[Household] = Field(min_length=1, max_length=1000)
    name: Name | None = Field(None, max_length=120)
    stops: int | None = Field(None, ge=1, le=41, description="elevator stops (default: floors)")

    @property
    def stop_count(self) -> int:
        return self.stops or self.floors


class CostItem(Strict):
    name: Name = Field(min_length=1, max_length=200)
    amount: Amount
    reference: Reference | None = None


class Costs(Strict):
    total: Money | None = Field(None, description="construction cost in yuan")
    fixed: Money | None = Field(None, description="F: cost that does not depend on height")
    per_floor: Money | None = Field(None, description="v: cost per served floor above floor 1")
    items: list[CostItem] | None = Field(
        None, max_length=500, description="itemised cost; must add up to total"
    )
    ladder: dict[Annotated[int, Field(ge=1)], Money] | None = Field(
        None, max_length=100, description="cumulative cost of an elevator serving up to each floor"
    )
    include_conditions: bool = Field(
        False,
        description="add the costed conditions of the feasibility checklist "
        "(e.g. pipeline relocation) to the construction cost",
    )

    @model_validator(mode="after")
    def _check(self) -> "Costs":
        for name in ("total", "fixed", "per_floor"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise fail("error.field.negative", name=name)
        if (self.fixed is None) != (self.per_floor is None):
            raise fail("error.costs.fixed_pair")
        if self.total is None and self.fixed is None and not self.items and not self.ladder:
            raise fail("error.costs.missing")
        if self.items and self.total is not None:
            s = sum((i.amount for i in self.items), Fraction(0))
            if s != self.total:
                raise fail("error.costs.items_sum", items=money_str(s), total=money_str(self.total))
        if self.ladder:
            values = [self.ladder[f] for f in sorted(self.ladder)]
            if any(b < a for a, b in zip(values, values[1:])) or values[0] < 0:
                raise fail("error.costs.ladder_order")
        return self


class Subsidy(Strict):
    name: Name = Field(min_length=1, max_length=200)
    per_elevator: Money | None = Field(None, description="fixed yuan per elevator")
    percent: Exact | None = Field(None, description="percent of the construction cost")
    cap: Money | None = Field(None, description="upper limit in yuan (with percent)")
    per_stop: Money | None = Field(None, description="yuan per elevator stop")
    per_household: Money | None = Field(
        None,
        description="hardship aid: yuan for each household in `households`, "
        "at most that household's share",
    )
    households: list[Id] | None = Field(
        None, max_length=1000, description="the households a hardship aid goes to"
    )
    earmarked_for: Name | None = Field(
        None,
        max_length=200,
        description="cost item it may only pay for; capped at that item's amount",
    )
    paid_on: Literal["approval", "completion", "inspection"] | None = Field(
        None, description="when the money arrives (affects pre-financing, not shares)"
    )
    reference: Reference | SourceText | None = None
    confidence: Confidence | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> "Subsidy":
        shapes = [
            s
            for s in ("per_elevator", "percent", "per_stop", "per_household")
            if getattr(self, s) is not None
        ]
        if len(shapes) != 1:
            raise fail("error.subsidy.one_shape")
        if (self.per_household is None) != (not self.households):
            raise fail("error.subsidy.hardship_households")
        for name in ("per_elevator", "percent", "cap", "per_stop", "per_household"):
            v = getattr(self, name)
            if v is not None and v < 0:
                raise fail("error.field.negative", name=name)
        if self.percent is not None and self.percent > 100:
            raise fail("error.subsidy.percent_max")
        if self.cap is not None and self.percent is None:
            raise fail("error.subsidy.cap_percent")
        return self


class Contribution(Strict):
    name: Name = Field(min_length=1, max_length=200)
    amount: Amount
    earmarked_for: Name | None = Field(None, max_length=200)
    reference: Reference | SourceText | None = None
    confidence: Confidence | None = None


class Funding(Strict):
    subsidies: list[Subsidy] | None = Field(
        None, max_length=100, description="omit to take the subsidies of the project's policy"
    )
    contributions: list[Contribution] = Field(default_factory=list, max_length=100)


class Compensation(Strict):
    floor: int | None = Field(None, ge=1)
    household: Id | None = None
    per_household: Money
    reason: Text | None = Field(None, max_length=2000)
    reference: Reference | SourceText | None = None
    confidence: Confidence | None = None

    @model_validator(mode="after")
    def _target(self) -> "Compensation":
        if (self.floor is None) == (self.household is None):
            raise fail("error.compensation.target")
        if self.per_household < 0:
            raise fail("error.compensation.negative")
        return self


class Sharing(Strict):
    scheme: SchemeName = Field("area", max_length=64, description="see `elevator schemes`")
    coefficients: dict[int, Exact] | None = Field(
        None, max_length=100, description="floor → coefficient"
    )
    by_area: bool = Field(False, description="multiply floor weights by area")
    within_floor: Literal["equal", "area"] = "equal"
    exempt_floors: list[int] = Field(default_factory=lambda: [1])
    unions: Literal["households", "floors"] = "households"
    weights: Literal["households", "area"] = Field(
        "households", description="airport rules: per household or area-weighted"
    )
    rounding: RoundingName = "fen"


class RunningItem(Strict):
    name: Name = Field(min_length=1, max_length=200)
    amount: Amount
    reference: Reference | None = None


class RunningCosts(Strict):
    annual: list[RunningItem] = Field(min_length=1, max_length=100)
    scheme: SchemeName = Field(
        "same", max_length=64, description="'same' as construction, or a scheme name"
    )
    years: int = Field(15, ge=1, le=100)


class Instalment(Strict):
    name: Name = Field(
        min_length=1, max_length=200, description=f"e.g. {both('model.instalment.example')}"
    )
    percent: Exact = Field(description="share of each household's amount, > 0")
    due: Text | None = Field(None, max_length=200)

    @field_validator("percent")
    @classmethod
    def _positive(cls, v: Fraction) -> Fraction:
        if v <= 0:
            raise fail("error.instalment.positive")
        return v


class Project(Strict):
    name: Name = Field(min_length=1, max_length=200)
    policy: str | None = Field(
        None, max_length=64, description="a policy name from `elevator/data/policies/`, not a path"
    )
    date: Day | None = Field(None, description="date the policy values are read at")
    community: Name | None = Field(None, max_length=200)
    building: Building
    costs: Costs
    funding: Funding = Field(default_factory=Funding)
    compensation: list[Compensation] = Field(default_factory=list, max_length=1000)
    sharing: Sharing = Field(default_factory=Sharing)
    running_costs: RunningCosts | None = None
    payment_schedule: list[Instalment] | None = Field(None, max_length=100)
    notes: Text | None = Field(None, max_length=20000)
    consent: ConsentSection | None = Field(
        None, description="decisions (append-only), objections, publicity; see docs/consultation.md"
    )
    site: Site | None = Field(
        None, description="site facts for the feasibility checklist; see docs/feasibility.md"
    )
    evaluation: Evaluation | None = Field(None, description="evaluator stages and sign-offs")

    @field_validator("policy")
    @classmethod
    def _policy_name(cls, v: str | None) -> str | None:
        # a name from the packaged registry (checked when the policy is read), not a path
        if v is not None and not POLICY_NAME.fullmatch(v):
            raise fail("error.policy.name", policy=v[:64], available=", ".join(policy_names()))
        return v

    @model_validator(mode="after")
    def _check(self) -> "Project":
        if self.payment_schedule:
            s = sum((i.percent for i in self.payment_schedule), Fraction(0))
            if s != 100:
                raise fail("error.schedule.sum", percent=number_str(s))
        return self


def household_problems(floors: object, households: list[tuple[object, object]]) -> list[Problem]:
    """Floors above the building and repeated ids, from (id, floor) pairs: also run on
    raw data when other fields fail validation, so every problem is reported at once."""
    out: list[Problem] = []
    seen: set[str] = set()
    for i, (hid, floor) in enumerate(households):
        where = f"building.households[{i}]"
        if isinstance(floors, int) and isinstance(floor, int) and floor > floors:
            out.append(
                Problem(
                    f"{where}.floor",
                    Msg("error.household.floor_above", household=hid, floor=floor, floors=floors),
                )
            )
        if hid is not None and id_key(hid) in seen:  # "101" and "１０１" too
            out.append(Problem(f"{where}.id", Msg("error.household.duplicate", household=hid)))
        seen.add(id_key(hid))
    return out


def cross_checks(project: Project) -> list[Problem]:
    """Checks across sections, each reported with its own field path."""
    b = project.building
    out = household_problems(b.floors, [(h.id, h.floor) for h in b.households])
    seen = {h.id for h in b.households}
    for i, c in enumerate(project.compensation):
        if c.floor is not None and c.floor > b.floors:
            out.append(
                Problem(
                    f"compensation[{i}].floor",
                    Msg("error.compensation.floor_above", floor=c.floor),
                )
            )
        if c.household is not None and c.household not in seen:
            out.append(
                Problem(
                    f"compensation[{i}].household",
                    Msg("error.compensation.no_household", household=c.household),
                )
            )
    for i, sub in enumerate(project.funding.subsidies or []):
        for h in sub.households or []:
            if h not in seen:
                out.append(
                    Problem(
                        f"funding.subsidies[{i}].households",
                        Msg("error.subsidy.no_household", household=h),
                    )
                )
    for f in project.sharing.exempt_floors:
        if not 1 <= f <= b.floors:
            out.append(Problem("sharing.exempt_floors", Msg("error.exempt.outside", floor=f)))
    if project.costs.ladder:
        top = max(project.costs.ladder)
        if top > b.floors:
            out.append(Problem("costs.ladder", Msg("error.ladder.floor_above", floor=top)))
    out.extend(section_problems(project.consent, {h.id for h in b.households}))
    return out
