"""Sharing schemes: each turns the paying households into exact weights.

A household's share is amount × w / Σw (see `elevator.sharing`).  A scheme's name and
its formula in words are the catalogue's `scheme.<name>` and `scheme.<name>.words`; the
formulas (sympy) are in `elevator.sharing.formulas`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from elevator.core.errors import Problem, ProjectError
from elevator.core.text import Msg, t
from elevator.model.project import Household, Sharing
from elevator.sharing import airport


@dataclass(frozen=True)
class Context:
    payers: Sequence[Household]  # participating, not exempt
    sharing: Sharing
    floor_cost: Callable[[int], Fraction] | None  # c_f, None when only a total is known
    floors: int


@dataclass(frozen=True, kw_only=True)
class Scheme:
    name: str
    weights: Callable[[Context], dict[str, Fraction]]
    needs_floor_costs: bool = False
    monotone: bool = True  # promises shares that do not fall with the floor
    nonnegative: bool = True
    source: str | Msg = ""
    area_weighted: bool = False  # accepts `weights: area` (the weighted airport rules)

    @property
    def label(self) -> Msg:
        """The scheme's name (catalogue `scheme.<name>`)."""
        return Msg(f"scheme.{self.name}")

    @property
    def words(self) -> Msg:
        """The formula in words, printed under every table (`scheme.<name>.words`)."""
        return Msg(f"scheme.{self.name}.words")

    @property
    def zh(self) -> str:
        return t(f"scheme.{self.name}", "zh")

    @property
    def en(self) -> str:
        return t(f"scheme.{self.name}", "en")

    @property
    def words_zh(self) -> str:
        return t(f"scheme.{self.name}.words", "zh")

    @property
    def words_en(self) -> str:
        return t(f"scheme.{self.name}.words", "en")


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
        raise ProjectError([Problem("sharing.coefficients", Msg("sharing.error.no_coefficients"))])
    problems = []
    for f in sorted({h.floor for h in ctx.payers}):
        if f not in coeffs:
            problems.append(
                Problem(
                    f"sharing.coefficients.{f}",
                    Msg("sharing.error.coefficient_missing", floor=f),
                )
            )
        elif coeffs[f] < 0:
            problems.append(
                Problem(f"sharing.coefficients.{f}", Msg("sharing.error.coefficient_negative"))
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
        raise ProjectError([Problem("sharing.scheme", Msg("sharing.error.italian_ground_floor"))])
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
                [Problem("sharing.weights" if by_area else "sharing.scheme", e.message)]
            )
        return {h.id: v for h, v in zip(ctx.payers, values)}

    return weights


_AIRPORT_SOURCE = "Thomson (2024) Math. Soc. Sci. 131:17–31; AirportProblems (R, 2025)"
AIRPORT_SCHEMES = [
    Scheme(
        name="sfc",
        weights=_airport("sfc"),
        needs_floor_costs=True,
        monotone=False,
        source=_AIRPORT_SOURCE,
    ),
    Scheme(
        name="sec",
        weights=_airport("sec"),
        needs_floor_costs=True,
        source="Littlechild & Owen (1973); " + _AIRPORT_SOURCE,
    ),
    Scheme(
        name="cec",
        weights=_airport("cec"),
        needs_floor_costs=True,
        source="Dutta & Ray (1989); " + _AIRPORT_SOURCE,
    ),
    Scheme(
        name="ceb",
        weights=_airport("ceb"),
        needs_floor_costs=True,
        source=_AIRPORT_SOURCE,
    ),
    Scheme(
        name="cp",
        weights=_airport("cp"),
        needs_floor_costs=True,
        source=_AIRPORT_SOURCE,
    ),
    Scheme(
        name="sm",
        weights=_airport("sm"),
        needs_floor_costs=True,
        source="Littlechild (1974); " + _AIRPORT_SOURCE,
    ),
    Scheme(
        name="cc",
        weights=_airport("cc"),
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
            name="equal",
            weights=_equal,
        ),
        Scheme(
            name="area",
            weights=_area,
            monotone=False,
            source=Msg("sharing.source.civil_code_283"),
        ),
        Scheme(
            name="floor_coefficients",
            weights=_floor_coefficients,
            monotone=False,
        ),
        Scheme(
            name="floors_travelled",
            weights=_floors_travelled,
        ),
        Scheme(
            name="elevator_rule",
            weights=_elevator_rule,
        ),
        Scheme(
            name="shapley",
            weights=_shapley,
            needs_floor_costs=True,
            source="Littlechild & Owen (1973); Shapley (1953)",
        ),
        Scheme(
            name="equal_benefit",
            weights=_equal_benefit,
            needs_floor_costs=True,
            nonnegative=False,
        ),
        Scheme(
            name="italian_1124",
            weights=_italian_1124,
            monotone=False,
            source="Codice civile art. 1124",
        ),
        *AIRPORT_SCHEMES,
    ]
}
