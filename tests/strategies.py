"""Hypothesis strategies: random valid project files (plain data, as a user writes them)
and hostile values to put into them.  Shared by the workbook and the fuzz tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

SCHEMES = [
    "equal",
    "area",
    "floor_coefficients",
    "floors_travelled",
    "elevator_rule",
    "shapley",
    "equal_benefit",
    "italian_1124",
    "sfc",
    "sec",
    "cec",
    "ceb",
    "cp",
    "sm",
    "cc",
]


def _yuan(low: int, high: int) -> st.SearchStrategy[str]:
    """Whole-fen amounts as decimal text, e.g. "1234.56"."""
    return st.integers(low * 100, high * 100).map(lambda f: f"{f // 100}.{f % 100:02d}")


@st.composite
def projects(draw, schemes: list[str] = SCHEMES) -> dict[str, Any]:
    """A valid project: households on random floors, some opted out, a fixed + per-floor
    cost, a subsidy, contributions, compensation and hardship aid (each optional)."""
    floors = draw(st.integers(2, 7))
    n = draw(st.integers(2, 10))
    households = []
    for i in range(n):
        floor = draw(st.integers(1, floors))
        households.append(
            {
                "id": f"{floor}{i:02d}",
                "floor": floor,
                "area_m2": draw(st.integers(300, 1500).map(lambda a: f"{a // 10}.{a % 10}")),
            }
        )
    exempt = draw(st.sampled_from([[1], []]))
    payers = [h for h in households if h["floor"] not in exempt]
    if not payers:  # every household on an exempt floor: nobody would pay
        exempt = []
        payers = households
    for h in households:
        if h is not payers[0] and draw(st.integers(0, 5)) == 0:
            h["participates"] = False
    fixed = draw(st.integers(100_000, 600_000))
    per_floor = draw(st.integers(0, 40_000))
    cost = fixed + per_floor * (floors - 1)
    subsidies = []
    if draw(st.booleans()):
        subsidies.append({"name": "city", "per_elevator": draw(st.integers(0, cost // 2))})
    if draw(st.booleans()):
        ids = [h["id"] for h in households]
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        subsidies.append(
            {"name": "aid", "per_household": draw(_yuan(1, 40_000)), "households": chosen}
        )
    data: dict[str, Any] = {
        "name": "random",
        "building": {"floors": floors, "households": households},
        "costs": {"fixed": fixed, "per_floor": per_floor},
        "funding": {"subsidies": subsidies},
        "sharing": {
            "scheme": draw(st.sampled_from(schemes)),
            "exempt_floors": exempt,
            "coefficients": {f: draw(st.integers(0, 20)) / 10 for f in range(1, floors + 1)},
            "rounding": draw(st.sampled_from(["fen", "jiao", "yuan", "ten_yuan"])),
        },
    }
    if draw(st.booleans()):
        data["funding"]["contributions"] = [{"name": "fund", "amount": draw(_yuan(0, 20_000))}]
    if draw(st.booleans()):
        data["compensation"] = [{"floor": 1, "per_household": draw(_yuan(0, 5_000))}]
    if draw(st.booleans()):
        data["running_costs"] = {"annual": [{"name": "upkeep", "amount": draw(_yuan(1, 9_000))}]}
    if draw(st.booleans()):
        data["payment_schedule"] = [
            {"name": "a", "percent": 30},
            {"name": "b", "percent": 70},
        ]
    return data


# values a hostile or careless file may hold where a number, an id or a date belongs
HOSTILE_SCALARS = [
    "1e10000000",
    "1e-200000",
    "1e999999999",
    "72,5",
    "-0",
    "NaN",
    "inf",
    "-inf",
    "1/0",
    "0x1F",
    "0101",
    "9" * 5000,
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "+1",
    "-1",
    "\t=1",
    "101\u200b",
    "1\x0001",
    "\u202e101",
    "１０１",
    "",
    " ",
    "9999-12-30",
    "0001-01-01",
    "2024-02-30",
    "../../etc/passwd",
    "/etc/passwd",
    True,
    None,
    0,
    -1,
    10**30,
    1e308,
    float("nan"),
    float("inf"),
    0.1,
    [],
    {},
    [1, 2],
    {"a": 1},
]

hostile_scalars = st.sampled_from(HOSTILE_SCALARS) | st.text(max_size=12) | st.integers()
