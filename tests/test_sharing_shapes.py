"""Sharing shapes of issue 14: fixed amounts, area rounding, pooled and whole-share hardship
aid, running-cost grants, subsidy eligibility and district policies.  Every expected value is
worked out by hand in the comment beside it."""

import datetime as dt
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elevator.core.errors import ProjectError
from elevator.documents.tables import share_json, share_text
from elevator.model.io import parse_project
from elevator.plan.versions import plan_version
from elevator.policy.parameters import load_policy
from elevator.sharing.engine import compute_shares


def stairwell(floors=4, per_floor=1, **over):
    """`floors` floors, `per_floor` households each (area 50 + 10·index), cost 120,000."""
    households = [
        {"id": f"{f}0{i + 1}", "floor": f, "area_m2": 50 + 10 * i}
        for f in range(1, floors + 1)
        for i in range(per_floor)
    ]
    data = {"name": "t", "building": {"floors": floors, "households": households}}
    data["costs"] = {"total": 120000}
    data.update(over)
    return parse_project(data)


def shares(result):
    return {h.id: h.share for h in result.households}


def problem_fields(excinfo):
    return [p.field for p in excinfo.value.problems]


# --- fixed amounts ------------------------------------------------------------


def test_fixed_floor_pays_its_amount_and_the_rest_is_shared_by_the_scheme():
    p = stairwell(sharing={"scheme": "equal", "fixed": [{"floor": 1, "amount": 4500}]})
    r = compute_shares(p)
    # 1F (exempt by default) pays 4,500; 120,000 − 4,500 = 115,500 / 3 = 38,500 each
    assert shares(r) == {"101": 4500, "201": 38500, "301": 38500, "401": 38500}
    assert r.gap == 0 and r.to_share == 120000


def test_household_entry_beats_its_floor_entry():
    p = stairwell(
        per_floor=2,
        sharing={
            "scheme": "equal",
            "fixed": [{"floor": 1, "amount": 1000}, {"household": "102", "amount": 3000}],
        },
    )
    r = compute_shares(p)
    # fixed 1,000 + 3,000; rest 116,000 over 6 payers = 19,333.33…: 2 units of rounding
    assert shares(r)["101"] == 1000 and shares(r)["102"] == 3000
    assert sum(shares(r).values()) == 120000
    # the floor's line counts only 101 (102 has its own line): 1,000 + 3,000
    assert [l.amount for l in r.fixed_lines] == [1000, 3000]


def test_fixed_amounts_that_exceed_the_amount_to_share_are_refused():
    p = stairwell(sharing={"scheme": "equal", "fixed": [{"floor": 2, "amount": 130000}]})
    with pytest.raises(ProjectError) as e:
        compute_shares(p)
    assert problem_fields(e) == ["sharing.fixed"]
    assert "10000.00" in str(e.value)


def test_a_whole_fixed_table_reports_its_gap_both_ways():
    fixed = [{"floor": f, "amount": a} for f, a in ((1, 0), (2, 30000), (3, 40000), (4, 45000))]
    r = compute_shares(stairwell(sharing={"scheme": "equal", "fixed": fixed}))
    # 0 + 30,000 + 40,000 + 45,000 = 115,000: 5,000 short of 120,000
    assert r.gap == 5000 and sum(shares(r).values()) == 115000
    assert "5000.00" in r.warnings[0].zh and "少收" in r.warnings[0].zh
    fixed[3]["amount"] = 55000  # 125,000: 5,000 over
    r = compute_shares(stairwell(sharing={"scheme": "equal", "fixed": fixed}))
    assert r.gap == -5000 and "over by 5000.00" in r.warnings[0].en
    text = share_text(r, "en")
    assert "does not close" in text


@pytest.mark.parametrize(
    "fixed, field",
    [
        ([{"household": "999", "amount": 1}], "sharing.fixed[0].household"),
        ([{"floor": 9, "amount": 1}], "sharing.fixed[0].floor"),
        ([{"floor": 2, "amount": 1}, {"floor": 2, "amount": 2}], "sharing.fixed[1]"),
    ],
)
def test_bad_fixed_amounts_name_their_field(fixed, field):
    with pytest.raises(ProjectError) as e:
        stairwell(sharing={"fixed": fixed})
    assert field in problem_fields(e)


def test_an_opted_out_household_cannot_have_a_fixed_amount():
    data = {
        "name": "t",
        "building": {
            "floors": 2,
            "households": [
                {"id": "1", "floor": 1, "area_m2": 50, "participates": False},
                {"id": "2", "floor": 2, "area_m2": 50},
            ],
        },
        "costs": {"total": 100},
        "sharing": {"fixed": [{"household": "1", "amount": 10}]},
    }
    with pytest.raises(ProjectError) as e:
        parse_project(data)
    assert problem_fields(e) == ["sharing.fixed[0].household"]


@settings(max_examples=60, deadline=None)
@given(
    # at most 2 households × 15,000 × 3 floors = 90,000, below the 110,000 left to share
    amounts=st.lists(st.integers(0, 15000), min_size=1, max_size=3),
    aid=st.integers(0, 20000),
    comp=st.integers(0, 3000),
)
def test_shares_close_to_the_fen_with_fixed_amounts_aid_and_compensation(amounts, aid, comp):
    fixed = [{"floor": f + 1, "amount": a} for f, a in enumerate(amounts)]
    p = stairwell(
        floors=5,
        per_floor=2,
        sharing={"scheme": "elevator_rule", "exempt_floors": [1], "fixed": fixed},
        compensation=[{"floor": 5, "per_household": comp}],
        funding={
            "subsidies": [
                {"name": "s", "per_elevator": 10000},
                {"name": "a", "per_household": aid, "households": ["401", "502"]},
                {"name": "w", "whole_share": True, "households": ["302"], "cap_total": 9000},
            ]
        },
    )
    r = compute_shares(p)
    assert r.gap == 0
    assert sum(shares(r).values()) == r.to_share  # closes to the fen
    assert all((h.share * 100).denominator == 1 for h in r.households)
    assert r.subsidies + r.contributions + r.to_share == r.construction_cost


# --- area rounding --------------------------------------------------------------


@pytest.mark.parametrize(
    "rounding, mode, expected",
    [
        # areas 60.4 and 75.6 on floor 2, split by area: 120,000 × a / Σa
        ("none", "half_up", {"201": F(120000 * 604, 1360), "202": F(120000 * 756, 1360)}),
        ("1", "half_up", {"201": F(120000 * 60, 136), "202": F(120000 * 76, 136)}),  # 60, 76
        ("1", "down", {"201": F(120000 * 60, 135), "202": F(120000 * 75, 135)}),  # 60, 75
        ("0.01", "half_up", {"201": F(120000 * 604, 1360), "202": F(120000 * 756, 1360)}),
    ],
)
def test_area_rounding_happens_before_weighting(rounding, mode, expected):
    data = {
        "name": "t",
        "building": {
            "floors": 2,
            "households": [
                {"id": "101", "floor": 1, "area_m2": 50},
                {"id": "201", "floor": 2, "area_m2": 60.4},
                {"id": "202", "floor": 2, "area_m2": 75.6},
            ],
        },
        "costs": {"total": 120000},
        "sharing": {"scheme": "area", "area_rounding": rounding, "area_rounding_mode": mode},
    }
    r = compute_shares(parse_project(data))
    assert {h.id: h.gross for h in r.households if h.floor == 2} == expected


def test_hundredth_rounding_is_half_up_and_printed():
    data = {
        "name": "t",
        "building": {
            "floors": 2,
            "households": [
                {"id": "201", "floor": 2, "area_m2": "60.125"},
                {"id": "202", "floor": 2, "area_m2": "60.135"},
            ],
        },
        "costs": {"total": 100},
        "sharing": {"scheme": "area", "exempt_floors": [], "area_rounding": "0.01"},
    }
    r = compute_shares(parse_project(data))
    assert [h.area_m2 for h in r.households] == [F("60.13"), F("60.14")]
    assert [h.area_registered for h in r.households] == [F("60.125"), F("60.135")]
    assert "0.01 m²" in share_text(r, "en")
    rows = share_json(r)["households"]
    assert rows[0]["area_registered"] == "60.125" and rows[0]["area_m2"] == "60.13"


def test_an_unknown_area_rounding_is_refused():
    with pytest.raises(ProjectError) as e:
        stairwell(sharing={"area_rounding": "0.1"})
    assert problem_fields(e) == ["sharing.area_rounding"]


# --- hardship aid ----------------------------------------------------------------


def test_pooled_cap_shares_the_cap_in_proportion_and_not_when_it_does_not_bind():
    sub = {"name": "aid", "per_household": 30000, "households": ["201", "401"], "cap_total": 0}
    base = {"sharing": {"scheme": "floors_travelled"}}
    # floors travelled 1, 2, 3 over 120,000: 2F 20,000, 3F 40,000, 4F 60,000
    for cap, expected in (
        (50000, {"201": 20000, "401": 30000}),
        (25000, {"201": 10000, "401": 15000}),
    ):
        sub["cap_total"] = cap
        r = compute_shares(stairwell(funding={"subsidies": [sub]}, **base))
        # due 20,000 (at most the share) + 30,000 = 50,000; cap 25,000 → half each
        assert {h.id: h.aid for h in r.households if h.aid} == expected
        assert sum(shares(r).values()) == r.to_share == 120000 - sum(expected.values())


def test_whole_share_aid_leaves_the_other_shares_where_they_were():
    base = {"sharing": {"scheme": "floors_travelled"}}
    before = shares(compute_shares(stairwell(**base)))
    sub = {"name": "w", "whole_share": True, "households": ["301"]}
    r = compute_shares(stairwell(funding={"subsidies": [sub]}, **base))
    after = shares(r)
    assert after["301"] == 0 and r.by_id()["301"].aid == before["301"] == 40000
    assert {k: v for k, v in after.items() if k != "301"} == {
        k: v for k, v in before.items() if k != "301"
    }


def test_whole_share_aid_equals_the_rounded_share():
    # 100 by floors travelled over 3 payers (1, 2, 3 → Σ 6): 16.666…, 33.333…, 50
    p = stairwell(
        costs={"total": 100},
        sharing={"scheme": "floors_travelled"},
        funding={"subsidies": [{"name": "w", "whole_share": True, "households": ["201"]}]},
    )
    r = compute_shares(p)
    # rounded: 16.67 (the 0.67 remainder takes the missing fen), 33.33, 50.00
    assert r.by_id()["201"].aid == F("16.67") and shares(r)["201"] == 0
    assert shares(r) == {"101": 0, "201": 0, "301": F("33.33"), "401": 50}


def test_cap_total_is_only_for_hardship_aid():
    with pytest.raises(ProjectError) as e:
        stairwell(funding={"subsidies": [{"name": "s", "per_elevator": 1, "cap_total": 5}]})
    assert "cap_total" in str(e.value)


def test_policy_hardship_aid_goes_to_households_marked_hardship():
    data = {
        "name": "t",
        "policy": "guangzhou",
        "district": "yuexiu",
        "date": "2023-01-01",
        "building": {
            "floors": 3,
            "households": [
                {"id": "1", "floor": 1, "area_m2": 50},
                {"id": "2", "floor": 2, "area_m2": 50, "hardship": True},
                {"id": "3", "floor": 3, "area_m2": 50},
            ],
        },
        "costs": {"total": 160000},
        "sharing": {"scheme": "equal"},
    }
    r = compute_shares(parse_project(data))
    # 160,000 − 100,000 = 60,000 / 2 = 30,000; household 2's 30,000 is within the 50,000 cap
    assert shares(r) == {"1": 0, "2": 0, "3": 30000} and r.subsidies == 130000
    data["building"]["households"][1]["hardship"] = False
    r = compute_shares(parse_project(data))
    assert [l.name for l in r.funding] == ["越秀区加装电梯补助 / Yuexiu District elevator grant"]


# --- running-cost grants ------------------------------------------------------------


def test_running_grants_lower_running_costs_and_never_construction_shares():
    running = {"annual": [{"name": "m", "amount": 3000}], "years": 10}
    base = {"sharing": {"scheme": "equal"}}
    plain = compute_shares(stairwell(running_costs=running, **base))
    running["grants"] = [{"name": "g", "amount": 600, "per": "year"}]
    r = compute_shares(stairwell(running_costs=running, **base))
    assert shares(r) == shares(plain)  # construction untouched
    # (3,000 − 600) / 3 payers = 800 a year, 8,000 over 10 years
    assert [h.annual for h in r.running.households] == [0, 800, 800, 800]
    assert [h.total for h in r.running.households] == [0, 8000, 8000, 8000]
    assert r.running.gross_annual == 3000 and r.running.annual_total == 2400


def test_running_grants_above_the_running_costs_are_refused():
    running = {
        "annual": [{"name": "m", "amount": 100}],
        "years": 2,
        "grants": [{"name": "g", "amount": 250, "per": "once"}],
    }
    with pytest.raises(ProjectError) as e:
        compute_shares(stairwell(running_costs=running))
    assert problem_fields(e) == ["running_costs.grants"] and "50.00" in str(e.value)


# --- subsidy shapes and eligibility ------------------------------------------------------


def test_per_served_household_counts_participating_households_and_respects_its_cap():
    sub = {"name": "s", "per_served_household": 20000}
    r = compute_shares(stairwell(funding={"subsidies": [sub]}))
    assert r.subsidies == 80000  # 4 households × 20,000
    r = compute_shares(stairwell(funding={"subsidies": [dict(sub, cap=50000)]}))
    assert r.subsidies == 50000


def test_per_stop_may_have_a_cap_and_up_to_says_it_is_a_maximum():
    sub = {"name": "s", "per_stop": 20000, "cap": 70000, "up_to": True}
    line = compute_shares(stairwell(funding={"subsidies": [sub]})).funding[0]
    assert line.amount == 70000  # 4 stops × 20,000 = 80,000, capped
    assert "最高额" in line.basis_zh and "maximum" in line.basis_en


def haizhu(floors=7, **installation):
    data = {
        "name": "t",
        "policy": "guangzhou",
        "district": "haizhu",
        "date": "2019-01-01",
        "building": {
            "floors": floors,
            "households": [{"id": str(f), "floor": f, "area_m2": 60} for f in range(1, floors + 1)],
        },
        "costs": {"total": 500000},
    }
    if installation:
        data["installation"] = installation
    return compute_shares(parse_project(data)).funding[0]


@pytest.mark.parametrize(
    "registered, applies",
    [
        ("2018-06-05", False),
        ("2018-06-06", True),  # 2018年6月6日后(含6月6日)
        ("2021-06-05", True),  # 有效期至2021年6月5日
        ("2021-06-06", False),
    ],
)
def test_haizhu_window_includes_both_ends(registered, applies):
    line = haizhu(registered_on=registered)
    assert line.amount == (100000 if applies else 0)
    if not applies:
        assert line.basis_zh.startswith(
            "海珠区补贴只适用于 2018-06-06 至 2021-06-05 取得使用登记证的电梯"
        )


def test_haizhu_seven_storeys_included_six_not():
    assert haizhu(7, registered_on="2019-01-01").amount == 100000  # 七层(含七层)以上
    line = haizhu(6, registered_on="2019-01-01")
    assert line.amount == 0 and "7 层及以上" in line.basis_zh and "6 层" in line.basis_zh


@pytest.mark.parametrize(
    "facts, words",
    [
        ({"registered_on": "2019-01-01", "single_owner": True}, "单一业主"),
        ({"registered_on": "2019-01-01", "subsidised_before": True}, "每个梯口只补助一次"),
        ({}, "installation.registered_on"),
    ],
)
def test_haizhu_other_conditions_say_why(facts, words):
    line = haizhu(**facts)
    assert line.amount == 0 and words in line.basis_zh


# --- districts and dated subsidies ------------------------------------------------------


def test_district_files_inherit_from_the_city():
    haizhu_policy = load_policy("guangzhou-haizhu")
    assert haizhu_policy.parent == "guangzhou"
    assert haizhu_policy.threshold("spacing_min_m") is load_policy("guangzhou").threshold(
        "spacing_min_m"
    )
    ids = [s.id for s in haizhu_policy.all_subsidies()]
    assert ids == ["haizhu_per_elevator"]  # the city's placeholder is replaced
    panyu = [s.id for s in load_policy("guangzhou-panyu").all_subsidies()]
    assert panyu == ["guangzhou_district_subsidy", "panyu_low_income"]  # amount still unknown


def test_a_district_must_belong_to_the_city_and_needs_a_city():
    with pytest.raises(ProjectError) as e:
        stairwell(district="haizhu")
    assert problem_fields(e) == ["district"]
    p = stairwell(policy="guangzhou", district="nowhere")
    with pytest.raises(ProjectError):
        compute_shares(p)


def test_shanghai_subsidy_before_and_after_2020_04_16():
    shanghai = load_policy("shanghai")
    before = shanghai.subsidies_at(dt.date(2020, 4, 15))
    after = shanghai.subsidies_at(dt.date(2020, 4, 16))
    assert [(s.per_elevator, s.up_to) for s in before] == [(240000, True)]
    assert [(s.percent, s.cap) for s in after] == [(40, 280000)]


def test_hangzhou_pilot_starts_in_2017():
    hangzhou = load_policy("hangzhou")
    assert [s.per_elevator for s in hangzhou.subsidies_at(dt.date(2017, 9, 1))] == [200000, 150000]


def test_fixed_amounts_change_the_plan_version():
    # (versions of plans without the new fields are pinned by the consent goldens)
    r = compute_shares(stairwell(sharing={"scheme": "equal"}))
    with_fixed = compute_shares(
        stairwell(sharing={"scheme": "equal", "fixed": [{"floor": 1, "amount": 0}]})
    )
    assert plan_version(r) != plan_version(with_fixed)
