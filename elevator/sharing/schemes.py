"""Sharing schemes: each turns the paying households into exact weights.

A household's share is amount × w / Σw (see `elevator.sharing`).  The words
here are what users read; the formulas (sympy) are in `elevator.formulas`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from elevator.core.errors import Problem, ProjectError
from elevator.model.project import Household, Sharing
from elevator.sharing import airport


@dataclass(frozen=True)
class Context:
    payers: Sequence[Household]  # participating, not exempt
    sharing: Sharing
    floor_cost: Callable[[int], Fraction] | None  # c_f, None when only a total is known
    floors: int


@dataclass(frozen=True)
class Scheme:
    name: str
    zh: str
    en: str
    words_zh: str  # the formula in words, printed under every table
    words_en: str
    weights: Callable[[Context], dict[str, Fraction]]
    needs_floor_costs: bool = False
    monotone: bool = True  # promises shares that do not fall with the floor
    nonnegative: bool = True
    source: str = ""
    area_weighted: bool = False  # accepts `weights: area` (the weighted airport rules)


def _height(h: Household) -> int:
    return h.floor - 1


def _area_factor(ctx: Context, h: Household) -> Fraction:
    return h.area_m2 if ctx.sharing.by_area else Fraction(1)


def split_within_floor(ctx: Context, floor_values: Mapping[int, Fraction]) -> dict[str, Fraction]:
    """Give each floor's value to its paying households, equally or by area."""
    out: dict[str, Fraction] = {}
    for f, value in floor_values.items():
        members = [h for h in ctx.payers if h.floor == f]
        if ctx.sharing.within_floor == "area":
            total = sum((h.area_m2 for h in members), Fraction(0))
            for h in members:
                out[h.id] = value * h.area_m2 / total
        else:
            for h in members:
                out[h.id] = value / len(members)
    return out


def _equal(ctx: Context) -> dict[str, Fraction]:
    return {h.id: Fraction(1) for h in ctx.payers}


def _area(ctx: Context) -> dict[str, Fraction]:
    return {h.id: h.area_m2 for h in ctx.payers}


def _floor_coefficients(ctx: Context) -> dict[str, Fraction]:
    coeffs = ctx.sharing.coefficients
    if coeffs is None:
        raise ProjectError(
            [
                Problem(
                    "sharing.coefficients",
                    "该方案需要楼层系数表",
                    "this scheme needs a table of floor coefficients",
                )
            ]
        )
    problems = []
    for f in sorted({h.floor for h in ctx.payers}):
        if f not in coeffs:
            problems.append(
                Problem(
                    f"sharing.coefficients.{f}",
                    f"缺少 {f} 层的系数（该层有住户分摊）",
                    f"no coefficient for floor {f}, which has paying households",
                )
            )
        elif coeffs[f] < 0:
            problems.append(
                Problem(
                    f"sharing.coefficients.{f}",
                    "系数不能为负",
                    "a coefficient must not be negative",
                )
            )
    if problems:
        raise ProjectError(problems)
    if ctx.sharing.by_area:
        return {h.id: coeffs[h.floor] * h.area_m2 for h in ctx.payers}
    return {h.id: coeffs[h.floor] for h in ctx.payers}


def _floors_travelled(ctx: Context) -> dict[str, Fraction]:
    return {h.id: _height(h) * _area_factor(ctx, h) for h in ctx.payers}


def _elevator_rule(ctx: Context) -> dict[str, Fraction]:
    floors = {h.floor for h in ctx.payers}
    return split_within_floor(ctx, {f: 1 + Fraction(f - 2, 2) for f in floors})


def _game(
    ctx: Context, rule: Callable[[Sequence[Fraction]], list[Fraction]]
) -> dict[str, Fraction]:
    assert ctx.floor_cost is not None
    if ctx.sharing.unions == "floors":
        floors = sorted({h.floor for h in ctx.payers})
        values = rule([ctx.floor_cost(f) for f in floors])
        return split_within_floor(ctx, dict(zip(floors, values)))
    values = rule([ctx.floor_cost(h.floor) for h in ctx.payers])
    return {h.id: v for h, v in zip(ctx.payers, values)}


def _shapley(ctx: Context) -> dict[str, Fraction]:
    return _game(ctx, airport.shapley)


def _equal_benefit(ctx: Context) -> dict[str, Fraction]:
    return _game(ctx, airport.equal_benefit)


def _italian_1124(ctx: Context) -> dict[str, Fraction]:
    total_area = sum((h.area_m2 for h in ctx.payers), Fraction(0))
    total_height = sum(_height(h) for h in ctx.payers)
    if total_height == 0:
        raise ProjectError(
            [
                Problem(
                    "sharing.scheme",
                    "意大利 1124 条需要有住户位于 2 层及以上",
                    "italian_1124 needs paying households above the ground floor",
                )
            ]
        )
    return {
        h.id: Fraction(1, 2) * h.area_m2 / total_area + Fraction(_height(h), 2 * total_height)
        for h in ctx.payers
    }


# --- airport-problem rules (elevator.airport): weights are the allocation itself;
# sharing scales them to the amount shared, share = A·x/Σx = A·x/c(P), where c(P)
# is the cost of serving the highest paying floor (docs/fair-division.md).


def _airport(rule: str) -> Callable[[Context], dict[str, Fraction]]:
    def weights(ctx: Context) -> dict[str, Fraction]:
        assert ctx.floor_cost is not None
        by_area = ctx.sharing.weights == "area"
        try:
            if ctx.sharing.unions == "floors":
                floors = sorted({h.floor for h in ctx.payers})
                area = {
                    f: sum((h.area_m2 for h in ctx.payers if h.floor == f), Fraction(0))
                    for f in floors
                }
                values = airport.allocate(
                    rule,
                    [ctx.floor_cost(f) for f in floors],
                    [area[f] for f in floors] if by_area else None,
                )
                return split_within_floor(ctx, dict(zip(floors, values)))
            values = airport.allocate(
                rule,
                [ctx.floor_cost(h.floor) for h in ctx.payers],
                [h.area_m2 for h in ctx.payers] if by_area else None,
            )
        except airport.RuleNotApplicable as e:
            raise ProjectError(
                [Problem("sharing.weights" if by_area else "sharing.scheme", e.zh, e.en)]
            )
        return {h.id: v for h, v in zip(ctx.payers, values)}

    return weights


_AIRPORT_SOURCE = "Thomson (2024) Math. Soc. Sci. 131:17–31; AirportProblems (R, 2025)"
AIRPORT_SCHEMES = [
    Scheme(
        "sfc",
        "逐段全额分担",
        "sequential full contributions",
        "每一段费用由恰好需要到该段的那一层住户全额分担（按面积加权时按面积分）",
        "each cost segment is paid in full by the households whose floor ends it "
        "(by area when area-weighted)",
        _airport("sfc"),
        needs_floor_costs=True,
        monotone=False,
        source=_AIRPORT_SOURCE,
    ),
    Scheme(
        "sec",
        "逐段平均分担（沙普利值）",
        "sequential equal contributions (Shapley)",
        "每一段费用由所有用到该段的住户平分（按面积加权时按面积分）",
        "each cost segment is split equally among everyone who rides through it "
        "(by area when area-weighted)",
        _airport("sec"),
        needs_floor_costs=True,
        source="Littlechild & Owen (1973); " + _AIRPORT_SOURCE,
    ),
    Scheme(
        "cec",
        "受约束平均分担",
        "constrained equal contributions",
        "人人出一样多，但任何一组住户都不超过只为他们装电梯的费用",
        "everybody pays the same, except that no group pays more than an elevator "
        "for that group alone",
        _airport("cec"),
        needs_floor_costs=True,
        source="Dutta & Ray (1989); " + _AIRPORT_SOURCE,
    ),
    Scheme(
        "ceb",
        "受约束平均受益",
        "constrained equal benefits",
        "每户比单独加装节省相同的金额，但无人倒贴（按面积加权时面积大者节省更多）",
        "every household saves the same amount against building alone, but nobody is "
        "paid to join (area-weighted: larger flats save more)",
        _airport("ceb"),
        needs_floor_costs=True,
        source=_AIRPORT_SOURCE,
    ),
    Scheme(
        "cp",
        "受约束按成本比例",
        "constrained proportional",
        "按各户单独加装的成本比例分摊，但任何一组都不超过只为他们装电梯的费用",
        "in proportion to each household's stand-alone cost, except that no group pays "
        "more than its own elevator",
        _airport("cp"),
        needs_floor_costs=True,
        source=_AIRPORT_SOURCE,
    ),
    Scheme(
        "sm",
        "最大松弛（核仁）",
        "slack maximizer (nucleolus)",
        "让最吃亏的一组住户离“自己装更便宜”的距离尽量大",
        "makes the smallest margin any group has against building alone as large as possible",
        _airport("sm"),
        needs_floor_costs=True,
        source="Littlechild (1974); " + _AIRPORT_SOURCE,
    ),
    Scheme(
        "cc",
        "核心中心",
        "core centre",
        "所有“无人补贴他人”的分摊方式的平均（重心）",
        "the average (centroid) of every split in which no group subsidises another",
        _airport("cc"),
        needs_floor_costs=True,
        source="González-Díaz et al. (2016); " + _AIRPORT_SOURCE,
    ),
]


# only the rules whose weighted definition we have (airport.RULES) accept `weights: area`
AIRPORT_SCHEMES = [replace(s, area_weighted=airport.RULES[s.name][1]) for s in AIRPORT_SCHEMES]

SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in [
        Scheme(
            "equal",
            "平均分摊",
            "equal split",
            "每户相同份额",
            "every paying household pays the same",
            _equal,
        ),
        Scheme(
            "area",
            "按面积分摊",
            "by floor area",
            "按专有部分面积比例（《民法典》第二百八十三条的默认规则）",
            "in proportion to exclusive floor area (Civil Code art. 283 default)",
            _area,
            monotone=False,
            source="民法典 第283条 / Civil Code art. 283",
        ),
        Scheme(
            "floor_coefficients",
            "楼层系数",
            "floor coefficients",
            "按楼层系数（by_area 时乘以面积）占系数合计的比例",
            "floor coefficient (× area when by_area) over the sum of all coefficients",
            _floor_coefficients,
            monotone=False,
        ),
        Scheme(
            "floors_travelled",
            "按提升层数",
            "floors travelled",
            "按电梯为该户提升的层数 k = 楼层 − 1 的比例",
            "in proportion to the floors the elevator lifts the household, k = floor − 1",
            _floors_travelled,
        ),
        Scheme(
            "elevator_rule",
            "电梯规则（1、1.5、2…）",
            "elevator rule (1, 1.5, 2, …)",
            "2 层权重 1，每高一层加 0.5，层内再分",
            "floor weight 1 at the 2nd floor plus 0.5 per floor above, split within the floor",
            _elevator_rule,
        ),
        Scheme(
            "shapley",
            "沙普利值",
            "Shapley value",
            "固定费用 F 由全部分摊户平分；每一段楼层费用由用到该段的住户平分",
            "the fixed cost F is split by all payers; each floor segment's cost is split by "
            "those who ride through it",
            _shapley,
            needs_floor_costs=True,
            source="Littlechild & Owen (1973); Shapley (1953)",
        ),
        Scheme(
            "equal_benefit",
            "等额节约",
            "equal division of savings",
            "各户单独加装的成本减去共同加装节约额的平均数",
            "each household's stand-alone cost minus an equal share of the joint savings",
            _equal_benefit,
            needs_floor_costs=True,
            nonnegative=False,
        ),
        Scheme(
            "italian_1124",
            "意大利民法典第1124条",
            "Italian Civil Code art. 1124",
            "一半按面积（价值），一半按楼层高度",
            "half by floor area (value), half by height above the ground floor",
            _italian_1124,
            monotone=False,
            source="Codice civile art. 1124",
        ),
        *AIRPORT_SCHEMES,
    ]
}
