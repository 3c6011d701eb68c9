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
from typing import Literal

from pydantic import Field, field_validator, model_validator

from elevator.core.errors import fail
from elevator.core.paths import data_file
from elevator.core.types import Strict

PIPELINES = ("gas", "water", "drainage", "heating", "power", "telecom")
PIPELINE_LABELS = {
    "gas": ("燃气", "gas"),
    "water": ("给水", "water"),
    "drainage": ("排水", "drainage"),
    "heating": ("供热", "heating"),
    "power": ("电力", "power"),
    "telecom": ("通信", "telecom"),
}
Pipeline = Literal["gas", "water", "drainage", "heating", "power", "telecom"]
RATINGS = ("A", "B", "C", "D")


def _fact(
    zh: str,
    en: str,
    unit: str | None = None,
    contract: bool = True,
    hint: tuple[str, str] | None = None,
    **kw,
):
    """A site fact: optional, labelled in both languages, with its unit and a hint for forms."""
    extra = {"zh": zh, "en": en, "contract": contract}
    if unit:
        extra["unit"] = unit
    if hint:
        extra["hint_zh"], extra["hint_en"] = hint
    text = f"{zh} / {en}" + (f" ({unit})" if unit else "")
    if hint:
        text += f"：{hint[0]} / {hint[1]}"
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
    year_built: int | None = _fact("建成年份", "year built", "year")
    structure_rating: Literal["A", "B", "C", "D"] | None = _fact(
        "房屋安全鉴定等级", "house safety rating", hint=("A、B、C、D", "A, B, C or D")
    )
    inside_red_line: bool | None = _fact("井道位于用地红线内", "shaft inside the site red line")
    demolition_planned_within_5y: bool | None = _fact(
        "5 年内列入拆迁/改造计划", "demolition planned within 5 years"
    )
    spacing_to_nearest_building_m: float | None = _fact(
        "井道与最近建筑的间距", "distance from the shaft to the nearest building", "m"
    )
    fire_lane_width_after_m: float | None = _fact(
        "加装后消防车道净宽", "fire lane clear width once the shaft stands", "m"
    )
    fire_lane_headroom_after_m: float | None = _fact(
        "加装后消防车道净高", "fire lane headroom once the shaft stands", "m"
    )
    min_stair_width_m: float | None = _fact("楼梯最窄净宽", "narrowest stair width", "m")
    min_exit_door_width_m: float | None = _fact(
        "安全出口门最窄净宽", "narrowest exit door width", "m"
    )
    shaft_blocks_exit: bool | None = _fact("井道遮挡安全出口", "the shaft blocks an exit")
    pipelines_in_footprint: list[Pipeline] | None = _fact(
        "井道占地内的管线",
        "pipelines crossing the footprint",
        hint=(
            "gas 燃气、water 给水、drainage 排水、heating 供热、power 电力、telecom 通信；无则写 []",
            "gas, water, drainage, heating, power, telecom; [] for none",
        ),
    )
    barrier_free_route: bool | None = _fact(
        "有无障碍通道到达电梯", "barrier-free route to the lift"
    )
    rated_load_kg: float | None = _fact("额定载重量", "rated load", "kg")
    car_door_width_m: float | None = _fact("轿厢门净宽", "car door clear width", "m")
    entry: Literal["flat", "half_landing"] | None = _fact(
        "入户方式", "entry mode", hint=("flat 平层 / half_landing 半层", "flat / half_landing")
    )

    # --- extra facts: checked when given, never required -------------------
    storeys: int | None = _fact(
        "地上层数",
        "storeys above ground",
        contract=False,
        ge=1,
        le=40,
        hint=("项目文件中取 building.floors", "a project file uses building.floors"),
    )
    facing_wall_fire_rated: bool | None = _fact(
        "间距不足时，相对外墙为防火墙",
        "the facing wall is a fire wall (when spacing is short)",
        contract=False,
    )
    shaft_on_sunlight_side: bool | None = _fact(
        "井道位于相邻住宅的日照面",
        "the shaft stands on a neighbour's sunlight side",
        contract=False,
    )
    glass_shaft: bool | None = _fact(
        "采用玻璃（透光）井道", "glass (light-passing) shaft", contract=False
    )
    gas_pipe_in_shaft: bool | None = _fact(
        "设计中燃气管穿过井道", "the design runs gas pipes through the shaft", contract=False
    )
    ramp_blocks_vehicle_lane: bool | None = _fact(
        "无障碍坡道占用车行道", "the ramp blocks the vehicle lane", contract=False
    )
    shaft_beside_bedrooms: bool | None = _fact(
        "井道紧贴卧室（噪声）", "the shaft is beside bedrooms (noise)", contract=False
    )
    car_width_m: float | None = _fact("轿厢净宽", "car inside width", "m", contract=False)
    car_depth_m: float | None = _fact("轿厢净深", "car inside depth", "m", contract=False)
    levelling_accuracy_mm: float | None = _fact(
        "平层准确度（±）", "levelling accuracy (±)", "mm", contract=False
    )
    condition_costs: dict[str, float] | None = Field(
        None,
        description="条件项费用估价（键见 docs/feasibility.md，如 pipeline_relocation）/ "
        "quoted cost of condition items by cost key, e.g. pipeline_relocation",
        json_schema_extra={"contract": False},
    )
    note: str | None = Field(None, max_length=2000)

    @field_validator("structure_rating", mode="before")
    @classmethod
    def _rating(cls, v: object) -> object:
        if v is None:
            return v
        text = str(v).strip().upper()
        if text not in RATINGS:
            raise fail(
                f"房屋安全鉴定等级应为 A、B、C、D 之一（不是 {v!r}）",
                f"the house safety rating must be one of A, B, C, D (not {v!r})",
            )
        return text

    @field_validator("year_built")
    @classmethod
    def _year(cls, v: int | None) -> int | None:
        if v is None:
            return v
        this_year = dt.date.today().year
        if v > this_year:
            raise fail(
                f"建成年份 {v} 晚于今年（{this_year}）",
                f"year built {v} is in the future (this year is {this_year})",
            )
        if v < 1800:
            raise fail(f"建成年份 {v} 不合理", f"year built {v} is implausible")
        return v

    @field_validator(*_LENGTH_LIMITS_M, "rated_load_kg", "levelling_accuracy_mm")
    @classmethod
    def _measure(cls, v: float | None, info) -> float | None:
        if v is None:
            return v
        if v != v:  # NaN from a spreadsheet
            raise fail("应为数字", "must be a number")
        if v < 0:
            raise fail("不能为负", "must not be negative")
        limit = _LENGTH_LIMITS_M.get(info.field_name)
        if limit is not None and v > limit:
            raise fail(
                f"{v} m 超过 {limit} m：是否误填了毫米？",
                f"{v} m is over {limit} m: millimetres typed by mistake?",
            )
        if info.field_name == "rated_load_kg" and v > 10000:
            raise fail(
                "额定载重量超过 10000 kg，不合理", "rated load over 10,000 kg is implausible"
            )
        return v

    @field_validator("pipelines_in_footprint")
    @classmethod
    def _pipelines(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and len(set(v)) != len(v):
            raise fail("管线类别重复", "a pipeline is listed twice")
        return v

    @field_validator("condition_costs")
    @classmethod
    def _costs(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        for key, amount in (v or {}).items():
            if amount < 0:
                raise fail(f"{key} 的费用不能为负", f"cost of {key} must not be negative")
        return v

    def facts(self) -> dict[str, object]:
        """The given facts as a plain dict (what the rule engine reads)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


def site_fact_info() -> dict[str, dict]:
    """Field → {zh, en, unit, contract}: labels and units for forms and sheet headers."""
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
    """Stage → {name: {zh, en}, source, items: {item id: {...}}} from the rules data file."""
    import yaml  # noqa: PLC0415 (only when a project records an evaluation)

    path = data_file("feasibility_rules.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    rule_items = {
        r["id"]: {"zh": r["question"]["zh"], "en": r["question"]["en"]} for r in data["rules"]
    }
    for stage in data["stages"]:
        items = dict(rule_items) if stage.get("items_from_rules") else {}
        for item in stage.get("items", []):
            items[item["id"]] = item
        out[stage["id"]] = {**stage, "items": items}
    return out


class SignOff(Strict):
    stage: StageName
    item: str = Field(
        min_length=1, description="checklist item id (a rule id at the feasibility assessment)"
    )
    name: str = Field(min_length=1, max_length=80, description="evaluator's name")
    date: dt.date
    result: SignOffResult
    note: str | None = Field(None, max_length=2000)

    @field_validator("date")
    @classmethod
    def _not_future(cls, v: dt.date) -> dt.date:
        if v > dt.date.today():
            raise fail(f"签核日期 {v} 晚于今天", f"sign-off date {v} is in the future")
        return v

    @model_validator(mode="after")
    def _known_item(self) -> "SignOff":
        items = stage_checklists()[self.stage]["items"]
        if self.item not in items:
            raise fail(
                f"阶段 {self.stage} 没有检查项 {self.item}",
                f"stage {self.stage} has no checklist item {self.item}",
            )
        return self


class Evaluation(Strict):
    stage: StageName = Field("feasibility_assessment", description="the stage the project reached")
    project_manager: str | None = Field(
        None, max_length=80, description="项目经理 / project manager"
    )
    supervising_engineer: str | None = Field(
        None, max_length=80, description="监理工程师 / supervising engineer"
    )
    signoffs: list[SignOff] = Field(default_factory=list)

    @model_validator(mode="after")
    def _order(self) -> "Evaluation":
        reached = STAGES.index(self.stage)
        for s in self.signoffs:
            if STAGES.index(s.stage) > reached:
                raise fail(
                    f"签核了尚未到达的阶段 {s.stage}（当前阶段 {self.stage}）",
                    f"sign-off for stage {s.stage}, which is after the stage reached "
                    f"({self.stage})",
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
