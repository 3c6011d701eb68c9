"""From a project to exact shares: cost → funding → amount to share → weights → rounding.

    to_share = cost − subsidies − contributions
    share_i  = (to_share + compensation + aid) × w_i / Σ w  (payers only)
    net_i    = share_i − compensation_i − aid_i             (Σ net = to_share)

Hardship aid (a subsidy for named households) lowers only those households' nets; aid that
pays a household's whole share is taken off after the one rounding, so it equals the
rounded share and the others' shares do not move.  A pooled cap (`cap_total`) is shared
among the named households in proportion to what each would receive without it.

Fixed amounts (`sharing.fixed`) are what those households pay whatever the scheme; the
scheme shares only the rest among the other payers.  When every payer is fixed the tool
reports by how much the table fails to close (`ShareResult.gap`).

Areas are rounded (`sharing.area_rounding`) before any weight is computed.

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
from elevator.sharing.eligibility import ineligible
from elevator.sharing.schemes import SCHEMES, Context, Scheme

AREA_UNITS = {"0.01": Fraction(1, 100), "1": Fraction(1)}


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
    fixed: Fraction | None = None  # the agreed fixed amount, when the household has one
    area_registered: Fraction | None = None  # before area rounding (None: not rounded)

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
    total: Fraction  # over the years (annual × years unless a one-off grant applies)


@dataclass(frozen=True, kw_only=True)
class RunningResult:
    scheme: str
    items: tuple[tuple[str, Fraction], ...]
    annual_total: Fraction
    years: int
    households: tuple[RunningShare, ...]
    rounding: RoundingNote
    grants: tuple[FundingLine, ...] = ()  # running-cost grants, never construction money
    gross_annual: Fraction | None = None  # before grants (None: no grants)

    @property
    def period_total(self) -> Fraction:
        return sum((h.total for h in self.households), Fraction(0))


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
    gap: Fraction = Fraction(0)  # to_share − Σ shares: non-zero only for a fixed table
    fixed_lines: tuple[FundingLine, ...] = ()  # each fixed amount, with its source

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
    reason = ineligible(s, project)
    if reason is not None:
        return _sourced_line("subsidy", s, s.name, Fraction(0), reason)
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
    elif s.per_stop is not None:
        stops = project.building.stop_count
        amount = s.per_stop * stops
        basis = Msg("sharing.basis.per_stop", amount=money_str(s.per_stop), stops=stops)
    else:
        served = sum(1 for h in project.building.households if h.participates)
        amount = s.per_served_household * served
        basis = Msg(
            "sharing.basis.per_served_household",
            amount=money_str(s.per_served_household),
            households=served,
        )
    if s.cap is not None and s.percent is None and amount > s.cap:
        amount = s.cap
        basis = Msg("sharing.basis.capped", basis=basis, cap=money_str(s.cap))
    if s.up_to:
        basis = Msg("sharing.basis.up_to", basis=basis)
    if s.earmarked_for and amount > base:
        amount = base
        basis = Msg("sharing.basis.limited", basis=basis, base=base_words)
    return _sourced_line("subsidy", s, s.name, amount, basis)


def resolved_subsidies(project: Project) -> tuple[list[Subsidy], str]:
    """The project's own subsidies, or its policy's when it lists none."""
    subsidies = project.funding.subsidies
    if subsidies is None and project.policy:
        from elevator.policy.parameters import (
            policy_for,  # only when the project leans on its policy
        )

        pid = project.policy_id
        hardship = [h.id for h in project.building.households if h.hardship]
        return policy_for(project).subsidies_at(
            project.date or dt.date.today(), hardship=hardship
        ), f"policy {pid}"
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
        if not s.is_hardship_aid
    ]
    for c in project.funding.contributions:
        lines.append(
            _sourced_line("contribution", c, c.name, c.amount, Msg("sharing.basis.agreed"))
        )
    return tuple(lines)


def _pooled(wanted: dict[str, Fraction], cap: Fraction | None) -> dict[str, Fraction]:
    """What each household receives when the aid is capped for the whole elevator: the
    cap shared in proportion to what each would receive, in whole fen, closing on it."""
    total = sum(wanted.values(), Fraction(0))
    if cap is None or total <= cap:
        return dict(wanted)
    exact = {k: cap * v / total for k, v in wanted.items()}
    return round_to_total(exact, FEN, list(wanted)).rounded


def _aid_line(s: Subsidy, given: dict[str, Fraction], wanted: dict[str, Fraction]) -> FundingLine:
    used = sum(given.values(), Fraction(0))
    n = len(s.households or [])
    if s.whole_share:
        basis = Msg("sharing.basis.whole_share", households=n)
    else:
        basis = Msg("sharing.basis.hardship_aid", amount=money_str(s.per_household), households=n)
    if s.cap_total is not None:
        wanted_total = sum(wanted.values(), Fraction(0))
        key = (
            "sharing.basis.cap_total_applied"
            if wanted_total > s.cap_total
            else ("sharing.basis.cap_total")
        )
        basis = Msg(key, basis=basis, cap=money_str(s.cap_total), wanted=money_str(wanted_total))
    return _sourced_line("subsidy", s, s.name, used, basis)


def hardship_aid(
    project: Project, net_before: dict[str, Fraction], whole_share: bool = False
) -> tuple[dict[str, Fraction], list[FundingLine]]:
    """Aid for named households, each at most what that household would still pay.

    `whole_share=False`: fixed amounts per household, on the exact nets (before rounding);
    `whole_share=True`: aid that pays the whole share, on the rounded nets."""
    aid = {k: Fraction(0) for k in net_before}
    lines = []
    for s in resolved_subsidies(project)[0]:
        if not s.is_hardship_aid or s.whole_share != whole_share:
            continue
        reason = ineligible(s, project)
        if reason is not None:
            lines.append(_sourced_line("subsidy", s, s.name, Fraction(0), reason))
            continue
        wanted: dict[str, Fraction] = {}
        for h in s.households or []:
            # at most what the household would still pay, in whole fen
            left = floor_to(max(net_before[h] - aid[h] - wanted.get(h, 0), Fraction(0)), FEN)
            wanted[h] = wanted.get(h, Fraction(0)) + (
                left if s.whole_share else min(s.per_household, left)
            )
        given = _pooled(wanted, s.cap_total)
        for h, v in given.items():
            aid[h] += v
        lines.append(_aid_line(s, given, wanted))
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


def rounded_area(area: Fraction, sharing: Sharing) -> Fraction:
    """The area the weights use: as registered, or rounded to 0.01 m² or whole m²."""
    if sharing.area_rounding == "none":
        return area
    unit = AREA_UNITS[sharing.area_rounding]
    if sharing.area_rounding_mode == "down":
        return floor_to(area, unit)
    return floor_to(area + unit / 2, unit)  # half up (四舍五入): areas are positive


def fixed_amounts(project: Project, sharing: Sharing) -> dict[str, Fraction]:
    """Household id → its agreed fixed amount; a household's own entry beats its floor's."""
    out: dict[str, Fraction] = {}
    for fx in sharing.fixed:
        if fx.floor is not None:
            for h in project.building.households:
                if h.floor == fx.floor and h.participates:
                    out[h.id] = fx.amount
    for fx in sharing.fixed:
        if fx.household is not None:
            out[fx.household] = fx.amount
    return out


def fixed_lines(project: Project, sharing: Sharing) -> tuple[FundingLine, ...]:
    lines = []
    own = {fx.household for fx in sharing.fixed if fx.household is not None}
    for fx in sharing.fixed:
        if fx.floor is not None:  # households with their own entry are counted there
            n = sum(
                1
                for h in project.building.households
                if h.floor == fx.floor and h.participates and h.id not in own
            )
            basis = Msg(
                "sharing.basis.fixed_floor", floor=fx.floor, amount=money_str(fx.amount), count=n
            )
        else:
            n = 1
            basis = Msg(
                "sharing.basis.fixed_household", household=fx.household, amount=money_str(fx.amount)
            )
        name = fx.reason or t("sharing.fixed.default_reason", "zh")
        lines.append(_sourced_line("fixed", fx, name, fx.amount * n, basis))
    return tuple(lines)


def payers_of(project: Project, sharing: Sharing) -> list[Household]:
    """The households the scheme weighs: participating, not exempt, no fixed amount;
    their areas as the weights read them (rounded when `area_rounding` says so)."""
    exempt = set(sharing.exempt_floors)
    fixed = fixed_amounts(project, sharing)
    out = []
    for h in project.building.households:
        if h.participates and h.floor not in exempt and h.id not in fixed:
            area = rounded_area(h.area_m2, sharing)
            out.append(h if area == h.area_m2 else h.model_copy(update={"area_m2": area}))
    return out


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
        if fixed_amounts(project, sharing):
            return scheme, {}  # the whole table is fixed: nothing left for the scheme
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


def _funding(
    project: Project, cost: Fraction, items: tuple[tuple[str, Fraction], ...]
) -> tuple[tuple[FundingLine, ...], Fraction, Fraction]:
    """Funding lines, their subsidies and contributions; refused when they exceed the cost."""
    lines = funding_lines(project, cost, items)
    subsidies = sum((l.amount for l in lines if l.kind == "subsidy"), Fraction(0))
    contributions = sum((l.amount for l in lines if l.kind == "contribution"), Fraction(0))
    if cost - subsidies - contributions < 0:
        over = subsidies + contributions - cost
        raise problem("funding", "sharing.error.funding_exceeds", amount=money_str(over))
    return lines, subsidies, contributions


@dataclass(kw_only=True)
class _Nets:
    """Each household's exact net, aid and rounded share, and the funding lines aid added."""

    exact: dict[str, Fraction]
    aid: dict[str, Fraction]
    shares: dict[str, Fraction]
    lines: tuple[FundingLine, ...]
    note: RoundingNote


def _nets(project: Project, sharing: Sharing, exact: dict[str, Fraction]) -> _Nets:
    """Hardship aid off the exact nets, rounding to the unit, then aid of whole shares
    (taken off after rounding, so the other households' shares do not move)."""
    zero = Fraction(0)
    aid = {k: zero for k in exact}
    lines: tuple[FundingLine, ...] = ()
    subsidies = resolved_subsidies(project)[0]
    if any(s.is_hardship_aid and not s.whole_share for s in subsidies):
        aid, aid_lines = hardship_aid(project, exact)
        lines += tuple(aid_lines)
        exact = {k: exact[k] - aid[k] for k in exact}
    unit = ROUNDING_UNITS[sharing.rounding]
    rounded = round_to_total(exact, unit, [h.id for h in project.building.households])
    shares = dict(rounded.rounded)
    if any(s.is_hardship_aid and s.whole_share for s in subsidies):
        whole, whole_lines = hardship_aid(project, shares, whole_share=True)
        lines += tuple(whole_lines)
        for k, v in whole.items():
            aid[k] += v
            exact[k] -= v
            shares[k] -= v
    note = RoundingNote(sharing.rounding, unit, rounded.odd_amount, rounded.odd_to)
    return _Nets(exact=exact, aid=aid, shares=shares, lines=lines, note=note)


def _gap_warnings(gap: Fraction, fixed: dict[str, Fraction], amount: Fraction) -> tuple[Msg, ...]:
    """A whole fixed table that does not add up to what is shared says by how much."""
    if not gap:
        return ()
    return (
        Msg(
            "sharing.warning.fixed_gap",
            fixed=money_str(sum(fixed.values(), Fraction(0))),
            amount=money_str(amount),
            gap=money_str(abs(gap)),
            direction=Msg("sharing.gap.short" if gap > 0 else "sharing.gap.over"),
        ),
    )


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
    lines, subsidies, contributions = _funding(project, cost, items)
    comp = compensation_by_household(project)
    comp_total = sum(comp.values(), Fraction(0))
    scheme_obj, weights = scheme_weights(project, sharing)
    fixed = fixed_amounts(project, sharing)
    # hardship aid lowers named households' nets but not what the scheme shares
    amount = cost - subsidies - contributions + comp_total
    rest = amount - sum(fixed.values(), Fraction(0))  # what the scheme shares
    gross, gap = _gross(project, weights, fixed, rest)
    nets = _nets(project, sharing, {k: gross[k] - comp[k] for k in gross})
    subsidies += sum(nets.aid.values(), Fraction(0))
    zero = Fraction(0)
    households = tuple(
        HouseholdShare(
            id=h.id,
            floor=h.floor,
            area_m2=rounded_area(h.area_m2, sharing),
            participates=h.participates,
            payer=h.id in weights or h.id in fixed,
            weight=weights.get(h.id, zero),
            gross=gross[h.id],
            compensation=comp[h.id],
            exact=nets.exact[h.id],
            share=nets.shares[h.id],
            aid=nets.aid[h.id],
            fixed=fixed.get(h.id),
            area_registered=h.area_m2 if sharing.area_rounding != "none" else None,
        )
        for h in project.building.households
    )
    running = _running(project, sharing, weights, nets.note.unit) if project.running_costs else None
    return ShareResult(
        project=project.name,
        scheme=scheme_obj,
        sharing=sharing,
        construction_cost=cost,
        cost_items=items,
        cost_basis=cost_basis,
        funding=lines + nets.lines,
        subsidies=subsidies,
        contributions=contributions,
        compensation=comp_total,
        to_share=cost - subsidies - contributions,
        households=households,
        rounding=nets.note,
        running=running,
        policy=project.policy,
        compensation_lines=compensation_lines(project) if comp_total else (),
        cost_item_sources=sources,
        cost_ladder=bool(project.costs.ladder),
        gap=gap,
        fixed_lines=fixed_lines(project, sharing),
        warnings=_gap_warnings(gap, fixed, amount),
    )


def _gross(
    project: Project,
    weights: dict[str, Fraction],
    fixed: dict[str, Fraction],
    rest: Fraction,
) -> tuple[dict[str, Fraction], Fraction]:
    """Each household's exact share before compensation and aid, and the gap a fully
    fixed table leaves (amount to share − Σ fixed amounts; 0 when a scheme takes the rest)."""
    zero = Fraction(0)
    if rest < 0 and weights:
        raise problem("sharing.fixed", "sharing.error.fixed_exceeds", amount=money_str(-rest))
    out = {h.id: fixed.get(h.id, zero) for h in project.building.households}
    if not weights:
        return out, rest
    ratio = rest / sum(weights.values(), zero)
    for k, w in weights.items():
        out[k] = ratio * w
    return out, zero


def running_grant_lines(project: Project) -> tuple[FundingLine, ...]:
    rc = project.running_costs
    lines = []
    for g in rc.grants:
        key = (
            "sharing.basis.running_grant_year"
            if g.per == "year"
            else "sharing.basis.running_grant_once"
        )
        basis = Msg(key, amount=money_str(g.amount), years=rc.years)
        lines.append(_sourced_line("running_grant", g, g.name, g.amount, basis))
    return tuple(lines)


def _running(
    project: Project, sharing: Sharing, weights: dict[str, Fraction], unit: Fraction
) -> RunningResult:
    """Running costs per year (and over `years`), shared by weight; running-cost grants
    lower them and nothing else."""
    rc = project.running_costs
    scheme_name = sharing.scheme if rc.scheme == "same" else rc.scheme
    if rc.scheme != "same" or sharing.fixed:
        name = sharing.scheme if rc.scheme == "same" else rc.scheme
        # the running costs are shared among everyone the scheme weighs, fixed or not
        no_fixed = sharing.model_copy(update={"scheme": name, "fixed": []})
        try:
            _, weights = scheme_weights(project, no_fixed)
        except ProjectError as e:
            raise ProjectError([Problem("running_costs.scheme", p.message) for p in e.problems])
    gross = sum((i.amount for i in rc.annual), Fraction(0))
    per_year = sum((g.amount for g in rc.grants if g.per == "year"), Fraction(0))
    once = sum((g.amount for g in rc.grants if g.per == "once"), Fraction(0))
    period = (gross - per_year) * rc.years - once
    if period < 0:
        raise problem(
            "running_costs.grants", "sharing.error.running_grants_exceed", amount=money_str(-period)
        )
    annual = period / rc.years
    wsum = sum(weights.values(), Fraction(0))
    order = [h.id for h in project.building.households]
    ratio, zero = annual / wsum, Fraction(0)
    exact = {k: ratio * weights[k] if k in weights else zero for k in order}
    rounded = round_to_total(exact, unit, order)
    if once:  # the period total is shared on its own so that it closes to the fen
        totals = round_to_total({k: v * rc.years for k, v in exact.items()}, unit, order).rounded
    else:
        totals = {k: rounded.rounded[k] * rc.years for k in order}
    rows = tuple(RunningShare(k, exact[k], rounded.rounded[k], totals[k]) for k in order)
    return RunningResult(
        scheme=scheme_name,
        items=tuple((i.name, i.amount) for i in rc.annual),
        annual_total=annual,
        years=rc.years,
        households=rows,
        rounding=RoundingNote(sharing.rounding, unit, rounded.odd_amount, rounded.odd_to),
        grants=running_grant_lines(project) if rc.grants else (),
        gross_annual=gross if rc.grants else None,
    )
