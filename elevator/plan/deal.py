"""The deal finder: is there a split every household that must agree can live with?

Each household may state the most it would pay (its private limit).  The family of splits
searched is the floor-coefficient family: one coefficient c_f per paying floor, never
falling with the floor, equal within a floor (or times the area, when the sharing section
says `by_area` or `within_floor: area`), exempt floors at zero, compensation as set:

    gross_h = c_f(h) · a_h            (a_h = 1, or the area)
    pay_h   = gross_h − comp_h        (what the limit is compared with, before hardship aid)
    Σ_{h paying} gross_h = A + C − E  (A: cost − subsidies − contributions; C: compensation;
                                       E: the extra subsidy or contribution still needed)
    0 ≤ c_f ≤ c_g for paying floors f < g;  pay_h ≤ L_h for every paying household

A household whose limit is below its share may leave instead (it then pays nothing and
counts as opposing); the consent rule must still pass with the households left agreeing.
Households without a limit agree unless their latest recorded decision is oppose or
abstain.  Every set of leavers that keeps the rule passing is tried (sets grow only from
sets that pass: more opposition never helps a rule).

For each set the smallest E is an exact linear programme (`elevator.sharing.lp.lp_min`);
E = 0 means a deal exists.  Among deals the fairest maximises the smallest slack relative
to the limits, min (L_h − pay_h)/L_h, then is nearest (sum of absolute differences) to
the project's own scheme.  With no deal, the result says how much is missing (rounded up
to the fen: one fen less is not enough), which limits bind (lifting one lowers the
amount missing) and to what each binding household's limit would have to rise alone.

Limits are compared in the project's rounding unit (a limit of 35,000.50 with rounding to
the yuan counts as 35,000): the rounded shares then never exceed a limit.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import TYPE_CHECKING

from pydantic import Field, ValidationError

from elevator.core.errors import Problem, ProjectError, problem, problems_from_validation
from elevator.core.money import FEN, ROUNDING_UNITS, floor_to, money_str
from elevator.core.text import Msg, t
from elevator.core.types import Exact, Strict
from elevator.sharing.lp import lp_min

if TYPE_CHECKING:
    from elevator.model.project import Project
    from elevator.sharing.engine import ShareResult

MAX_LIMITED = 16  # households with a limit searched for leavers (2^16 sets at most)


# --- the limits file ----------------------------------------------------------


class LimitsFile(Strict):
    limits: dict[str, Exact | None] = Field(default_factory=dict)


def parse_limits(data: object, project: "Project", where: str = "limits") -> dict[str, Fraction]:
    """`{"201": 20000, "302": "35000.5"}` → exact limits; unknown households and negative
    amounts are reported with their field.  A missing or null limit means no limit."""
    if isinstance(data, dict) and "limits" not in data:
        data = {"limits": data}
    try:
        raw = LimitsFile.model_validate(data).limits
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=where)) from None
    ids = {h.id for h in project.building.households}
    problems = []
    for hid, value in raw.items():
        if hid not in ids:
            problems.append(
                Problem(f"{where}.{hid}", Msg("deal.error.no_household", household=hid))
            )
        elif value is not None and value < 0:
            problems.append(Problem(f"{where}.{hid}", Msg("deal.error.negative")))
    if problems:
        raise ProjectError(problems)
    return {k: v for k, v in raw.items() if v is not None}


def load_limits(path: str, project: "Project") -> dict[str, Fraction]:
    from elevator.model.io import read_data  # noqa: PLC0415

    data = read_data(path)
    if not isinstance(data, dict):
        raise problem(path, "deal.error.not_mapping")
    return parse_limits(data, project, f"{path}:limits")


# --- the consent call (the one place the finder asks the consent engine) --------


def consent_passes(project: "Project", decisions: Mapping[str, str]) -> bool:
    """Does the project's consent rule pass when each household decides as given?

    The only call into elevator.consent: the decisions become the whole current history
    (version None: every entry counts)."""
    from elevator.consent.evaluation import evaluate  # noqa: PLC0415
    from elevator.model.consent import Decision  # noqa: PLC0415

    entries = [Decision(household=h, decision=d) for h, d in decisions.items()]
    return evaluate(project, None, decisions=entries).passed


def assumed_decisions(
    project: "Project", limits: Mapping[str, Fraction], leaving: Iterable[str]
) -> dict[str, str]:
    """Leavers oppose; households with a limit agree; the others keep a recorded oppose or
    abstain and otherwise agree (no limit: any price is acceptable)."""
    latest: dict[str, str] = {}
    for d in project.consent.decisions if project.consent else []:
        latest[d.household] = d.decision
    out = {}
    gone = set(leaving)
    for h in project.building.households:
        if h.id in gone:
            out[h.id] = "oppose"
        elif h.id in limits or latest.get(h.id) not in ("oppose", "abstain"):
            out[h.id] = "agree"
        else:
            out[h.id] = latest[h.id]
    return out


# --- the set-up -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Member:
    """A paying household as the programme sees it."""

    id: str
    floor: int
    weight: Fraction  # a_h: 1, or the area
    comp: Fraction  # compensation it receives
    limit: Fraction | None  # in the rounding unit; None: no limit
    reference: Fraction  # what the project's own scheme has it pay (before aid)


@dataclass(frozen=True, kw_only=True)
class Setup:
    floors: tuple[int, ...]  # paying floors, ascending
    members: tuple[Member, ...]
    amount: Fraction  # A: cost − subsidies − contributions, before hardship aid
    compensation: Fraction  # C
    by_area: bool
    unit: Fraction

    def member(self, hid: str) -> Member:
        return next(m for m in self.members if m.id == hid)


def _reference(project: "Project") -> dict[str, Fraction]:
    """The project's own scheme, per household before aid (empty when it cannot price)."""
    from elevator.plan.compose import shares  # noqa: PLC0415

    try:
        # rounded to the unit: as good a target, and the simplex's numbers stay small
        return {h.id: h.share + h.aid for h in shares(project).households}
    except ProjectError:
        return {}


def setup_for(project: "Project", limits: Mapping[str, Fraction]) -> Setup:
    from elevator.plan.compose import shares  # noqa: PLC0415
    from elevator.sharing.engine import compensation_by_household, payers_of  # noqa: PLC0415

    sharing = project.sharing
    payers = payers_of(project, sharing)
    if not payers:
        raise ProjectError([Problem("building.households", Msg("sharing.error.no_payers"))])
    base = shares(project, "equal")
    comp = compensation_by_household(project)
    unit = ROUNDING_UNITS[sharing.rounding]
    by_area = sharing.by_area or sharing.within_floor == "area"
    ref = _reference(project)
    members = tuple(
        Member(
            id=h.id,
            floor=h.floor,
            weight=h.area_m2 if by_area else Fraction(1),
            comp=comp[h.id],
            limit=floor_to(limits[h.id], unit) if h.id in limits else None,
            reference=ref.get(h.id, Fraction(0)),
        )
        for h in payers
    )
    return Setup(
        floors=tuple(sorted({m.floor for m in members})),
        members=members,
        amount=base.to_share + base.aid,
        compensation=base.compensation,
        by_area=by_area,
        unit=unit,
    )


# --- the programmes -----------------------------------------------------------------

Row = tuple[dict[str, Fraction], str, Fraction]
ONE = Fraction(1)


def _c(f: int) -> str:
    return f"c{f}"


def _rows(
    setup: Setup,
    kept: list[Member],
    *,
    extra: str | Fraction = "E",
    slack: Fraction | str | None = None,
    lifted: str | None = None,
) -> list[Row]:
    """Cover, floor order and limits.  `extra` is the variable E or a fixed amount;
    `slack` is t (variable name or value) in pay ≤ L·(1 − t); `lifted` drops that
    household's limit for a variable ℓ."""
    total = setup.amount + setup.compensation
    cover: dict[str, Fraction] = {}
    for m in kept:
        cover[_c(m.floor)] = cover.get(_c(m.floor), Fraction(0)) + m.weight
    if isinstance(extra, str):
        cover[extra] = ONE
        rows: list[Row] = [(cover, "==", total)]
    else:
        rows = [(cover, "==", total - extra)]
    floors = setup.floors
    rows += [({_c(a): ONE, _c(b): -ONE}, "<=", Fraction(0)) for a, b in zip(floors, floors[1:])]
    rows += [({_c(f): ONE}, ">=", Fraction(0)) for f in floors[:1]]  # keeps every c_f named
    for m in kept:
        if m.id == lifted:
            rows.append(({_c(m.floor): m.weight, "l": -ONE}, "<=", m.comp))
        elif m.limit is not None:
            if isinstance(slack, str) and m.limit > 0:
                rows.append(({_c(m.floor): m.weight, slack: m.limit}, "<=", m.limit + m.comp))
            else:
                bound = m.limit + m.comp
                if isinstance(slack, Fraction):
                    bound -= slack * m.limit
                rows.append(({_c(m.floor): m.weight}, "<=", bound))
    return _distinct(rows)


def _distinct(rows: list[Row]) -> list[Row]:
    """Alike households give the same row: the simplex needs each once."""
    seen, out = set(), []
    for coeffs, op, rhs in rows:
        key = (tuple(sorted(coeffs.items())), op, rhs)
        if key not in seen:
            seen.add(key)
            out.append((coeffs, op, rhs))
    return out


def ceilings(
    setup: Setup, kept: list[Member], lifted: str | None = None
) -> dict[int, Fraction | None]:
    """The largest coefficient each paying floor may take: u_f = min over its kept
    households with a limit of (L_h + comp_h)/a_h, then the least of the floors above
    (the coefficients never fall, so a floor can be no higher than any floor above it)."""
    cap: dict[int, Fraction | None] = {f: None for f in setup.floors}
    for m in kept:
        if m.limit is not None and m.id != lifted:
            u = (m.limit + m.comp) / m.weight
            cap[m.floor] = u if cap[m.floor] is None else min(cap[m.floor], u)
    running: Fraction | None = None
    for f in reversed(setup.floors):
        if cap[f] is not None:
            running = cap[f] if running is None else min(running, cap[f])
        cap[f] = running
    return cap


def least_extra(setup: Setup, kept: list[Member], lifted: str | None = None) -> Fraction:
    """The smallest E that lets the kept households cover the amount within their limits.

    The ceilings are a split that meets the floor order and every limit and is at least
    as high as any other such split on every floor, so they cover the most:
    E = max(0, A + C − Σ a_h · u_f(h)); with a floor without any ceiling (no limit on or
    above it) E = 0.  `least_extra_lp` solves the same programme with the simplex (tests
    compare the two)."""
    cap = ceilings(setup, kept, lifted)
    if any(cap[m.floor] is None for m in kept):
        return Fraction(0)
    covered = sum((m.weight * cap[m.floor] for m in kept), Fraction(0))
    return max(Fraction(0), setup.amount + setup.compensation - covered)


def least_extra_lp(setup: Setup, kept: list[Member], lifted: str | None = None) -> Fraction:
    """`least_extra` as the exact linear programme: minimise E."""
    found = lp_min({"E": ONE}, _rows(setup, kept, lifted=lifted))
    assert found is not None  # c = 0, E = A + C always meets every row
    return found[0]


def _best_slack(setup: Setup, kept: list[Member]) -> Fraction | None:
    """max min_h (L_h − pay_h)/L_h with E = 0 (None: no positive limit among them)."""
    if not any(m.limit for m in kept):
        return None
    found = lp_min({"t": -ONE}, _rows(setup, kept, extra=Fraction(0), slack="t"), free={"t"})
    assert found is not None
    return -found[0]


def _nearest(setup: Setup, kept: list[Member], slack: Fraction | None) -> dict[int, Fraction]:
    """Among the splits with that slack, the one nearest the project's own scheme
    (households alike in floor, weight, compensation and reference share one distance
    variable, counted as often)."""
    rows = _rows(setup, kept, extra=Fraction(0), slack=slack)
    objective: dict[str, Fraction] = {}
    alike: dict[tuple, str] = {}
    for m in kept:
        key = (m.floor, m.weight, m.comp, m.reference)
        if key in alike:
            objective[alike[key]] += ONE
            continue
        d = alike[key] = f"d{len(alike)}"
        objective[d] = ONE
        # d ≥ |weight·c − comp − reference|
        rows.append(({_c(m.floor): m.weight, d: -ONE}, "<=", m.comp + m.reference))
        rows.append(({_c(m.floor): -m.weight, d: -ONE}, "<=", -m.comp - m.reference))
    found = lp_min(objective, rows)
    assert found is not None
    return {f: found[1].get(_c(f), Fraction(0)) for f in setup.floors}


def _lifted_limit(setup: Setup, kept: list[Member], hid: str) -> Fraction | None:
    """The least limit of `hid` alone that makes a deal (None: lifting it alone is not
    enough), rounded up to the unit."""
    rows = _rows(setup, kept, extra=Fraction(0), lifted=hid)
    found = lp_min({"l": ONE}, rows)
    if found is None:
        return None
    return math.ceil(found[0] / setup.unit) * setup.unit


# --- the search over who may leave ---------------------------------------------------


def leaver_layers(
    project: "Project", setup: Setup, limits: Mapping[str, Fraction], allow_leaving: bool = True
) -> Iterator[list[frozenset[str]]]:
    """The sets of households with a limit whose leaving keeps the consent rule passing,
    one layer per size, smallest first (a set is tried only when all its one-smaller
    subsets pass).  Nothing at all when the rule fails with nobody leaving."""
    limited = [m.id for m in setup.members if m.limit is not None] if allow_leaving else []
    if len(limited) > MAX_LIMITED:
        raise problem("limits", "deal.error.too_many", count=len(limited), most=MAX_LIMITED)
    if not consent_passes(project, assumed_decisions(project, limits, ())):
        return
    passing = {frozenset()}
    yield [frozenset()]
    for k in range(1, len(limited) + 1):
        layer = []
        for combo in combinations(limited, k):
            s = frozenset(combo)
            if all(s - {x} in passing for x in s) and consent_passes(
                project, assumed_decisions(project, limits, s)
            ):
                layer.append(s)
        if not layer:
            return
        passing.update(layer)
        yield layer


def leaver_sets(
    project: "Project", setup: Setup, limits: Mapping[str, Fraction], allow_leaving: bool = True
) -> list[frozenset[str]]:
    """Every such set, smallest first."""
    return [s for layer in leaver_layers(project, setup, limits, allow_leaving) for s in layer]


# --- the result -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Move:
    household: str
    floor: int
    limit_to: Fraction | None  # the limit that alone would make a deal (None: not alone)


@dataclass(frozen=True, kw_only=True)
class Deal:
    found: bool
    consent_reachable: bool  # False: the rule fails whatever the price
    extra_exact: Fraction | None  # the exact least extra (0 when found)
    extra_needed: Fraction | None  # rounded up to the fen
    leaving: tuple[str, ...]  # households that leave in the deal (pay nothing, oppose)
    coefficients: dict[int, Fraction]  # floor → coefficient (sharing.coefficients)
    by_area: bool
    min_slack: Fraction | None  # smallest relative slack of the found split
    binding: tuple[str, ...]
    moves: tuple[Move, ...]
    limits: dict[str, Fraction] = field(repr=False)  # private: never printed
    project: "Project | None"  # the deal as a project (with the extra, when not found)
    result: "ShareResult | None"

    @property
    def words(self) -> Msg:
        """The outcome in plain words (mediator only: it may name households)."""
        return deal_words(self, named=True)


def deal_words(deal: Deal, named: bool, visible: Collection[str] | None = None) -> Msg:
    """The outcome in words.  `named`: binding households may be named with the limit they
    would need; `visible` narrows that to the households that let the reader see their
    limit (the others are only counted)."""
    if not deal.consent_reachable:
        return Msg("deal.words.consent")
    if deal.found:
        return Msg("deal.words.found")
    hint: Msg | str = Msg("deal.words.no_single")
    alone = [m for m in deal.moves if m.limit_to is not None]
    shown = [m for m in alone if named and (visible is None or m.household in visible)]
    if shown:
        m = min(shown, key=lambda m: m.limit_to)
        hint = Msg(
            "deal.words.raise", household=m.household, floor=m.floor, limit=money_str(m.limit_to)
        )
    elif alone:
        hint = Msg("deal.words.binding_count", n=len(deal.binding))
    return Msg("deal.words.short", amount=money_str(deal.extra_needed), hint=hint)


def _fen_up(x: Fraction) -> Fraction:
    return math.ceil(x / FEN) * FEN


def find_deal(
    project: "Project", limits: Mapping[str, Fraction], allow_leaving: bool = True
) -> Deal:
    """The fairest deal, or how far the project is from one (see the module docstring).
    `allow_leaving=False`: every paying household stays (no one may leave)."""
    setup = setup_for(project, limits)
    extras: dict[frozenset[str], Fraction] = {}
    for layer in leaver_layers(project, setup, limits, allow_leaving):
        for s in layer:
            extras[s] = least_extra(setup, [m for m in setup.members if m.id not in s])
        deals = [s for s in layer if extras[s] == 0]
        if deals:  # the fewest leavers win: larger sets need not be tried
            return _found(project, setup, limits, deals)
    if not extras:
        return _no_consent(setup, limits)
    best = min(extras, key=lambda s: (extras[s], len(s), sorted(s)))
    return _short(project, setup, limits, extras, best)


def _no_consent(setup: Setup, limits: Mapping[str, Fraction]) -> Deal:
    return Deal(
        found=False,
        consent_reachable=False,
        extra_exact=None,
        extra_needed=None,
        leaving=(),
        coefficients={},
        by_area=setup.by_area,
        min_slack=None,
        binding=(),
        moves=(),
        limits=dict(limits),
        project=None,
        result=None,
    )


def _plain(setup: Setup, kept: list[Member], c: Mapping[int, Fraction]) -> dict[int, Fraction]:
    """The coefficients rounded to the fen, when the split they give still keeps every
    limit (it does whenever the fairest split leaves some slack).  Exact optima are
    ratios of limits: written out in full they would tell a reader the limits' digits."""
    q = {f: round(c[f] / FEN) * FEN for f in setup.floors}  # monotone: order is kept
    total = sum((m.weight * q[m.floor] for m in kept), Fraction(0))
    if total == 0:
        return dict(c)
    scale = (setup.amount + setup.compensation) / total
    fits = all(m.limit is None or scale * m.weight * q[m.floor] - m.comp <= m.limit for m in kept)
    return q if fits else dict(c)


def _found(
    project: "Project", setup: Setup, limits: Mapping[str, Fraction], sets: list[frozenset[str]]
) -> Deal:
    candidates = sets  # one layer: the fewest leavers
    kept = {s: [m for m in setup.members if m.id not in s] for s in candidates}
    slack = {s: _best_slack(setup, kept[s]) for s in candidates}
    ordered = sorted(candidates, key=sorted)  # the first of equals wins: a stable answer
    best = max(ordered, key=lambda s: slack[s] if slack[s] is not None else Fraction(0))
    c = _plain(setup, kept[best], _nearest(setup, kept[best], slack[best]))
    deal_project = as_project(project, setup, c, best)
    from elevator.plan.compose import shares  # noqa: PLC0415

    result = shares(deal_project)
    exact = {h.id: h.exact + h.aid for h in result.households}
    tight = tuple(m.id for m in kept[best] if m.limit is not None and exact[m.id] == m.limit)
    return Deal(
        found=True,
        consent_reachable=True,
        extra_exact=Fraction(0),
        extra_needed=Fraction(0),
        leaving=tuple(sorted(best)),
        coefficients=_coefficients(project, setup, c),
        by_area=setup.by_area,
        min_slack=slack[best],
        binding=tight,
        moves=(),
        limits=dict(limits),
        project=deal_project,
        result=result,
    )


def _short(
    project: "Project",
    setup: Setup,
    limits: Mapping[str, Fraction],
    extras: Mapping[frozenset[str], Fraction],
    best: frozenset[str],
) -> Deal:
    least = extras[best]
    kept = [m for m in setup.members if m.id not in best]
    binding = tuple(
        m.id for m in kept if m.limit is not None and least_extra(setup, kept, lifted=m.id) < least
    )
    moves = tuple(
        Move(
            household=h,
            floor=setup.member(h).floor,
            limit_to=_lifted_limit(setup, kept, h),
        )
        for h in binding
    )
    needed = _fen_up(least)
    rescued = _rescued(project, limits, needed, extras)
    return Deal(
        found=False,
        consent_reachable=True,
        extra_exact=least,
        extra_needed=needed,
        leaving=tuple(sorted(best)),
        coefficients=rescued.coefficients if rescued else {},
        by_area=setup.by_area,
        min_slack=None,
        binding=binding,
        moves=moves,
        limits=dict(limits),
        project=rescued.project if rescued else None,
        result=rescued.result if rescued else None,
    )


def with_extra(project: "Project", amount: Fraction) -> "Project":
    """The project with one more contribution of `amount` (the extra that is missing)."""
    from elevator.model.project import Contribution  # noqa: PLC0415

    name = f"{t('deal.contribution', 'zh')} {t('deal.contribution', 'en')}"
    funding = project.funding.model_copy(
        update={
            "contributions": [
                *project.funding.contributions,
                Contribution(name=name, amount=amount),
            ]
        }
    )
    return project.model_copy(update={"funding": funding})


def _rescued(
    project: "Project",
    limits: Mapping[str, Fraction],
    needed: Fraction,
    extras: Mapping[frozenset[str], Fraction],
) -> Deal | None:
    """The deal once the missing amount is added (None when it cannot be added as a
    contribution: more than the cost left after subsidies).  With `needed` more, exactly
    the sets whose least extra was at most `needed` make a deal: the consent rule need not
    be asked again."""
    try:
        richer = with_extra(project, needed)
        setup = setup_for(richer, limits)
    except ProjectError:
        return None
    fewest = min(len(s) for s, e in extras.items() if e <= needed)
    return _found(
        richer, setup, limits, [s for s, e in extras.items() if e <= needed and len(s) == fewest]
    )


def _coefficients(
    project: "Project", setup: Setup, c: Mapping[int, Fraction]
) -> dict[int, Fraction]:
    """Floor coefficients: the per-household amounts themselves when they are whole fen,
    else scaled so the top paying floor with a positive value is 1."""
    positive = [c[f] for f in setup.floors if c[f] > 0]
    plain = all((c[f] / FEN).denominator == 1 for f in setup.floors)
    scale = positive[-1] if positive and not plain else Fraction(1)
    out = {f: Fraction(0) for f in range(1, project.building.floors + 1)}
    for f in setup.floors:
        out[f] = c[f] / scale if positive else Fraction(1)
    return out


def as_project(
    project: "Project", setup: Setup, c: Mapping[int, Fraction], leaving: Iterable[str]
) -> "Project":
    """The deal as an ordinary project: floor coefficients (times the area when the family
    is by area), the leavers not participating, compensation unchanged."""
    gone = set(leaving)
    sharing = project.sharing.model_copy(
        update={
            "scheme": "floor_coefficients",
            "coefficients": _coefficients(project, setup, c),
            "by_area": setup.by_area,
        }
    )
    households = [
        h.model_copy(update={"participates": False}) if h.id in gone else h
        for h in project.building.households
    ]
    building = project.building.model_copy(update={"households": households})
    return project.model_copy(update={"sharing": sharing, "building": building})
