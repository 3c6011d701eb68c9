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
exactly over the rationals by a small two-phase simplex (`lp_min`, Bland's
rule; see there why not sympy's lpmin), so the coefficients are Fractions and every
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

from elevator.core.errors import Problem, ProjectError, fail, problems_from_validation
from elevator.core.money import money_str, to_fraction
from elevator.core.types import Exact, Strict

if TYPE_CHECKING:
    from elevator.model.project import Project
    from elevator.sharing.engine import ShareResult


def _amount(value: object) -> object:
    """'5%' stays a percent marker; numbers are yuan."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return ("percent", to_fraction(value.strip()[:-1]))
        except (ValueError, ArithmeticError):
            raise fail("百分数格式不符，如 5%", "a percentage looks like 5%") from None
    try:
        return ("yuan", to_fraction(value))
    except (TypeError, ValueError, ArithmeticError):
        raise fail(
            "应为金额（元）或百分数（如 5%）", "must be yuan or a percentage like 5%"
        ) from None


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
            raise fail("应为百分数，如 10%", "must be a percentage like 10%")
        return value

    @model_validator(mode="after")
    def _one(self) -> "Constraint":
        given = [k for k in RELATIONS if getattr(self, k) is not None]
        if len(given) != 1:
            raise fail(
                f"每条约束须且仅须给出 {', '.join(RELATIONS)} 之一",
                f"each constraint needs exactly one of {', '.join(RELATIONS)}",
            )
        if self.floor is None and given[0] != "rise_from_below":
            raise fail("须给出 floor", "floor is required")
        if self.receives is not None and self.receives < 0:
            raise fail("补偿不能为负", "compensation must not be negative")
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
        raise ProjectError(
            [Problem(path, "约束文件应为键值表", "a constraints file must be a mapping")]
        )
    try:
        return ConstraintFile.model_validate(data).constraints
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=path)) from None


def constraint_label(c: Constraint, i: int) -> str:
    return c.id or f"#{i + 1}"


def describe(c: Constraint) -> tuple[str, str]:
    """The constraint in plain words (when the file gives no `text`)."""

    def amt(v: tuple[str, Fraction]) -> tuple[str, str]:
        kind, x = v
        return (
            (f"总额的 {x}%", f"{x}% of the amount")
            if kind == "percent"
            else (f"{money_str(x)} 元", f"{money_str(x)} yuan")
        )

    f = c.floor
    r = c.relation
    if r in ("pays_at_most", "pays_at_least", "pays"):
        zh, en = amt(getattr(c, r))
        word = {
            "pays_at_most": ("最多付", "pays at most"),
            "pays_at_least": ("至少付", "pays at least"),
            "pays": ("付", "pays exactly"),
        }[r]
        return f"{f} 层每户{word[0]}{zh}", f"each household on floor {f} {word[1]} {en}"
    if r in ("at_most_times", "at_least_times"):
        rel = getattr(c, r)
        word = ("不超过", "no more than") if r == "at_most_times" else ("不少于", "at least")
        return (
            f"{f} 层每户所付{word[0]} {rel.floor} 层的 {rel.factor} 倍",
            f"floor {f} pays {word[1]} {rel.factor} times floor {rel.floor}",
        )
    if r == "rise_from_below":
        start = f"{f} 层起" if f else ""
        return (
            f"{start}每层每户至少比下一层多付 {c.rise_from_below}%",
            f"each floor{f' from {f} up' if f else ''} pays at least {c.rise_from_below}% "
            f"more than the floor below",
        )
    return (
        f"{f} 层每户获补偿 {money_str(c.receives)} 元",
        f"each household on floor {f} receives {money_str(c.receives)} yuan",
    )


# --- the linear programme ---------------------------------------------------------


@dataclass(frozen=True)
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
        raise ProjectError(
            [Problem("building.households", "没有参与分摊的住户", "no paying households")]
        )
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
    return Setup(tuple(sorted(counts)), counts, base.to_share + base.aid, comp, residents, named)


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
                problems.append(
                    Problem(where, f"楼层 {f} 不在楼栋内", f"floor {f} is not in the building")
                )
            elif c.relation != "receives" and f not in paying:
                problems.append(
                    Problem(
                        where,
                        f"{f} 层没有分摊户（免付或全部退出）",
                        f"floor {f} has no paying households (exempt or opted out)",
                    )
                )
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


def lp_min(
    objective: dict[str, Fraction],
    rows: Sequence[tuple[dict[str, Fraction], str, Fraction]],
    free: set[str] = frozenset(),
) -> tuple[Fraction, dict[str, Fraction]] | None:
    """Minimise a linear objective exactly: two-phase simplex over Fractions, Bland's rule.

    Variables are ≥ 0 unless named in `free`.  Returns None when infeasible.
    (sympy 1.14's own lpmin oscillates or returns an infeasible point on these
    degenerate programmes — sympy issue #28089, fixed after 1.14 — so the
    pivoting is done here; Bland's rule cannot cycle.)
    """
    names = sorted({v for coeffs, _, _ in rows for v in coeffs} | set(objective))
    cols: list[tuple[str, int]] = []  # (variable, sign)
    for v in names:
        cols.append((v, 1))
        if v in free:
            cols.append((v, -1))
    n_var = len(cols)
    m = len(rows)
    n_slack = sum(1 for _, op, _ in rows if op != "==")
    width = n_var + n_slack + m  # variables, slacks, artificials
    T: list[list[Fraction]] = []
    slack = n_var
    for i, (coeffs, op, rhs) in enumerate(rows):
        row = [Fraction(0)] * (width + 1)
        for j, (v, sign) in enumerate(cols):
            row[j] = sign * coeffs.get(v, Fraction(0))
        if op != "==":
            row[slack] = Fraction(1) if op == "<=" else Fraction(-1)
            slack += 1
        row[-1] = rhs
        if rhs < 0:
            row = [-x for x in row]
        row[n_var + n_slack + i] = Fraction(1)
        T.append(row)
    basis = [n_var + n_slack + i for i in range(m)]
    artificial = set(basis)

    def pivot(r: int, c: int) -> None:
        p = T[r][c]
        T[r] = [x / p for x in T[r]]
        for i in range(len(T)):
            if i != r and T[i][c]:
                f = T[i][c]
                T[i] = [a - f * b for a, b in zip(T[i], T[r])]
        basis[r] = c

    def run(cost: list[Fraction], allowed: list[bool]) -> bool:
        while True:
            reduced = [
                cost[j] - sum((cost[basis[i]] * T[i][j] for i in range(len(T))), Fraction(0))
                for j in range(width)
            ]
            enter = next((j for j in range(width) if allowed[j] and reduced[j] < 0), None)
            if enter is None:
                return True
            candidates = [
                (T[i][-1] / T[i][enter], basis[i], i) for i in range(len(T)) if T[i][enter] > 0
            ]
            if not candidates:
                return False  # unbounded
            pivot(min(candidates)[2], enter)

    run([Fraction(0)] * (n_var + n_slack) + [Fraction(1)] * m, [True] * width)
    if sum((T[i][-1] for i in range(len(T)) if basis[i] in artificial), Fraction(0)) > 0:
        return None
    for i in reversed(range(len(T))):  # drive zero artificials out of the basis
        if basis[i] in artificial:
            j = next((j for j in range(n_var + n_slack) if T[i][j] != 0), None)
            if j is None:
                del T[i], basis[i]  # a redundant row
            else:
                pivot(i, j)
    cost = [Fraction(0)] * width
    for j, (v, sign) in enumerate(cols):
        cost[j] = sign * objective.get(v, Fraction(0))
    if not run(cost, [j < n_var + n_slack for j in range(width)]):
        raise ProjectError(
            [
                Problem(
                    "constraints",
                    "目标无下界（内部错误）",
                    "the objective is unbounded (internal error)",
                )
            ]
        )
    value = {v: Fraction(0) for v in names}
    for i, b in enumerate(basis):
        if b < n_var:
            v, sign = cols[b]
            value[v] += sign * T[i][-1]
    return sum((c * value[v] for v, c in objective.items()), Fraction(0)), value


def _solve(constraints: Sequence[Constraint], setup: Setup):
    """(spread, {floor: s_f}) or None when infeasible."""
    s, lo, hi, base, groups = _system(constraints, setup)
    rows = _rows(base + [r for g in groups for r in g])
    found = lp_min({"hi": Fraction(1), "lo": Fraction(-1)}, rows, free={"lo", "hi"})
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
    zh: str
    en: str
    holds: bool  # on the exact shares
    holds_rounded: bool  # on the shares rounded to the unit (may miss by one unit)


@dataclass(frozen=True)
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
        return Negotiation(False, {}, {}, None, {}, (), conflict, tuple(constraints), None, None)
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
        True,
        coefficients,
        {f: v for f, v in comp.items() if v},
        spread,
        pays,
        checks,
        (),
        tuple(constraints),
        result,
        new_project,
        fairness,
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
    kept = [c for c in project.compensation if c.floor is None]
    by_floor = {c.floor: c for c in project.compensation if c.floor is not None}
    for f, v in sorted(comp.items()):
        if v:
            old = by_floor.get(f)
            reason = (
                old.reason if old is not None and old.per_household == v else "协商约定 negotiated"
            )
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
        zh, en = (c.text, c.text) if c.text else describe(c)
        out.append(
            ConstraintCheck(constraint_label(c, i), zh, en, holds(c, exact), holds(c, rounded))
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
