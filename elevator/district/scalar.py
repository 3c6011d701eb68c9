"""The reference: one portfolio row as a project file, priced and checked by the
one-stairwell engines (`compute_shares`, `assess`).  `--engine scalar` runs every row
through here; the vector engine sends here the rows it has no closed form for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from elevator.core.errors import ProjectError
from elevator.core.text import Msg
from elevator.district.portfolio import FACTS


def household_id(floor: int, index: int) -> str:
    """101, 102, 201 …: the ids a project file would use."""
    return f"{floor}{index:02d}"


def project_data(row: dict[str, Any], policy: str | None, scheme: str, date: dt.date) -> dict:
    """The project file a portfolio row stands for."""
    floors, per_floor = int(row["floors"]), int(row["households_per_floor"])
    area = row["area_m2"]
    costs: dict[str, Any] = {"total": Fraction(int(row["cost_fen"]), 100)}
    fixed = row.get("fixed_fen")
    if fixed is not None and fixed == fixed and str(fixed) != "<NA>":
        costs["fixed"] = Fraction(int(fixed), 100)
        costs["per_floor"] = Fraction(int(row["per_floor_fen"]), 100)
    sharing: dict[str, Any] = {"scheme": scheme}
    if row.get("ground_floor_participates"):
        sharing["exempt_floors"] = []
    coeffs = row.get("coefficients")
    if coeffs is not None and not (isinstance(coeffs, float) and coeffs != coeffs):
        sharing["coefficients"] = {f: c for f, c in enumerate(coeffs, start=1)}
    site = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k in FACTS
        if (v := row.get(k)) is not None and not (isinstance(v, float) and v != v)
    }
    detail = row.get("detail")
    if detail:  # a household portfolio: the households as listed
        households = [
            {"id": h, "floor": f, "area_m2": Fraction(a), "participates": bool(j)}
            for h, f, a, j in detail
        ]
    else:
        households = [
            {"id": household_id(f, i), "floor": f, "area_m2": Fraction(area)}
            for f in range(1, floors + 1)
            for i in range(1, per_floor + 1)
        ]
    return {
        "name": str(row["id"]),
        "policy": policy,
        "date": date,
        "community": str(row["community"]),
        "building": {"floors": floors, "households": households},
        "costs": costs,
        "sharing": sharing,
        "site": site,
    }


@dataclass
class ScalarRow:
    subsidy_fen: int | None
    to_share_fen: int | None
    q: list[int]  # per floor, as engine.Split
    g: list[int]
    verdict: str | None
    problem: Msg | None = None
    shares: list[tuple[str, int, int]] | None = None  # (household, floor, fen): detailed rows


def price_row(
    row: dict[str, Any], policy: str | None, scheme: str, date: dt.date, check: bool = True
) -> ScalarRow:
    """Shares (and, with check, the verdict) of one row by the one-stairwell engines."""
    from elevator.feasibility.checklist import assess  # noqa: PLC0415
    from elevator.model.io import parse_project  # noqa: PLC0415
    from elevator.sharing.engine import compute_shares  # noqa: PLC0415

    floors, per_floor = int(row["floors"]), int(row["households_per_floor"])
    try:
        project = parse_project(project_data(row, policy, scheme, date))
    except ProjectError as e:
        return ScalarRow(None, None, [0] * floors, [0] * floors, None, e.problems[0].message)
    try:
        verdict = assess(project).verdict if check else None
    except ProjectError as e:
        return ScalarRow(None, None, [0] * floors, [0] * floors, None, e.problems[0].message)
    try:
        result = compute_shares(project)
    except ProjectError as e:
        return ScalarRow(None, None, [0] * floors, [0] * floors, verdict, e.problems[0].message)
    if row.get("detail"):
        shares = [(h.id, h.floor, int(h.share * 100)) for h in result.households]
        return ScalarRow(
            subsidy_fen=int(result.subsidies * 100),
            to_share_fen=int(result.to_share * 100),
            q=[0] * floors,
            g=[0] * floors,
            verdict=verdict,
            shares=shares,
        )
    q, g = floor_pattern(
        [(h.floor, int(h.share * 100)) for h in result.households], floors, per_floor
    )
    return ScalarRow(
        subsidy_fen=int(result.subsidies * 100),
        to_share_fen=int(result.to_share * 100),
        q=q,
        g=g,
        verdict=verdict,
    )


def floor_pattern(
    shares: list[tuple[int, int]], floors: int, per_floor: int
) -> tuple[list[int], list[int]]:
    """Per floor (q, g): the smallest share and how many households got one fen more, the
    first ones by number (what largest-remainder rounding gives identical households)."""
    q, g = [0] * floors, [0] * floors
    for f in range(1, floors + 1):
        values = [s for fl, s in shares if fl == f]
        low = min(values)
        extra = [v - low for v in values]
        n_up = sum(extra)
        if any(e not in (0, 1) for e in extra) or extra != [1] * n_up + [0] * (per_floor - n_up):
            raise ArithmeticError("shares of identical households differ by more than a fen")
        q[f - 1], g[f - 1] = low, n_up
    return q, g
