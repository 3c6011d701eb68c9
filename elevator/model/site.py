"""Site facts a feasibility checklist reads, and the evaluator's workflow record.

`Site` field names are the public contract of the project file's `site:` section
(extend, never rename).  Every fact is optional: a fact that is missing makes the
checklist items that need it "incomplete" (see elevator.feasibility), never "pass".
Facts marked `contract: False` are extras: when given they may add advisories or
conditions, but their absence never makes a verdict incomplete.

`Evaluation` records the Shanghai-style stages (feasibility assessment → house-safety
argument → first supervision → process supervision → completion acceptance), the
stage a project reached, and the evaluators' sign-offs of checklist items.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from elevator.core.errors import fail
from elevator.core.paths import data_file
from elevator.core.text import both, catalogue, pair, t
from elevator.core.types import MONEY_LIMIT, Day, Name, Strict, Text

PIPELINES = ("gas", "water", "drainage", "heating", "power", "telecom")
PIPELINE_LABELS = {p: pair(f"pipeline.{p}") for p in PIPELINES}  # (zh, en), catalogue pipeline.*
Pipeline = Literal["gas", "water", "drainage", "heating", "power", "telecom"]
RATINGS = ("A", "B", "C", "D")


def _fact(
    key: str,
    unit: str | None = None,
    contract: bool = True,
    hint: bool = False,
    **kw,
):
    """A site fact: optional, labelled in both languages (catalogue `fact.<name>`), with its
    unit and a hint for forms (`fact.<name>.hint`)."""
    zh, en = pair(key)
    extra = {"zh": zh, "en": en, "contract": contract}
    if unit:
        extra["unit"] = unit
    text = both(key) + (f" ({unit})" if unit else "")
    if hint:
        extra["hint_zh"], extra["hint_en"] = pair(f"{key}.hint")
        text = t("fact.with_hint", "zh", label=text, hint=both(f"{key}.hint"))
    return Field(None, description=text, json_schema_extra=extra, **kw)


# Upper limits that catch unit slips (millimetres typed into a metres field), not policy.
_LENGTH_LIMITS_M = {
    "spacing_to_nearest_building_m": 500,
    "fire_lane_width_after_m": 100,
    "fire_lane_headroom_after_m": 100,
    "min_stair_width_m": 20,
    "min_exit_door_width_m": 20,
    "car_door_width_m": 10,
    "car_width_m": 10,
    "car_depth_m": 10,
}


class Site(Strict):
    # --- the contract (issue 3) -------------------------------------------
    # no unit: the label says it is a year, and an English "(year)" showed on Chinese pages
    year_built: int | None = _fact("fact.year_built")
    structure_rating: Literal["A", "B", "C", "D"] | None = _fact("fact.structure_rating", hint=True)
    inside_red_line: bool | None = _fact("fact.inside_red_line")
    demolition_planned_within_5y: bool | None = _fact("fact.demolition_planned_within_5y")
    spacing_to_nearest_building_m: float | None = _fact("fact.spacing_to_nearest_building_m", "m")
    fire_lane_width_after_m: float | None = _fact("fact.fire_lane_width_after_m", "m")
    fire_lane_headroom_after_m: float | None = _fact("fact.fire_lane_headroom_after_m", "m")
    min_stair_width_m: float | None = _fact("fact.min_stair_width_m", "m")
    min_exit_door_width_m: float | None = _fact("fact.min_exit_door_width_m", "m")
    shaft_blocks_exit: bool | None = _fact("fact.shaft_blocks_exit")
    pipelines_in_footprint: list[Pipeline] | None = _fact("fact.pipelines_in_footprint", hint=True)
    barrier_free_route: bool | None = _fact("fact.barrier_free_route")
    rated_load_kg: float | None = _fact("fact.rated_load_kg", "kg")
    car_door_width_m: float | None = _fact("fact.car_door_width_m", "m")
    entry: Literal["flat", "half_landing"] | None = _fact("fact.entry", hint=True)

    # --- extra facts: checked when given, never required -------------------
    storeys: int | None = _fact("fact.storeys", contract=False, ge=1, le=40, hint=True)
    facing_wall_fire_rated: bool | None = _fact("fact.facing_wall_fire_rated", contract=False)
    shaft_on_sunlight_side: bool | None = _fact("fact.shaft_on_sunlight_side", contract=False)
    glass_shaft: bool | None = _fact("fact.glass_shaft", contract=False)
    gas_pipe_in_shaft: bool | None = _fact("fact.gas_pipe_in_shaft", contract=False)
    ramp_blocks_vehicle_lane: bool | None = _fact("fact.ramp_blocks_vehicle_lane", contract=False)
    shaft_beside_bedrooms: bool | None = _fact("fact.shaft_beside_bedrooms", contract=False)
    car_width_m: float | None = _fact("fact.car_width_m", "m", contract=False)
    car_depth_m: float | None = _fact("fact.car_depth_m", "m", contract=False)
    levelling_accuracy_mm: float | None = _fact("fact.levelling_accuracy_mm", "mm", contract=False)
    condition_costs: dict[Annotated[str, Field(max_length=200)], float] | None = Field(
        None,
        description=both("fact.condition_costs"),
        json_schema_extra={"contract": False},
    )
    note: Text | None = Field(None, max_length=2000)

    @field_validator("structure_rating", mode="before")
    @classmethod
    def _rating(cls, v: object) -> object:
        if v is None:
            return v
        text = str(v).strip().upper()
        if text not in RATINGS:
            raise fail("fact.error.rating", value=repr(v))
        return text

    @field_validator("year_built")
    @classmethod
    def _year(cls, v: int | None) -> int | None:
        if v is None:
            return v
        this_year = dt.date.today().year
        if v > this_year:
            raise fail("fact.error.year_future", year=v, this_year=this_year)
        if v < 1800:
            raise fail("fact.error.year_implausible", year=v)
        return v

    @field_validator(*_LENGTH_LIMITS_M, "rated_load_kg", "levelling_accuracy_mm")
    @classmethod
    def _measure(cls, v: float | None, info) -> float | None:
        if v is None:
            return v
        if v != v or v in (float("inf"), float("-inf")):  # NaN or 1e999 from a sheet
            raise fail("fact.error.not_a_number")
        if v < 0:
            raise fail("fact.error.negative")
        limit = _LENGTH_LIMITS_M.get(info.field_name)
        if limit is not None and v > limit:
            raise fail("fact.error.millimetres", value=v, limit=limit)
        if info.field_name == "rated_load_kg" and v > 10000:
            raise fail("fact.error.rated_load")
        return v

    @field_validator("pipelines_in_footprint")
    @classmethod
    def _pipelines(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and len(set(v)) != len(v):
            raise fail("fact.error.pipeline_twice")
        return v

    @field_validator("condition_costs")
    @classmethod
    def _costs(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        for key, amount in (v or {}).items():
            if amount != amount or abs(amount) >= MONEY_LIMIT:
                raise fail("error.money.out_of_range")
            if amount < 0:
                raise fail("fact.error.cost_negative", key=key)
        return v

    def facts(self) -> dict[str, object]:
        """The given facts as a plain dict (what the rule engine reads)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


def site_fact_info() -> dict[str, dict]:
    """Field → {zh, en, unit, contract, hint_zh, hint_en}: labels (catalogue `fact.<name>`),
    units and hints (`fact.<name>.hint`) for forms and sheet headers."""
    out = {}
    for name, field in Site.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        if "zh" in extra:
            out[name] = dict(extra)
    return out


CONTRACT_FACTS = tuple(k for k, v in site_fact_info().items() if v["contract"])
EXTRA_FACTS = tuple(k for k, v in site_fact_info().items() if not v["contract"])


# --- the evaluator's workflow --------------------------------------------

StageName = Literal[
    "feasibility_assessment",
    "safety_argument",
    "first_supervision",
    "process_supervision",
    "completion_acceptance",
]
STAGES: tuple[str, ...] = (
    "feasibility_assessment",
    "safety_argument",
    "first_supervision",
    "process_supervision",
    "completion_acceptance",
)
SignOffResult = Literal["pass", "fail", "conditional", "not_applicable"]


@lru_cache(maxsize=1)
def stage_checklists() -> dict[str, dict]:
    """Stage → {name: {zh, en}, note, source, items: {item id: {zh, en, …}}}: the stages of
    the rules data file, their words from the catalogue (`stage.<id>`, `stage.<id>.note`,
    `stage.<id>.item.<item id>`; a rule's item is its question, `rule.<id>.question`)."""
    import yaml  # noqa: PLC0415 (only when a project records an evaluation)

    path = data_file("feasibility_rules.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    rule_items = {r["id"]: _words(f"rule.{r['id']}.question") for r in data["rules"]}
    for stage in data["stages"]:
        sid = stage["id"]
        items = dict(rule_items) if stage.get("items_from_rules") else {}
        for item in stage.get("items", []):
            items[item["id"]] = {**item, **_words(f"stage.{sid}.item.{item['id']}")}
        out[sid] = {**stage, "name": _words(f"stage.{sid}"), "items": items}
        if f"stage.{sid}.note" in catalogue("zh"):
            out[sid]["note"] = _words(f"stage.{sid}.note")
    return out


def _words(key: str) -> dict[str, str]:
    zh, en = pair(key)
    return {"zh": zh, "en": en}


class SignOff(Strict):
    stage: StageName
    item: str = Field(
        min_length=1, description="checklist item id (a rule id at the feasibility assessment)"
    )
    name: Name = Field(min_length=1, max_length=80, description="evaluator's name")
    date: Day
    result: SignOffResult
    note: Text | None = Field(None, max_length=2000)

    @field_validator("date")
    @classmethod
    def _not_future(cls, v: dt.date) -> dt.date:
        if v > dt.date.today():
            raise fail("feasibility.signoff.future", date=v)
        return v

    @model_validator(mode="after")
    def _known_item(self) -> "SignOff":
        items = stage_checklists()[self.stage]["items"]
        if self.item not in items:
            raise fail("feasibility.signoff.unknown_item", stage=self.stage, item=self.item)
        return self


class Evaluation(Strict):
    stage: StageName = Field("feasibility_assessment", description="the stage the project reached")
    project_manager: Name | None = Field(
        None, max_length=80, description=both("feasibility.evaluation.project_manager")
    )
    supervising_engineer: Name | None = Field(
        None, max_length=80, description=both("feasibility.evaluation.supervising_engineer")
    )
    signoffs: list[SignOff] = Field(default_factory=list)

    @model_validator(mode="after")
    def _order(self) -> "Evaluation":
        reached = STAGES.index(self.stage)
        for s in self.signoffs:
            if STAGES.index(s.stage) > reached:
                raise fail(
                    "feasibility.evaluation.stage_not_reached", stage=s.stage, reached=self.stage
                )
        return self

    def latest(self) -> dict[tuple[str, str], SignOff]:
        """(stage, item) → the most recent sign-off (later entries win on the same date)."""
        out: dict[tuple[str, str], SignOff] = {}
        for s in self.signoffs:
            key = (s.stage, s.item)
            if key not in out or s.date >= out[key].date:
                out[key] = s
        return out
