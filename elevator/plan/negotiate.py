"""Negotiation solver: floor coefficients that meet what the households agreed.

The mediator writes the agreed constraints in a YAML file (see
docs/consultation.md); each paying floor f gets one unknown, s_f = what one of
its households is charged before compensation (the gross share, yuan):

    Σ_f n_f · s_f = amount + compensation        (the scheme's whole split)
    s_f ≥ 0
    pay_f = s_f − comp_f                         (what the constraints talk about)

and the solver picks, among all s that meet every constraint, the fairest:
the smallest spread max_f pay_f − min_f pay_f over the paying floors.  That is
a linear programme: the constraints are written as sympy relations and solved
exactly over the rationals by a small two-phase simplex (`elevator.sharing.lp.lp_min`,
Bland's rule; see there why not sympy's lpmin), so the coefficients are Fractions and every
constraint holds exactly on the exact shares.  When nothing meets them all, a
deletion filter finds a minimal conflicting subset: dropping any one of its
constraints leaves the rest solvable.

"amount" in "5%" is the amount the households pay together before hardship
aid: construction cost − subsidies − contributions (what `elevator share` calls
to_share, plus any hardship aid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError, field_validator, model_validator

from elevator.core.errors import (
    Given,
    Problem,
    ProjectError,
    fail,
    problem,
    problems_from_validation,
)
from elevator.core.money import money_str, to_fraction
from elevator.core.text import Msg, t
from elevator.core.types import Exact, Strict
from elevator.sharing.lp import Unbounded, lp_min

if TYPE_CHECKING:
    from elevator.model.project import Project
    from elevator.sharing.engine import ShareResult


def _amount(value: object) -> object:
    """'5%' stays a percent marker; numbers are yuan."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return ("percent", to_fraction(value.strip()[:-1]))
        except (ValueError, ArithmeticError):
            raise fail("negotiate.error.percent_format") from None
    try:
        return ("yuan", to_fraction(value))
    except (TypeError, ValueError, ArithmeticError):
        raise fail("negotiate.error.amount") from None


class Relative(Strict):
    floor: int = Field(ge=1, description="the floor compared with")
    factor: Exact = Field(description="times that floor's payment")


class Constraint(Strict):
    """One agreed sentence.  Give `floor` and exactly one of the relations."""

    id: str | None = Field(None, max_length=40)
    text: str | None = Field(None, max_length=500, description="the words people agreed")
    floor: int | None = Field(None, ge=1)
    pays_at_most: Any = Field(None, description="yuan, or '5%' of the amount")
    pays_at_least: Any = None
    pays: Any = Field(None, description="exactly this (yuan or percent)")
    at_most_times: Relative | None = None
    at_least_times: Relative | None = None
    rise_from_below: Any = Field(
        None,
        description="each paying floor from `floor` up pays at "
        "least this percent more than the floor below",
    )
    receives: Exact | None = Field(None, description="compensation per household of `floor`")

    @field_validator("pays_at_most", "pays_at_least", "pays")
    @classmethod
    def _amounts(cls, v: object) -> object:
        return None if v is None else _amount(v)

    @field_validator("rise_from_below")
    @classmethod
    def _percent(cls, v: object) -> object:
        if v is None:
            return None
        kind, value = _amount(v if isinstance(v, str) else f"{v}%")
        if kind != "percent" or value <= -100:
            raise fail("negotiate.error.percentage")
        return value

    @model_validator(mode="after")
    def _one(self) -> "Constraint":
        given = [k for k in RELATIONS if getattr(self, k) is not None]
        if len(given) != 1:
            raise fail("negotiate.error.one_relation", relations=", ".join(RELATIONS))
        if self.floor is None and given[0] != "rise_from_below":
            raise fail("negotiate.error.floor_required")
        if self.receives is not None and self.receives < 0:
            raise fail("negotiate.error.compensation_negative")
        return self

    @property
    def relation(self) -> str:
        return next(k for k in RELATIONS if getattr(self, k) is not None)


RELATIONS = (
    "pays_at_most",
    "pays_at_least",
    "pays",
    "at_most_times",
    "at_least_times",
    "rise_from_below",
    "receives",
)


class ConstraintFile(Strict):
    constraints: list[Constraint] = Field(min_length=1)
    note: str | None = None


def load_constraints(path: str) -> list[Constraint]:
    from elevator.model.io import read_data  # noqa: PLC0415

    data = read_data(path)
    if isinstance(data, list):
        data = {"constraints": data}
    if not isinstance(data, dict):
        raise problem(path, "negotiate.error.not_mapping")
    try:
        return ConstraintFile.model_validate(data).constraints
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=path)) from None


def constraint_label(c: Constraint, i: int) -> str:
    return c.id or f"#{i + 1}"


def description(c: Constraint) -> Msg:
    """The constraint in plain words (when the file gives no `text`)."""

    def amount(v: tuple[str, Fraction]) -> Msg:
        kind, x = v
        if kind == "percent":
            return Msg("negotiate.amount.percent", percent=str(x))
        return Msg("negotiate.amount.yuan", amount=money_str(x))

    f, r = c.floor, c.relation
    if r in ("pays_at_most", "pays_at_least", "pays"):
        return Msg(f"negotiate.describe.{r}", floor=f, amount=amount(getattr(c, r)))
    if r in ("at_most_times", "at_least_times"):
        rel = getattr(c, r)
        return Msg(f"negotiate.describe.{r}", floor=f, factor=str(rel.factor), other=rel.floor)
    if r == "rise_from_below":
        percent = str(c.rise_from_below)
        if f:
            return Msg("negotiate.describe.rise_from_floor", floor=f, percent=percent)
        return Msg("negotiate.describe.rise_from_below", percent=percent)
    return Msg("negotiate.describe.receives", floor=f, amount=money_str(c.receives))


def describe(c: Constraint) -> tuple[str, str]:
    """(zh, en) of `description` (for callers that still take the pair)."""
    m = description(c)
    return m.zh, m.en


# --- the linear programme ---------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Setup:
    floors: tuple[int, ...]  # paying floors, ascending
    counts: dict[int, int]  # paying households per floor
    amount: Fraction  # cost − subsidies − contributions (before hardship aid)
    base_comp: dict[int, Fraction]  # floor-level compensation per household from the project
    residents: dict[int, int]  # all households per floor (compensation goes to each)
    household_comp: Fraction  # compensation named per household (not per floor)


def setup_for(project: "Project") -> Setup:
    from elevator.plan.compose import shares as compute_shares  # noqa: PLC0415
    from elevator.sharing.engine import payers_of

    payers = payers_of(project, project.sharing)
    if not payers:
        raise ProjectError([Problem("building.households", Msg("negotiate.error.no_payers"))])
    counts: dict[int, int] = {}
    for h in payers:
        counts[h.floor] = counts.get(h.floor, 0) + 1
    base = compute_shares(project, "equal")
    comp = {f: Fraction(0) for f in range(1, project.building.floors + 1)}
    residents = {f: 0 for f in comp}
    for h in project.building.households:
        residents[h.floor] += 1
    named = Fraction(0)
    for c in project.compensation:
        if c.floor is not None:
            comp[c.floor] += c.per_household
        else:
            named += c.per_household
    return Setup(
        floors=tuple(sorted(counts)),
        counts=counts,
        amount=base.to_share + base.aid,
        base_comp=comp,
        residents=residents,
        household_comp=named,
    )


def _check_floors(constraints: Sequence[Constraint], setup: Setup, floors: int) -> None:
    problems = []
    paying = set(setup.floors)
    for i, c in enumerate(constraints):
        where = f"constraints[{i}]"
        refs = [c.floor] if c.floor else []
        for rel in (c.at_most_times, c.at_least_times):
            if rel:
                refs.append(rel.floor)
        for f in refs:
            if not 1 <= f <= floors:
                problems.append(Problem(where, Msg("negotiate.error.floor_outside", floor=f)))
            elif c.relation != "receives" and f not in paying:
                problems.append(Problem(where, Msg("negotiate.error.floor_not_paying", floor=f)))
    if problems:
        raise ProjectError(problems)


def _compensation(constraints: Sequence[Constraint], setup: Setup) -> dict[int, Fraction]:
    comp = dict(setup.base_comp)
    for c in constraints:
        if c.receives is not None:
            comp[c.floor] = c.receives
    return comp


def _system(constraints: Sequence[Constraint], setup: Setup):
    """sympy symbols, constraint relations (one list per agreed constraint), objective."""
    import sympy as sp  # noqa: PLC0415

    s = {f: sp.Symbol(f"s{f}") for f in setup.floors}
    lo, hi = sp.Symbol("lo"), sp.Symbol("hi")
    comp = _compensation(constraints, setup)
    pay = {f: s[f] - sp.Rational(comp[f].numerator, comp[f].denominator) for f in setup.floors}
    R = lambda x: sp.Rational(x.numerator, x.denominator)  # noqa: E731
    comp_total = sum((comp[f] * setup.residents[f] for f in comp), setup.household_comp)
    base = [sp.Eq(sum(setup.counts[f] * s[f] for f in setup.floors), R(setup.amount + comp_total))]
    base += [s[f] >= 0 for f in setup.floors]
    base += [pay[f] >= lo for f in setup.floors] + [pay[f] <= hi for f in setup.floors]

    def value(v: tuple[str, Fraction]):
        kind, x = v
        return R(setup.amount * x / 100) if kind == "percent" else R(x)

    groups = []
    for c in constraints:
        r = c.relation
        if r == "pays_at_most":
            rel = [pay[c.floor] <= value(c.pays_at_most)]
        elif r == "pays_at_least":
            rel = [pay[c.floor] >= value(c.pays_at_least)]
        elif r == "pays":
            rel = [sp.Eq(pay[c.floor], value(c.pays))]
        elif r == "at_most_times":
            rel = [pay[c.floor] <= R(c.at_most_times.factor) * pay[c.at_most_times.floor]]
        elif r == "at_least_times":
            rel = [pay[c.floor] >= R(c.at_least_times.factor) * pay[c.at_least_times.floor]]
        elif r == "rise_from_below":
            k = 1 + R(c.rise_from_below) / 100
            start = c.floor or setup.floors[0]
            fl = [f for f in setup.floors if f >= start]
            prev = [f for f in setup.floors if f < start]
            chain = ([prev[-1]] if prev and c.floor else []) + fl
            rel = [pay[b] >= k * pay[a] for a, b in zip(chain, chain[1:])]
        else:
            rel = []  # compensation only changes the amount and the pays
        groups.append([x for x in rel if x is not sp.true])
    return s, lo, hi, base, groups


def _fraction(x) -> Fraction:
    return Fraction(int(x.p), int(x.q)) if hasattr(x, "p") else Fraction(x)


def _rows(relations) -> list[tuple[dict[str, Fraction], str, Fraction]]:
    """sympy relations → (coefficients, "<=" | ">=" | "==", right-hand side), exact."""
    import sympy as sp  # noqa: PLC0415

    out = []
    for rel in relations:
        if rel is sp.true:
            continue
        if rel is sp.false:
            out.append(({}, "==", Fraction(1)))  # 0 = 1: never holds
            continue
        op = {sp.GreaterThan: ">=", sp.LessThan: "<=", sp.Equality: "=="}[type(rel)]
        terms = sp.expand(rel.lhs - rel.rhs).as_coefficients_dict()
        const = _fraction(terms.pop(sp.S.One, 0))
        out.append(({str(v): _fraction(c) for v, c in terms.items()}, op, -const))
    return out


def _solve(constraints: Sequence[Constraint], setup: Setup):
    """(spread, {floor: s_f}) or None when infeasible."""
    s, lo, hi, base, groups = _system(constraints, setup)
    rows = _rows(base + [r for g in groups for r in g])
    try:
        found = lp_min({"hi": Fraction(1), "lo": Fraction(-1)}, rows, free={"lo", "hi"})
    except Unbounded:
        raise problem("constraints", "negotiate.error.unbounded") from None
    if found is None:
        return None
    spread, value = found
    return spread, {f: value[str(s[f])] for f in setup.floors}


def minimal_conflict(constraints: Sequence[Constraint], setup: Setup) -> list[int]:
    """Indices of a minimal conflicting subset (deletion filter)."""
    keep = list(range(len(constraints)))
    for i in list(keep):
        trial = [j for j in keep if j != i]
        if _solve([constraints[j] for j in trial], setup) is None:
            keep = trial
    return keep


@dataclass(frozen=True)
class ConstraintCheck:
    label: str
    words: Msg  # the agreed text (the same in both languages), or its description
    holds: bool  # on the exact shares
    holds_rounded: bool  # on the shares rounded to the unit (may miss by one unit)

    @property
    def zh(self) -> str:
        return self.words.zh

    @property
    def en(self) -> str:
        return self.words.en


@dataclass(frozen=True, kw_only=True)
class Negotiation:
    solved: bool
    coefficients: dict[int, Fraction]  # floor_coefficients for sharing.coefficients
    compensation: dict[int, Fraction]  # floor → per household, where not zero
    spread: Fraction | None
    pays: dict[int, Fraction]  # exact per-household pay per paying floor
    checks: tuple[ConstraintCheck, ...]
    conflict: tuple[int, ...]  # indices into the constraints, when not solved
    constraints: tuple[Constraint, ...]
    result: "ShareResult | None"
    project: "Project | None"  # the project with the solved sharing
    fairness: Any = None  # elevator.fairness.FairnessReport


def solve(project: "Project", constraints: Sequence[Constraint]) -> Negotiation:
    setup = setup_for(project)
    _check_floors(constraints, setup, project.building.floors)
    found = _solve(constraints, setup)
    if found is None:
        conflict = tuple(minimal_conflict(constraints, setup))
        return Negotiation(
            solved=False,
            coefficients={},
            compensation={},
            spread=None,
            pays={},
            checks=(),
            conflict=conflict,
            constraints=tuple(constraints),
            result=None,
            project=None,
        )
    spread, s = found
    ref = next((s[f] for f in setup.floors if s[f] > 0), Fraction(1))
    coefficients = {
        f: Fraction(0) for f in range(1, project.building.floors + 1) if f not in setup.floors
    }
    coefficients.update({f: s[f] / ref for f in setup.floors})
    comp = _compensation(constraints, setup)
    new_project = with_solution(project, coefficients, comp)
    from elevator.plan.compose import shares as compute_shares  # noqa: PLC0415

    result = compute_shares(new_project)
    checks = tuple(check_constraints(constraints, result, setup))
    pays = {f: s[f] - comp[f] for f in setup.floors}
    fairness = _fairness(result, new_project)
    return Negotiation(
        solved=True,
        coefficients=coefficients,
        compensation={f: v for f, v in comp.items() if v},
        spread=spread,
        pays=pays,
        checks=checks,
        conflict=(),
        constraints=tuple(constraints),
        result=result,
        project=new_project,
        fairness=fairness,
    )


def with_solution(
    project: "Project", coefficients: dict[int, Fraction], comp: dict[int, Fraction]
) -> "Project":
    """The project with a floor_coefficients sharing and the agreed floor compensation."""
    from elevator.model.project import Compensation  # noqa: PLC0415

    sharing = project.sharing.model_copy(
        update={
            "scheme": "floor_coefficients",
            "coefficients": dict(sorted(coefficients.items())),
            "by_area": False,
        }
    )
    # the reason is stored in the project file in both languages
    negotiated = f"{t('negotiate.reason', 'zh')} {t('negotiate.reason', 'en')}"
    kept = [c for c in project.compensation if c.floor is None]
    by_floor = {c.floor: c for c in project.compensation if c.floor is not None}
    for f, v in sorted(comp.items()):
        if v:
            old = by_floor.get(f)
            reason = old.reason if old is not None and old.per_household == v else negotiated
            kept.append(Compensation(floor=f, per_household=v, reason=reason))
    return project.model_copy(update={"sharing": sharing, "compensation": kept})


def check_constraints(
    constraints: Sequence[Constraint], result: "ShareResult", setup: Setup
) -> list[ConstraintCheck]:
    """Each constraint re-checked on the computed shares (floor-level households only)."""
    household_comp = {h.id for h in result.households if h.compensation and h.payer}

    def per_floor(exact: bool) -> dict[int, Fraction]:
        out: dict[int, Fraction] = {}
        for h in result.households:
            if h.payer and h.id not in household_comp or (not h.payer and h.compensation):
                value = (h.gross - h.compensation) if exact else h.share + h.aid
                out.setdefault(h.floor, value)
        return out

    def value(v: tuple[str, Fraction]) -> Fraction:
        kind, x = v
        return setup.amount * x / 100 if kind == "percent" else x

    def holds(c: Constraint, pay: dict[int, Fraction]) -> bool:
        r = c.relation
        if r == "pays_at_most":
            return pay[c.floor] <= value(c.pays_at_most)
        if r == "pays_at_least":
            return pay[c.floor] >= value(c.pays_at_least)
        if r == "pays":
            return pay[c.floor] == value(c.pays)
        if r == "at_most_times":
            return pay[c.floor] <= c.at_most_times.factor * pay[c.at_most_times.floor]
        if r == "at_least_times":
            return pay[c.floor] >= c.at_least_times.factor * pay[c.at_least_times.floor]
        if r == "rise_from_below":
            k = 1 + c.rise_from_below / 100
            start = c.floor or setup.floors[0]
            prev = [f for f in setup.floors if f < start]
            chain = ([prev[-1]] if prev and c.floor else []) + [
                f for f in setup.floors if f >= start
            ]
            return all(pay[b] >= k * pay[a] for a, b in zip(chain, chain[1:]))
        return all(h.compensation == c.receives for h in result.households if h.floor == c.floor)

    exact, rounded = per_floor(True), per_floor(False)
    out = []
    for i, c in enumerate(constraints):
        words = Given(c.text, c.text) if c.text else description(c)
        out.append(
            ConstraintCheck(constraint_label(c, i), words, holds(c, exact), holds(c, rounded))
        )
    return out


def _fairness(result: "ShareResult", project: "Project") -> Any:
    """elevator.fairness.check on the solved split (stand-alone cost, monotone, …)."""
    from elevator.sharing.fairness import check  # noqa: PLC0415

    return check(result, project)


def sharing_yaml(n: Negotiation) -> dict:
    """The `sharing` and `compensation` sections to paste into the project file."""
    from elevator.core.types import _serialise  # noqa: PLC0415 (exact numbers as the project file writes them)

    return {
        "sharing": {
            "scheme": "floor_coefficients",
            "coefficients": {f: _serialise(v) for f, v in n.coefficients.items()},
        },
        "compensation": [
            {"floor": f, "per_household": _serialise(v)} for f, v in sorted(n.compensation.items())
        ],
    }
