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

from elevator.core.errors import Problem, ProjectError, problem
from elevator.core.money import (
    FEN,
    ROUNDING_UNITS,
    TIE_BREAK,
    floor_to,
    money_str,
    number_str,
    round_to_total,
)
from elevator.core.text import Msg, t
from elevator.model.project import Household, Project, Sharing, Subsidy
from elevator.sharing.schemes import SCHEMES, Context, Scheme


@dataclass(frozen=True, kw_only=True)
class FundingLine:
    kind: str  # "subsidy" | "contribution" | "compensation"
    name: str
    amount: Fraction
    basis: Msg  # how the amount was computed
    reference: str | None = None
    href: str | None = None
    confidence: str | None = None

    @property
    def basis_zh(self) -> str:
        return self.basis.zh

    @property
    def basis_en(self) -> str:
        return self.basis.en


@dataclass(frozen=True, kw_only=True)
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

    @property
    def message(self) -> Msg:
        """How the shares were rounded, and where the odd amount went."""
        unit = Msg(f"rounding.{self.unit_name}")
        note = Msg("sharing.rounding.note", unit=unit, tie_break=Msg(TIE_BREAK))
        if not self.odd_to:
            return note
        return Msg(
            "sharing.rounding.odd",
            note=note,
            unit=unit,
            amount=money_str(self.odd_amount),
            household=self.odd_to,
        )

    def text(self, lang: str = "zh") -> str:
        return self.message.text(lang)


@dataclass(frozen=True)
class RunningShare:
    id: str
    exact: Fraction
    annual: Fraction  # rounded per year
    total: Fraction  # annual × years


@dataclass(frozen=True, kw_only=True)
class RunningResult:
    scheme: str
    items: tuple[tuple[str, Fraction], ...]
    annual_total: Fraction
    years: int
    households: tuple[RunningShare, ...]
    rounding: RoundingNote


# a household table's columns: ShareResult.to_frame() and elevator.district.simulate()
HOUSEHOLD_COLUMNS = ("policy", "scheme", "stairwell", "household", "floor", "share", "share_fen")


@dataclass(frozen=True, kw_only=True)
class ShareResult:
    project: str
    scheme: Scheme
    sharing: Sharing
    construction_cost: Fraction
    cost_items: tuple[tuple[str, Fraction], ...]
    cost_basis: Msg  # how the cost was read
    funding: tuple[FundingLine, ...]
    subsidies: Fraction
    contributions: Fraction
    compensation: Fraction
    to_share: Fraction
    households: tuple[HouseholdShare, ...]
    rounding: RoundingNote
    running: RunningResult | None = None
    policy: str | None = None
    warnings: tuple[Msg, ...] = field(default_factory=tuple)
    compensation_lines: tuple[FundingLine, ...] = ()  # each agreed compensation, with its source
    cost_item_sources: dict[str, str] = field(default_factory=dict)  # estimates' sources
    cost_ladder: bool = False  # costs.ladder given: the formula shown depends on it

    @property
    def cost_basis_zh(self) -> str:
        return self.cost_basis.zh

    @property
    def cost_basis_en(self) -> str:
        return self.cost_basis.en

    @property
    def amount_shared(self) -> Fraction:
        """What the scheme splits: to_share + compensation (+ hardship aid, given back)."""
        return self.to_share + self.compensation + self.aid

    @property
    def aid(self) -> Fraction:
        return sum((h.aid for h in self.households), Fraction(0))

    def by_id(self) -> dict[str, HouseholdShare]:
        return {h.id: h for h in self.households}

    def to_frame(self):
        """The households as a pandas DataFrame with HOUSEHOLD_COLUMNS, the columns of
        elevator.district.simulate (share as a decimal string in yuan; share_fen empty
        when a share is not a whole number of fen)."""
        import pandas as pd  # noqa: PLC0415 (only here: pandas costs every command ~0.4 s)

        rows = [
            (
                self.policy,
                self.scheme.name,
                self.project,
                h.id,
                h.floor,
                money_str(h.share),
                int(h.share * 100) if (h.share * 100).denominator == 1 else None,
            )
            for h in self.households
        ]
        frame = pd.DataFrame(rows, columns=list(HOUSEHOLD_COLUMNS))
        frame["share_fen"] = frame["share_fen"].astype("Int64")
        return frame


# --- costs ----------------------------------------------------------------


def construction_cost(project: Project) -> tuple[Fraction, Msg]:
    """The cost and how it was read: total, items, fixed + per_floor, or the ladder top."""
    c, n = project.costs, project.building.floors
    linear = None if c.fixed is None else c.fixed + c.per_floor * (n - 1)
    items = sum((i.amount for i in c.items), Fraction(0)) if c.items else None
    ladder_top = c.ladder[max(c.ladder)] if c.ladder else None
    if c.total is not None:
        cost, basis = c.total, Msg("sharing.basis.total")
    elif items is not None:
        cost, basis = items, Msg("sharing.basis.items")
    elif linear is not None:
        cost = linear
        basis = Msg(
            "sharing.basis.linear",
            fixed=money_str(c.fixed),
            per_floor=money_str(c.per_floor),
            floors=n,
        )
    else:
        cost, basis = ladder_top, Msg("sharing.basis.ladder_top", floor=max(c.ladder))
    problems = []
    if linear is not None and linear != cost:
        problems.append(
            Problem(
                "costs.fixed",
                Msg(
                    "sharing.error.linear_differs",
                    linear=money_str(linear),
                    cost=money_str(cost),
                ),
            )
        )
    if ladder_top is not None and ladder_top != cost:
        problems.append(
            Problem(
                "costs.ladder",
                Msg("sharing.error.ladder_top", top=money_str(ladder_top), cost=money_str(cost)),
            )
        )
    if problems:
        raise ProjectError(problems)
    return cost, basis


def floor_cost_function(project: Project) -> Callable[[int], Fraction] | None:
    """c_f: cost of an elevator serving up to floor f (ladder, or F + v·(f − 1))."""
    c = project.costs
    if c.ladder:
        ladder = dict(c.ladder)

        def from_ladder(f: int) -> Fraction:
            if f not in ladder:
                raise ProjectError(
                    [Problem("costs.ladder", Msg("sharing.error.ladder_missing", floor=f))]
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


def _sourced_line(kind: str, line: object, name: str, amount: Fraction, basis: Msg) -> FundingLine:
    """A funding line with the reference and confidence of the subsidy, contribution or
    compensation it comes from."""
    title, href = _ref_text(line.reference)
    return FundingLine(
        kind=kind,
        name=name,
        amount=amount,
        basis=basis,
        reference=title,
        href=href,
        confidence=line.confidence,
    )


def subsidy_amount(
    s: Subsidy,
    cost: Fraction,
    project: Project,
    where: str,
    items: dict[str, Fraction] | None = None,
) -> FundingLine:
    base: Fraction = cost
    base_words: Msg | str = Msg("sharing.basis.the_cost")
    if s.earmarked_for:
        if items is None:
            items = {i.name: i.amount for i in project.costs.items or []}
        if s.earmarked_for not in items:
            if where.startswith("policy"):  # the city pays for work this stairwell lacks
                basis = Msg("sharing.basis.no_cost_item", item=s.earmarked_for)
                return _sourced_line("subsidy", s, s.name, Fraction(0), basis)
            raise problem(
                f"{where}.earmarked_for", "sharing.error.no_cost_item", item=s.earmarked_for
            )
        base, base_words = items[s.earmarked_for], s.earmarked_for
    if s.per_elevator is not None:
        amount = s.per_elevator
        basis = Msg("sharing.basis.per_elevator", amount=money_str(amount))
    elif s.percent is not None:
        exact = base * s.percent / 100
        amount = floor_to(exact, FEN)  # money is paid in whole fen, never above the rule
        basis = Msg("sharing.basis.percent", base=base_words, percent=number_str(s.percent))
        if amount != exact:
            basis = Msg("sharing.basis.rounded_down", basis=basis)
        if s.cap is not None and amount > s.cap:
            amount = s.cap
            basis = Msg("sharing.basis.capped", basis=basis, cap=money_str(s.cap))
    else:
        stops = project.building.stop_count
        amount = s.per_stop * stops
        basis = Msg("sharing.basis.per_stop", amount=money_str(s.per_stop), stops=stops)
    if s.earmarked_for and amount > base:
        amount = base
        basis = Msg("sharing.basis.limited", basis=basis, base=base_words)
    return _sourced_line("subsidy", s, s.name, amount, basis)


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
        lines.append(
            _sourced_line("contribution", c, c.name, c.amount, Msg("sharing.basis.agreed"))
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
        basis = Msg(
            "sharing.basis.hardship_aid",
            amount=money_str(s.per_household),
            households=len(s.households or []),
        )
        lines.append(_sourced_line("subsidy", s, s.name, used, basis))
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
        amount = money_str(c.per_household)
        if c.floor is not None:
            basis = Msg("sharing.basis.compensation_floor", floor=c.floor, amount=amount, count=n)
        else:
            basis = Msg(
                "sharing.basis.compensation_household",
                household=c.household,
                amount=amount,
                count=n,
            )
        # the default name is stored Chinese in both languages, as it always was
        name = c.reason or t("sharing.compensation.default_reason", "zh")
        lines.append(_sourced_line("compensation", c, name, c.per_household * n, basis))
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
                    Msg(
                        "sharing.error.unknown_scheme",
                        scheme=sharing.scheme,
                        choices=", ".join(SCHEMES),
                    ),
                )
            ]
        )
    scheme = SCHEMES[sharing.scheme]
    if sharing.weights == "area" and not scheme.area_weighted:
        raise ProjectError(
            [Problem("sharing.weights", Msg("sharing.error.no_area_version", scheme=scheme.name))]
        )
    payers = payers_of(project, sharing)
    if not payers:
        raise ProjectError([Problem("building.households", Msg("sharing.error.no_payers"))])
    floor_cost = floor_cost_function(project)
    if scheme.needs_floor_costs and floor_cost is None:
        raise problem("costs", "sharing.error.needs_floor_costs", scheme=scheme.name)
    weights = scheme.weights(Context(payers, sharing, floor_cost, project.building.floors))
    if sum(weights.values(), Fraction(0)) == 0:
        raise problem("sharing", "sharing.error.zero_weights")
    return scheme, weights


def _with_extra_items(
    cost: Fraction,
    basis: Msg,
    items: tuple[tuple[str, Fraction], ...],
    extra_items: tuple[tuple[str, Fraction, str | None], ...],
) -> tuple[Fraction, Msg, tuple[tuple[str, Fraction], ...], dict[str, str]]:
    """The cost with extra items added (a condition already quoted as a cost item is not
    added a second time): cost, its basis, the items and the extra items' sources."""
    extra = [e for e in extra_items if e[0] not in dict(items)]
    if not extra:
        return cost, basis, items, {}
    base_name = f"{t('sharing.item.base_cost', 'zh')} {t('sharing.item.base_cost', 'en')}"
    items = (items or ((base_name, cost),)) + tuple((n, a) for n, a, _ in extra)
    sources = {n: s for n, _, s in extra if s}
    cost += sum((a for _, a, _ in extra), Fraction(0))
    return cost, Msg("sharing.basis.plus_conditions", basis=basis), items, sources


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
    cost, cost_basis = construction_cost(project)
    c = project.costs
    items = tuple((i.name, i.amount) for i in c.items) if c.items else ()
    cost, cost_basis, items, sources = _with_extra_items(cost, cost_basis, items, extra_items)
    lines = funding_lines(project, cost, items)
    subsidies = sum((l.amount for l in lines if l.kind == "subsidy"), Fraction(0))
    contributions = sum((l.amount for l in lines if l.kind == "contribution"), Fraction(0))
    before_aid = cost - subsidies - contributions
    if before_aid < 0:
        raise problem("funding", "sharing.error.funding_exceeds", amount=money_str(-before_aid))
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
            id=h.id,
            floor=h.floor,
            area_m2=h.area_m2,
            participates=h.participates,
            payer=h.id in weights,
            weight=weights.get(h.id, zero),
            gross=gross[h.id],
            compensation=comp[h.id],
            exact=exact[h.id],
            share=rounded.rounded[h.id],
            aid=aid[h.id] if aid else zero,
        )
        for h in project.building.households
    )
    note = RoundingNote(sharing.rounding, unit, rounded.odd_amount, rounded.odd_to)
    running = _running(project, sharing, weights, unit) if project.running_costs else None
    return ShareResult(
        project=project.name,
        scheme=scheme_obj,
        sharing=sharing,
        construction_cost=cost,
        cost_items=items,
        cost_basis=cost_basis,
        funding=lines,
        subsidies=subsidies,
        contributions=contributions,
        compensation=comp_total,
        to_share=to_share,
        households=households,
        rounding=note,
        running=running,
        policy=project.policy,
        compensation_lines=compensation_lines(project) if comp_total else (),
        cost_item_sources=sources,
        cost_ladder=bool(project.costs.ladder),
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
            raise ProjectError([Problem("running_costs.scheme", p.message) for p in e.problems])
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
        scheme=scheme_name,
        items=tuple((i.name, i.amount) for i in rc.annual),
        annual_total=annual,
        years=rc.years,
        households=rows,
        rounding=RoundingNote(sharing.rounding, unit, rounded.odd_amount, rounded.odd_to),
    )
