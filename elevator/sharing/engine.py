"""From a project to exact shares: cost → funding → amount to share → weights → rounding.

    to_share = cost − subsidies − contributions
    share_i  = (to_share + compensation + aid) × w_i / Σ w  (payers only)
    net_i    = share_i − compensation_i − aid_i             (Σ net = to_share)

Hardship aid (a subsidy for named households) lowers only those households' nets.

Everything is a Fraction until `money.round_to_total` rounds the nets once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from elevator.core.errors import Problem, ProjectError
from elevator.core.money import (
    FEN,
    ROUNDING_NAMES,
    ROUNDING_UNITS,
    TIE_BREAK_EN,
    TIE_BREAK_ZH,
    floor_to,
    money_str,
    number_str,
    round_to_total,
)
from elevator.model.project import Household, Project, Sharing, Subsidy
from elevator.sharing.schemes import SCHEMES, Context, Scheme


@dataclass(frozen=True)
class FundingLine:
    kind: str  # "subsidy" | "contribution"
    name: str
    amount: Fraction
    basis_zh: str
    basis_en: str
    reference: str | None = None
    href: str | None = None
    confidence: str | None = None


@dataclass(frozen=True)
class HouseholdShare:
    id: str
    floor: int
    area_m2: Fraction
    participates: bool
    payer: bool  # participates and not on an exempt floor
    weight: Fraction
    gross: Fraction  # exact share of (to_share + compensation)
    compensation: Fraction
    exact: Fraction  # exact net = gross − compensation
    share: Fraction  # rounded net
    aid: Fraction = Fraction(0)  # hardship aid received (already taken off the net)

    @property
    def rounded_gross(self) -> Fraction:
        """The share before compensation and aid, as rounded: the column closes because
        the rounded nets do."""
        return self.share + self.compensation + self.aid


@dataclass(frozen=True)
class RoundingNote:
    unit_name: str
    unit: Fraction
    odd_amount: Fraction
    odd_to: str | None

    def text(self, lang: str = "zh") -> str:
        zh, en = ROUNDING_NAMES[self.unit_name]
        if lang == "zh":
            out = f"精确份额按最大余数法一次性舍入到{zh}，舍入后合计与应分摊总额完全相等；{TIE_BREAK_ZH}。"
            if self.odd_to:
                out += f"应分摊总额不是{zh}的整数倍，余下的 {money_str(self.odd_amount)} 元计入 {self.odd_to} 户。"
            return out
        out = (
            f"Exact shares are rounded once to the {en} by the largest-remainder method; "
            f"the rounded shares add up exactly to the amount shared; {TIE_BREAK_EN}."
        )
        if self.odd_to:
            out += (
                f" The amount shared is not a multiple of the {en}: the odd "
                f"{money_str(self.odd_amount)} yuan went to household {self.odd_to}."
            )
        return out


@dataclass(frozen=True)
class RunningShare:
    id: str
    exact: Fraction
    annual: Fraction  # rounded per year
    total: Fraction  # annual × years


@dataclass(frozen=True)
class RunningResult:
    scheme: str
    items: tuple[tuple[str, Fraction], ...]
    annual_total: Fraction
    years: int
    households: tuple[RunningShare, ...]
    rounding: RoundingNote


@dataclass(frozen=True)
class ShareResult:
    project: str
    scheme: Scheme
    sharing: Sharing
    construction_cost: Fraction
    cost_items: tuple[tuple[str, Fraction], ...]
    cost_basis_zh: str
    cost_basis_en: str
    funding: tuple[FundingLine, ...]
    subsidies: Fraction
    contributions: Fraction
    compensation: Fraction
    to_share: Fraction
    households: tuple[HouseholdShare, ...]
    rounding: RoundingNote
    running: RunningResult | None = None
    policy: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    compensation_lines: tuple[FundingLine, ...] = ()  # each agreed compensation, with its source
    cost_item_sources: dict[str, str] = field(default_factory=dict)  # estimates' sources

    @property
    def amount_shared(self) -> Fraction:
        """What the scheme splits: to_share + compensation (+ hardship aid, given back)."""
        return self.to_share + self.compensation + self.aid

    @property
    def aid(self) -> Fraction:
        return sum((h.aid for h in self.households), Fraction(0))

    def by_id(self) -> dict[str, HouseholdShare]:
        return {h.id: h for h in self.households}


# --- costs ----------------------------------------------------------------


def construction_cost(project: Project) -> tuple[Fraction, str, str]:
    """The cost and how it was read: total, items, fixed + per_floor, or the ladder top."""
    c, n = project.costs, project.building.floors
    linear = None if c.fixed is None else c.fixed + c.per_floor * (n - 1)
    items = sum((i.amount for i in c.items), Fraction(0)) if c.items else None
    ladder_top = c.ladder[max(c.ladder)] if c.ladder else None
    if c.total is not None:
        cost, zh, en = c.total, "总价 total", "total"
    elif items is not None:
        cost, zh, en = items, "分项合计", "sum of the items"
    elif linear is not None:
        cost = linear
        zh = f"固定费用 {money_str(c.fixed)} + 每层 {money_str(c.per_floor)} × ({n} − 1)"
        en = f"fixed {money_str(c.fixed)} + per floor {money_str(c.per_floor)} × ({n} − 1)"
    else:
        cost, zh, en = (
            ladder_top,
            f"费用阶梯最高值（{max(c.ladder)} 层）",
            f"top of the cost ladder (floor {max(c.ladder)})",
        )
    problems = []
    if linear is not None and linear != cost:
        problems.append(
            Problem(
                "costs.fixed",
                f"fixed + per_floor × (层数 − 1) = {money_str(linear)}，"
                f"与造价 {money_str(cost)} 不符",
                f"fixed + per_floor × (floors − 1) = {money_str(linear)} differs "
                f"from the cost {money_str(cost)}",
            )
        )
    if ladder_top is not None and ladder_top != cost:
        problems.append(
            Problem(
                "costs.ladder",
                f"费用阶梯最高值 {money_str(ladder_top)} 应等于造价 {money_str(cost)}",
                f"the top of the ladder {money_str(ladder_top)} "
                f"must equal the cost {money_str(cost)}",
            )
        )
    if problems:
        raise ProjectError(problems)
    return cost, zh, en


def floor_cost_function(project: Project) -> Callable[[int], Fraction] | None:
    """c_f: cost of an elevator serving up to floor f (ladder, or F + v·(f − 1))."""
    c = project.costs
    if c.ladder:
        ladder = dict(c.ladder)

        def from_ladder(f: int) -> Fraction:
            if f not in ladder:
                raise ProjectError(
                    [
                        Problem(
                            "costs.ladder",
                            f"费用阶梯缺少 {f} 层的值",
                            f"the cost ladder has no value for floor {f}",
                        )
                    ]
                )
            return ladder[f]

        return from_ladder
    if c.fixed is not None:
        fixed, per_floor = c.fixed, c.per_floor
        return lambda f: fixed + per_floor * (f - 1)
    return None


# --- funding --------------------------------------------------------------


def _ref_text(ref: object) -> tuple[str | None, str | None]:
    if ref is None:
        return None, None
    if isinstance(ref, str):
        return ref, None
    return ref.title, ref.href


def subsidy_amount(
    s: Subsidy,
    cost: Fraction,
    project: Project,
    where: str,
    items: dict[str, Fraction] | None = None,
) -> FundingLine:
    base, base_zh, base_en = cost, "造价", "the cost"
    if s.earmarked_for:
        if items is None:
            items = {i.name: i.amount for i in project.costs.items or []}
        if s.earmarked_for not in items:
            if where.startswith("policy"):  # the city pays for work this stairwell lacks
                title, href = _ref_text(s.reference)
                return FundingLine(
                    "subsidy",
                    s.name,
                    Fraction(0),
                    f"本项目造价无“{s.earmarked_for}”分项，不适用",
                    f"not applicable: no cost item {s.earmarked_for!r}",
                    title,
                    href,
                    s.confidence,
                )
            raise ProjectError(
                [
                    Problem(
                        f"{where}.earmarked_for",
                        f"造价分项中没有“{s.earmarked_for}”",
                        f"no cost item named {s.earmarked_for!r}",
                    )
                ]
            )
        base, base_zh, base_en = items[s.earmarked_for], s.earmarked_for, s.earmarked_for
    if s.per_elevator is not None:
        amount = s.per_elevator
        zh, en = f"每部 {money_str(amount)} 元", f"{money_str(amount)} yuan per elevator"
    elif s.percent is not None:
        exact = base * s.percent / 100
        amount = floor_to(exact, FEN)  # money is paid in whole fen, never above the rule
        zh = f"{base_zh} × {number_str(s.percent)}%"
        en = f"{number_str(s.percent)}% of {base_en}"
        if amount != exact:
            zh += "（舍去不足一分的部分）"
            en += " (rounded down to the fen)"
        if s.cap is not None and amount > s.cap:
            amount = s.cap
            zh += f"，封顶 {money_str(s.cap)} 元"
            en += f", capped at {money_str(s.cap)}"
    else:
        stops = project.building.stop_count
        amount = s.per_stop * stops
        zh = f"每站 {money_str(s.per_stop)} 元 × {stops} 站"
        en = f"{money_str(s.per_stop)} yuan per stop × {stops} stops"
    if s.earmarked_for and amount > base:
        amount = base
        zh += f"，以{base_zh}金额为限"
        en += f", limited to {base_en}"
    title, href = _ref_text(s.reference)
    return FundingLine("subsidy", s.name, amount, zh, en, title, href, s.confidence)


def resolved_subsidies(project: Project) -> tuple[list[Subsidy], str]:
    """The project's own subsidies, or its policy's when it lists none."""
    subsidies = project.funding.subsidies
    if subsidies is None and project.policy:
        from elevator.policy.parameters import (
            load_policy,  # only when the project leans on its policy
        )

        return load_policy(project.policy).subsidies_at(
            project.date or dt.date.today()
        ), f"policy {project.policy}"
    return list(subsidies or []), "funding.subsidies"


def funding_lines(
    project: Project, cost: Fraction, items: tuple[tuple[str, Fraction], ...] | None = None
) -> tuple[FundingLine, ...]:
    """Subsidies and contributions that do not depend on the shares (not hardship aid)."""
    subsidies, where = resolved_subsidies(project)
    named = dict(items) if items is not None else None
    lines = [
        subsidy_amount(s, cost, project, f"{where}[{i}]", named)
        for i, s in enumerate(subsidies)
        if s.per_household is None
    ]
    for c in project.funding.contributions:
        title, href = _ref_text(c.reference)
        lines.append(
            FundingLine(
                "contribution",
                c.name,
                c.amount,
                "约定金额",
                "agreed amount",
                title,
                href,
                c.confidence,
            )
        )
    return tuple(lines)


def hardship_aid(
    project: Project, net_before: dict[str, Fraction]
) -> tuple[dict[str, Fraction], list[FundingLine]]:
    """Aid for named households, each at most what that household would still pay."""
    aid = {k: Fraction(0) for k in net_before}
    lines = []
    for s in resolved_subsidies(project)[0]:
        if s.per_household is None:
            continue
        used = Fraction(0)
        for h in s.households or []:
            # at most what the household would still pay, in whole fen
            give = min(s.per_household, floor_to(max(net_before[h] - aid[h], Fraction(0)), FEN))
            aid[h] += give
            used += give
        title, href = _ref_text(s.reference)
        n = len(s.households or [])
        lines.append(
            FundingLine(
                "subsidy",
                s.name,
                used,
                f"困难补助：每户 {money_str(s.per_household)} 元 × {n} 户（不超过该户应付额）",
                f"hardship aid: {money_str(s.per_household)} yuan × {n} households "
                "(at most what each would pay)",
                title,
                href,
                s.confidence,
            )
        )
    return aid, lines


# --- shares ---------------------------------------------------------------


def compensation_by_household(project: Project) -> dict[str, Fraction]:
    out = {h.id: Fraction(0) for h in project.building.households}
    for c in project.compensation:
        for h in project.building.households:
            if h.floor == c.floor or h.id == c.household:
                out[h.id] += c.per_household
    return out


def compensation_lines(project: Project) -> tuple[FundingLine, ...]:
    lines = []
    for c in project.compensation:
        n = sum(1 for h in project.building.households if h.floor == c.floor or h.id == c.household)
        who_zh = f"{c.floor} 层每户" if c.floor is not None else f"{c.household} 户"
        who_en = (
            f"each household on floor {c.floor}"
            if c.floor is not None
            else f"household {c.household}"
        )
        title, href = _ref_text(c.reference)
        lines.append(
            FundingLine(
                "compensation",
                c.reason or "低层补偿",
                c.per_household * n,
                f"{who_zh} {money_str(c.per_household)} 元 × {n} 户",
                f"{who_en}: {money_str(c.per_household)} yuan × {n}",
                title,
                href,
                c.confidence,
            )
        )
    return tuple(lines)


def payers_of(project: Project, sharing: Sharing) -> list[Household]:
    exempt = set(sharing.exempt_floors)
    return [h for h in project.building.households if h.participates and h.floor not in exempt]


def scheme_weights(project: Project, sharing: Sharing) -> tuple[Scheme, dict[str, Fraction]]:
    """The named scheme's exact weights for the paying households."""
    if sharing.scheme not in SCHEMES:
        raise ProjectError(
            [
                Problem(
                    "sharing.scheme",
                    f"未知方案 {sharing.scheme}（可选：{', '.join(SCHEMES)}）",
                    f"unknown scheme {sharing.scheme} (choose from {', '.join(SCHEMES)})",
                )
            ]
        )
    scheme = SCHEMES[sharing.scheme]
    if sharing.weights == "area" and not scheme.area_weighted:
        raise ProjectError(
            [
                Problem(
                    "sharing.weights",
                    f"方案 {scheme.name} 没有按面积加权的版本"
                    "（可用 by_area 或 within_floor: area）",
                    f"scheme {scheme.name} has no area-weighted version "
                    "(see by_area or within_floor: area)",
                )
            ]
        )
    payers = payers_of(project, sharing)
    if not payers:
        raise ProjectError(
            [
                Problem(
                    "building.households",
                    "没有参与分摊的住户（全部退出或位于免付楼层）",
                    "nobody participates (all opted out or on exempt floors)",
                )
            ]
        )
    floor_cost = floor_cost_function(project)
    if scheme.needs_floor_costs and floor_cost is None:
        raise ProjectError(
            [
                Problem(
                    "costs",
                    f"方案 {scheme.name} 需要 fixed 与 per_floor（或 ladder），仅有 total 无法计算",
                    f"scheme {scheme.name} needs fixed and per_floor (or a ladder); "
                    "a total alone is not enough",
                )
            ]
        )
    weights = scheme.weights(Context(payers, sharing, floor_cost, project.building.floors))
    if sum(weights.values(), Fraction(0)) == 0:
        raise ProjectError(
            [
                Problem(
                    "sharing",
                    "所有分摊户的权重均为 0，无法分摊",
                    "every paying household has weight 0: nothing to share by",
                )
            ]
        )
    return scheme, weights


def compute_shares(
    project: Project,
    scheme: str | None = None,
    sharing: Sharing | None = None,
    extra_items: tuple[tuple[str, Fraction, str | None], ...] = (),
) -> ShareResult:
    """The whole split for one stairwell; raises ProjectError on bad input.

    `extra_items` (name, amount, source) are costs added on top of the project's own, such
    as the costed conditions of the feasibility checklist (elevator.plan.compose adds them
    when costs.include_conditions is set)."""
    if sharing is None:
        sharing = project.sharing
    if scheme is not None and scheme != sharing.scheme:
        sharing = sharing.model_copy(update={"scheme": scheme})
    cost, cost_zh, cost_en = construction_cost(project)
    c = project.costs
    items = tuple((i.name, i.amount) for i in c.items) if c.items else ()
    sources: dict[str, str] = {}
    if extra_items:
        # a condition already quoted as a cost item is not added a second time
        extra = [e for e in extra_items if e[0] not in dict(items)]
        if extra:
            items = (items or (("基本造价 base cost", cost),)) + tuple((n, a) for n, a, _ in extra)
            sources = {n: s for n, _, s in extra if s}
            cost += sum((a for _, a, _ in extra), Fraction(0))
            cost_zh += " + 可行性条件费用"
            cost_en += " + costs of the feasibility conditions"
    lines = funding_lines(project, cost, items)
    subsidies = sum((l.amount for l in lines if l.kind == "subsidy"), Fraction(0))
    contributions = sum((l.amount for l in lines if l.kind == "contribution"), Fraction(0))
    before_aid = cost - subsidies - contributions
    if before_aid < 0:
        raise ProjectError(
            [
                Problem(
                    "funding",
                    f"补贴与出资合计超出造价 {money_str(-before_aid)} 元",
                    f"subsidies and contributions exceed the cost by {money_str(-before_aid)} yuan",
                )
            ]
        )
    comp = compensation_by_household(project)
    comp_total = sum(comp.values(), Fraction(0))
    scheme_obj, weights = scheme_weights(project, sharing)
    # hardship aid lowers named households' nets but not what the scheme shares
    amount = before_aid + comp_total
    wsum = sum(weights.values(), Fraction(0))
    ratio = amount / wsum
    zero = Fraction(0)
    gross = {
        h.id: ratio * weights[h.id] if h.id in weights else zero
        for h in project.building.households
    }
    exact = {k: gross[k] - comp[k] for k in gross}
    aid = None
    if any(s.per_household is not None for s in resolved_subsidies(project)[0]):
        aid, aid_lines = hardship_aid(project, exact)
        lines = lines + tuple(aid_lines)
        subsidies += sum(aid.values(), Fraction(0))
        exact = {k: exact[k] - aid[k] for k in exact}
    to_share = cost - subsidies - contributions
    order = [h.id for h in project.building.households]
    unit = ROUNDING_UNITS[sharing.rounding]
    rounded = round_to_total(exact, unit, order)
    households = tuple(
        HouseholdShare(
            h.id,
            h.floor,
            h.area_m2,
            h.participates,
            h.id in weights,
            weights.get(h.id, zero),
            gross[h.id],
            comp[h.id],
            exact[h.id],
            rounded.rounded[h.id],
            aid[h.id] if aid else zero,
        )
        for h in project.building.households
    )
    note = RoundingNote(sharing.rounding, unit, rounded.odd_amount, rounded.odd_to)
    running = _running(project, sharing, weights, unit) if project.running_costs else None
    return ShareResult(
        project.name,
        scheme_obj,
        sharing,
        cost,
        items,
        cost_zh,
        cost_en,
        lines,
        subsidies,
        contributions,
        comp_total,
        to_share,
        households,
        note,
        running,
        project.policy,
        compensation_lines=compensation_lines(project) if comp_total else (),
        cost_item_sources=sources,
    )


def _running(
    project: Project, sharing: Sharing, weights: dict[str, Fraction], unit: Fraction
) -> RunningResult:
    rc = project.running_costs
    scheme_name = sharing.scheme if rc.scheme == "same" else rc.scheme
    if rc.scheme != "same":
        try:
            _, weights = scheme_weights(project, sharing.model_copy(update={"scheme": rc.scheme}))
        except ProjectError as e:
            raise ProjectError([Problem("running_costs.scheme", p.zh, p.en) for p in e.problems])
    annual = sum((i.amount for i in rc.annual), Fraction(0))
    wsum = sum(weights.values(), Fraction(0))
    order = [h.id for h in project.building.households]
    ratio, zero = annual / wsum, Fraction(0)
    exact = {k: ratio * weights[k] if k in weights else zero for k in order}
    rounded = round_to_total(exact, unit, order)
    rows = tuple(
        RunningShare(k, exact[k], rounded.rounded[k], rounded.rounded[k] * rc.years) for k in order
    )
    return RunningResult(
        scheme_name,
        tuple((i.name, i.amount) for i in rc.annual),
        annual,
        rc.years,
        rows,
        RoundingNote(sharing.rounding, unit, rounded.odd_amount, rounded.odd_to),
    )
