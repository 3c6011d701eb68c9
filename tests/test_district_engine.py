"""The district engine: vector and scalar engines agree on every household, subsidy,
verdict and refusal; the portfolio reader refuses bad cells by row and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from elevator.district import simulate as S
from elevator.district.engine import VECTOR_SCHEMES
from elevator.district.portfolio import validate
from elevator.district.sample import sample_portfolio
from elevator.district.scalar import household_id

SCHEMES = list(VECTOR_SCHEMES) + ["sm"]  # sm: no closed form, priced by the scalar engine
# guangzhou: a subsidy whose amount is not in the sources, so its rows are refused
POLICIES = [None, "xingshan", "shanghai", "hangzhou", "national", "shenzhen", "guangzhou"]


def _key(m):
    return None if m is None else m.key


def assert_same(a: S.Run, b: S.Run) -> None:
    fa, fb = a.frame, b.frame
    assert list(fa["verdict"]) == list(fb["verdict"])
    assert list(fa["problem"].map(_key)) == list(fb["problem"].map(_key))
    ok = fa["problem"].isna().to_numpy()
    assert fa["subsidy_fen"][ok].equals(fb["subsidy_fen"][ok])
    assert fa["to_share_fen"][ok].equals(fb["to_share_fen"][ok])
    assert (a.q[ok] == b.q[ok]).all() and (a.g[ok] == b.g[ok]).all()
    ha, hb = S.households(a), S.households(b)
    pd.testing.assert_frame_equal(ha, hb)


yes_no = st.sampled_from(["yes", "no", ""])
row = st.fixed_dictionaries(
    {
        "floors": st.integers(1, 12),
        "households_per_floor": st.integers(1, 4),
        "area_m2": st.sampled_from(["55.5", "80", "120.25"]),
        "cost_fen": st.integers(0, 90_000_000),
        "fixed_fen": st.integers(0, 60_000_000),
        "per_floor_fen": st.sampled_from([0, 1, 333_333, 2_500_000, 3_141_593]),
        "with_floor_costs": st.booleans(),
        "policy": st.sampled_from(POLICIES),
        "scheme": st.sampled_from([""] + SCHEMES),
        "ground_floor_participates": yes_no,
        "coefficients": st.sampled_from(
            ["", "0,0.3,0.6,0.9,1.2,1.5,1.8", "1,1,1,1,1,1,1,1,1,1,1,1"]
        ),
        "structure_rating": st.sampled_from(["A", "B", "C", ""]),
        "fire_lane_width_after_m": st.sampled_from(["3.5", "4.5", ""]),
        "pipelines_in_footprint": st.sampled_from(["none", "gas", "water;drainage", ""]),
        "year_built": st.sampled_from(["1990", "2005", ""]),
        "entry": st.sampled_from(["flat", "half_landing", ""]),
        "facing_wall_fire_rated": yes_no,
        "spacing_to_nearest_building_m": st.sampled_from(["5", "12", ""]),
        "car_width_m": st.sampled_from(["1.2", "1.7", ""]),
        "car_depth_m": st.sampled_from(["1.6", "2.2", ""]),
    }
)


def _raw(rows: list[dict]) -> pd.DataFrame:
    out = []
    for i, r in enumerate(rows):
        r = dict(r)
        floors = r["floors"]
        if r.pop("with_floor_costs"):
            fixed, per = r.pop("fixed_fen"), r.pop("per_floor_fen")
            r["cost_fen"] = fixed + per * (floors - 1)
            r["cost_fixed_yuan"] = f"{fixed / 100:.2f}"
            r["cost_per_floor_yuan"] = f"{per / 100:.2f}"
        else:
            r.pop("fixed_fen"), r.pop("per_floor_fen")
            r["cost_fixed_yuan"] = r["cost_per_floor_yuan"] = ""
        fen = r.pop("cost_fen")
        r.update(
            id=f"S{i}",
            community="c",
            district="d",
            cost_yuan=f"{fen // 100}.{fen % 100:02d}",
            policy=r["policy"] or "",
            floors=str(floors),
            households_per_floor=str(r["households_per_floor"]),
            inside_red_line="yes",
            demolition_planned_within_5y="no",
            fire_lane_headroom_after_m="5",
            min_stair_width_m="1.1",
            min_exit_door_width_m="0.9",
            shaft_blocks_exit="no",
            barrier_free_route="yes",
            rated_load_kg="450",
            car_door_width_m="0.9",
        )
        out.append(r)
    return pd.DataFrame(out)


# no shrinking: a failing portfolio is reported as generated (shrinking one takes minutes)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(st.lists(row, min_size=1, max_size=12), st.sampled_from([None] + SCHEMES))
def test_vector_and_scalar_engines_agree(rows, scheme):
    portfolio = validate(_raw(rows))
    assert not portfolio.refused
    a = S.run(portfolio, None, scheme)
    b = S.run(portfolio, None, scheme, "scalar")
    assert_same(a, b)


@pytest.mark.parametrize("scheme", list(VECTOR_SCHEMES))
def test_every_vector_scheme_on_the_sample_matches_the_scalar_engine(scheme):
    raw = sample_portfolio(60, seed=11)
    raw["coefficients"] = "0,0.3,0.6,0.9,1.2,1.5,1.8"
    portfolio = validate(raw)
    a, b = S.run(portfolio, None, scheme), S.run(portfolio, None, scheme, "scalar")
    assert (a.frame["engine"] == "vector").all()
    assert a.frame["problem"].isna().all()
    assert_same(a, b)


def test_big_integers_take_the_exact_slow_path():
    """Costs near int64's limit after scaling: Python integers, same answer."""
    rows = [
        dict(
            id=f"S{i}",
            community="c",
            district="d",
            floors="12",
            households_per_floor="3",
            area_m2="70",
            cost_yuan=str(9_999_999 + i * 7),
            cost_fixed_yuan=str(9_999_999 + i * 7 - 11 * 13),
            cost_per_floor_yuan="13",
            ground_floor_participates="yes",
        )
        for i in range(5)
    ]
    portfolio = validate(pd.DataFrame(rows))
    for scheme in ("shapley", "equal_benefit", "italian_1124"):
        assert_same(
            S.run(portfolio, "shanghai", scheme), S.run(portfolio, "shanghai", scheme, "scalar")
        )


def test_shares_close_on_the_amount_to_share():
    portfolio = validate(sample_portfolio(300, seed=2))
    r = S.run(portfolio, "xingshan", "shapley")
    h = S.households(r)
    totals = h.groupby("stairwell", sort=False)["share_fen"].sum()
    expected = r.frame.set_index("stairwell")["to_share_fen"].loc[totals.index]
    assert (totals.to_numpy() == expected.to_numpy()).all()
    assert h["household"].iloc[0] == household_id(1, 1) == "101"


def test_bad_cells_are_refused_by_row_and_column_and_the_rest_runs():
    raw = sample_portfolio(5, seed=1).astype(object)
    raw.loc[1, "floors"] = "seven"
    raw.loc[2, "cost_yuan"] = "12.345"
    raw.loc[3, "structure_rating"] = "Z"
    raw.loc[4, "id"] = raw.loc[0, "id"]
    p = validate(raw)
    assert [(r.row, r.column) for r in p.refused] == [
        (3, "floors"),
        (4, "cost_yuan"),
        (5, "structure_rating"),
        (6, "id"),
    ]
    assert p.refused_rows == 4 and len(p.frame) == 1
    assert p.refused[0].message.zh and p.refused[0].message.en
    assert "12.345" not in p.refused[1].message.en  # names the column and the rule
    assert "cost_yuan" in p.refused[1].message.en


def test_missing_columns_are_refused_whole():
    from elevator.core.errors import ProjectError

    with pytest.raises(ProjectError) as e:
        validate(pd.DataFrame({"id": ["a"], "floors": [6]}))
    assert "cost_yuan" in e.value.problems[0].en


def test_comparison_counts_budget_and_limits():
    portfolio = validate(sample_portfolio(400, seed=5))
    runs = S.runs(portfolio, ["xingshan", "shanghai"], "floors_travelled")
    table = S.compare(runs, limit=40_000 * 100)
    assert list(table["policy"]) == ["xingshan", "shanghai"]
    for r, (_, s) in zip(runs, table.iterrows()):
        f = r.frame
        served = f["verdict"].isin(["feasible", "conditional"]) & f["problem"].isna()
        assert s["budget_fen"] == f.loc[served, "subsidy_fen"].sum()
        assert s["households_served"] == f.loc[served, "households"].sum()
        h = S.households(r)
        h = h[h["stairwell"].isin(f.loc[served, "stairwell"])]
        assert s["over_limit"] == int((h["share_fen"] > 40_000 * 100).sum())
        floors = s["floors"].set_index("floor")
        top = h.groupby("floor")["share_fen"]
        assert (floors["max"] == top.max()).all()
        assert (floors["median"] == top.quantile(0.5, interpolation="lower")).all()
    assert table.loc[0, "budget_fen"] != table.loc[1, "budget_fen"]


def test_to_frame_has_the_columns_of_simulate():
    from elevator.model.io import load_project
    from elevator.sharing.engine import compute_shares

    project = load_project("cases/projects/xingshan-xingfa-3-1.yaml")
    one = compute_shares(project).to_frame()
    many = S.simulate(sample_portfolio(3, seed=1), ["xingshan"], "area")
    assert list(one.columns) == list(many.columns)
    assert one["share_fen"].sum() == int(compute_shares(project).to_share * 100)
    assert np.issubdtype(many["share_fen"].dtype, np.integer)


def _as_households(raw: pd.DataFrame) -> pd.DataFrame:
    """The same stairwells, one row per household (ids 101, 102, …)."""
    rows = []
    for _, r in raw.iterrows():
        for f in range(1, int(r["floors"]) + 1):
            for i in range(1, int(r["households_per_floor"]) + 1):
                row = r.drop("households_per_floor").to_dict()
                rows.append({**row, "household": household_id(f, i), "floor": f})
    return pd.DataFrame(rows)


def test_a_household_portfolio_gives_the_stairwell_rows_answers():
    raw = sample_portfolio(8, seed=6)
    by_stairwell = validate(raw)
    by_household = validate(_as_households(raw))
    assert not by_household.refused and len(by_household.frame) == 8
    for scheme in ("area", "shapley"):
        a = S.run(by_stairwell, "shanghai", scheme)
        b = S.run(by_household, "shanghai", scheme)
        assert (b.frame["engine"] == "scalar").all()
        pd.testing.assert_frame_equal(S.households(a), S.households(b))
        assert list(a.frame["verdict"]) == list(b.frame["verdict"])
        pd.testing.assert_frame_equal(
            S.compare([a], 30_000 * 100).drop(columns=["floors", "scalar_rows"]),
            S.compare([b], 30_000 * 100).drop(columns=["floors", "scalar_rows"]),
        )
        fa, fb = S.summary(a)["floors"], S.summary(b)["floors"]
        pd.testing.assert_frame_equal(fa, fb)


def test_a_household_portfolio_with_its_own_areas_and_a_bad_row():
    raw = _as_households(sample_portfolio(3, seed=2))
    raw["area_m2"] = [f"{60 + (k % 5) * 7.5}" for k in range(len(raw))]
    raw["participates"] = ["no" if k == 5 else "yes" for k in range(len(raw))]
    raw = raw.astype(object)
    last = raw.index[-1]
    raw.loc[last, "floor"] = "99"
    p = validate(raw)
    bad = raw.loc[last, "id"]
    assert {r.column for r in p.refused} >= {"floor", "id"}
    assert bad not in set(p.frame["id"]) and len(p.frame) == 2
    r = S.run(p, "xingshan", "area")
    h = S.households(r)
    assert h.groupby("stairwell")["share_fen"].sum().tolist() == r.frame["to_share_fen"].tolist()
    assert h.loc[5, "share_fen"] == 0  # opted out
    assert len(set(h["share_fen"][h["floor"] == 3])) > 1  # areas differ
