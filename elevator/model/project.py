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
    hardship: bool = Field(
        False, description="low-income / hardship household: receives a policy's hardship aid"
    )
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


class Eligibility(Strict):
    """Conditions a subsidy is granted under, checked against the project's facts; a
    subsidy whose conditions fail counts 0 with the reason in plain words."""

    storeys_min: int | None = Field(
        None, ge=1, description="at least this many storeys (inclusive)"
    )
    not_single_owner: bool = Field(False, description="not for a building with a single owner")
    once_per_stairwell: bool = Field(
        False, description="one grant per stairwell, however many elevators"
    )
    registered_from: Day | None = Field(
        None, description="elevator registration certificate issued on or after this day"
    )
    registered_to: Day | None = Field(None, description="... and on or before this day (inclusive)")
    place: Name | None = Field(None, description="who grants it, named in the reason (zh / en)")

    @model_validator(mode="after")
    def _window(self) -> "Eligibility":
        a, b = self.registered_from, self.registered_to
        if a is not None and b is not None and b < a:
            raise fail("error.eligibility.window_order")
        return self


class Subsidy(Strict):
    name: Name = Field(min_length=1, max_length=200)
    per_elevator: Money | None = Field(None, description="fixed yuan per elevator")
    percent: Exact | None = Field(None, description="percent of the construction cost")
    cap: Money | None = Field(None, description="upper limit in yuan (with percent)")
    per_stop: Money | None = Field(None, description="yuan per elevator stop")
    per_served_household: Money | None = Field(
        None, description="yuan for each participating household of the stairwell"
    )
    per_household: Money | None = Field(
        None,
        description="hardship aid: yuan for each household in `households`, "
        "at most that household's share",
    )
    whole_share: bool = Field(
        False,
        description="hardship aid that pays the whole share of each household in `households`",
    )
    cap_total: Money | None = Field(
        None, description="hardship aid: at most this in total for the elevator (pooled)"
    )
    households: list[Id] | None = Field(
        None, max_length=1000, description="the households a hardship aid goes to"
    )
    up_to: bool = Field(
        False, description="the amount is a maximum and the rule that decides it is not known"
    )
    eligibility: Eligibility | None = None
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
            for s in (
                "per_elevator",
                "percent",
                "per_stop",
                "per_served_household",
                "per_household",
            )
            if getattr(self, s) is not None
        ] + (["whole_share"] if self.whole_share else [])
        if len(shapes) != 1:
            raise fail("error.subsidy.shape")
        if self.is_hardship_aid != bool(self.households):
            raise fail("error.subsidy.hardship_households")
        for name in (
            "per_elevator",
            "percent",
            "cap",
            "per_stop",
            "per_served_household",
            "per_household",
            "cap_total",
        ):
            v = getattr(self, name)
            if v is not None and v < 0:
                raise fail("error.field.negative", name=name)
        if self.percent is not None and self.percent > 100:
            raise fail("error.subsidy.percent_max")
        if self.cap is not None and self.percent is None and self.per_stop is None:
            if self.per_served_household is None:
                raise fail("error.subsidy.cap_shape")
        if self.cap_total is not None and not self.is_hardship_aid:
            raise fail("error.subsidy.cap_total_hardship")
        return self

    @property
    def is_hardship_aid(self) -> bool:
        """Aid for named households (it lowers their shares, not the amount shared)."""
        return self.per_household is not None or self.whole_share


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


class FixedAmount(Strict):
    """An agreed amount a household (or each household of a floor) pays, whatever the
    scheme says; the scheme shares only the rest among the other payers."""

    floor: int | None = Field(None, ge=1)
    household: Id | None = None
    amount: Amount = Field(description="yuan per household, before compensation and aid")
    reason: Text | None = Field(None, max_length=500)
    reference: Reference | str | None = None
    confidence: Confidence | None = None

    @model_validator(mode="after")
    def _target(self) -> "FixedAmount":
        if (self.floor is None) == (self.household is None):
            raise fail("error.fixed.target")
        return self


AreaRounding = Literal["none", "0.01", "1"]


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
    fixed: list[FixedAmount] = Field(
        default_factory=list,
        max_length=1000,
        description="agreed amounts per household or per floor",
    )
    area_rounding: AreaRounding = Field(
        "none", description="areas rounded to 0.01 m² or whole m² before weighting"
    )
    area_rounding_mode: Literal["half_up", "down"] = Field(
        "half_up", description="half_up or down (truncate)"
    )

    @field_validator("area_rounding", mode="before")
    @classmethod
    def _area_rounding_text(cls, v: object) -> object:
        # YAML reads `area_rounding: 1` as a number; the choice is a word
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return {1: "1", 0.01: "0.01"}.get(v, str(v))
        return v


class RunningItem(Strict):
    name: Name = Field(min_length=1, max_length=200)
    amount: Amount
    reference: Reference | None = None


class RunningGrant(Strict):
    """Money that may pay running costs only (maintenance, electricity): it lowers the
    running costs, never the construction shares."""

    name: Name = Field(min_length=1, max_length=200)
    amount: Amount
    per: Literal["year", "once"] = Field(
        "year", description="every year, or once for the whole period (`years`)"
    )
    reference: Reference | str | None = None
    confidence: Confidence | None = None


class RunningCosts(Strict):
    annual: list[RunningItem] = Field(min_length=1, max_length=100)
    grants: list[RunningGrant] = Field(default_factory=list, max_length=100)
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


class Installation(Strict):
    """Facts about the elevator that decide whether a subsidy applies."""

    registered_on: Day | None = Field(
        None, description="date of the special-equipment registration certificate"
    )
    single_owner: bool = Field(False, description="the building has a single owner")
    subsidised_before: bool = Field(
        False, description="this stairwell already received the subsidy for another elevator"
    )


class Project(Strict):
    name: Name = Field(min_length=1, max_length=200)
    policy: str | None = Field(
        None, max_length=64, description="a policy name from `elevator/data/policies/`, not a path"
    )
    district: str | None = Field(
        None,
        max_length=32,
        pattern=r"^[a-z0-9_]+$",
        description="district within the policy's city: reads policies/<policy>-<district>",
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
    installation: Installation | None = Field(
        None, description="registration and ownership facts that subsidies depend on"
    )

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

    @property
    def policy_id(self) -> str | None:
        """The policy file the project is read under: the district's when it names one."""
        if self.policy and self.district:
            return f"{self.policy}-{self.district}"
        return self.policy


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
    if project.district is not None and project.policy is None:
        out.append(Problem("district", Msg("error.district.no_policy")))
    by_id = {h.id: h for h in b.households}
    targets: set[str] = set()
    for i, fx in enumerate(project.sharing.fixed):
        where = f"sharing.fixed[{i}]"
        target = f"floor {fx.floor}" if fx.floor is not None else str(fx.household)
        if target in targets:
            out.append(Problem(where, Msg("error.fixed.repeated", target=target)))
        targets.add(target)
        if fx.floor is not None and fx.floor > b.floors:
            out.append(Problem(f"{where}.floor", Msg("error.fixed.floor_above", floor=fx.floor)))
        if fx.household is not None and fx.household not in by_id:
            out.append(
                Problem(
                    f"{where}.household", Msg("error.fixed.no_household", household=fx.household)
                )
            )
        elif fx.household is not None and not by_id[fx.household].participates:
            out.append(
                Problem(f"{where}.household", Msg("error.fixed.opted_out", household=fx.household))
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
