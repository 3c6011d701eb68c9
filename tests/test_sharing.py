"""Every scheme on hand-checked examples, plus properties that must hold for any input."""

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elevator.core.errors import ProjectError
from elevator.model.io import load_project, parse_project
from elevator.sharing import airport
from elevator.sharing.engine import compute_shares
from elevator.sharing.schemes import SCHEMES

from .helpers import SAMPLE, three_floors


def gross(result):
    return {h.id: h.gross for h in result.households}


@pytest.mark.parametrize(
    "scheme, expected",
    [
        ("equal", {"1": 0, "2": 80, "3": 80}),
        ("area", {"1": 0, "2": 96, "3": 64}),  # 160·60/100, 160·40/100
        ("floors_travelled", {"1": 0, "2": F(160, 3), "3": F(320, 3)}),  # k = 1, 2 of 3
        ("elevator_rule", {"1": 0, "2": 64, "3": 96}),  # weights 1, 1.5
        ("shapley", {"1": 0, "2": 65, "3": 95}),  # 130/2; 65 + 30
        ("equal_benefit", {"1": 0, "2": 65, "3": 95}),  # 130 − 65, 160 − 65
        (
            "italian_1124",
            {"1": 0, "2": F(224, 3), "3": F(256, 3)},
        ),  # 160·(3/10 + 1/6), 160·(1/5 + 1/3)
    ],
)
def test_schemes_by_hand_with_ground_floor_exempt(scheme, expected):
    assert gross(compute_shares(three_floors(), scheme)) == expected


@pytest.mark.parametrize(
    "scheme, expected",
    [
        # players 1F, 2F, 3F with stand-alone costs 100, 130, 160
        ("shapley", {"1": F(100, 3), "2": F(100, 3) + 15, "3": F(100, 3) + 45}),
        ("equal_benefit", {"1": F(70, 3), "2": F(160, 3), "3": F(250, 3)}),  # s − 230/3
    ],
)
def test_game_schemes_with_every_floor_paying(scheme, expected):
    result = compute_shares(three_floors(sharing={"scheme": scheme, "exempt_floors": []}))
    assert gross(result) == expected


def test_floor_coefficients_by_area_and_within_floor_area():
    p = three_floors(
        sharing={"scheme": "floor_coefficients", "coefficients": {2: 1, 3: 2}, "by_area": True}
    )
    assert gross(compute_shares(p)) == {"1": 0, "2": F(160 * 60, 140), "3": F(160 * 80, 140)}


def test_elevator_rule_splits_a_floor_weight_within_the_floor_by_area():
    p = parse_project(
        {
            "name": "t",
            "building": {
                "floors": 3,
                "households": [
                    {"id": "2a", "floor": 2, "area_m2": 30},
                    {"id": "2b", "floor": 2, "area_m2": 90},
                    {"id": "3a", "floor": 3, "area_m2": 50},
                ],
            },
            "costs": {"total": 250},
            "sharing": {"scheme": "elevator_rule", "within_floor": "area"},
        }
    )
    # floor weights 1 and 1.5 -> 100 and 150; floor 2 split 1:3
    assert gross(compute_shares(p)) == {"2a": 25, "2b": 75, "3a": 150}


def test_sample_project_by_hand():
    r = compute_shares(load_project(SAMPLE))
    assert r.construction_cost == 530000  # 380000 + 30000 × 5
    assert r.to_share == 410000  # − 100000 subsidy − 20000 pipeline utility
    assert r.compensation == 10000  # 2 × 5000 to the ground floor
    # coefficients of the payers: 2×0.3 + 2×0.7 + 2×1.0 + 2×1.3 + 1×1.6 (602 opted out) = 8.2
    by_id = r.by_id()
    assert by_id["601"].exact == F(420000) * F(16, 10) / F(82, 10)
    assert by_id["601"].share == F(8195122, 100)
    assert by_id["101"].share == -5000 and by_id["602"].share == 0
    assert sum(h.share for h in r.households) == r.to_share


def test_compensation_is_a_transfer_between_residents():
    r = compute_shares(
        three_floors(compensation=[{"floor": 1, "per_household": 10}], sharing={"scheme": "equal"})
    )
    assert {h.id: h.exact for h in r.households} == {"1": -10, "2": 85, "3": 85}
    assert r.to_share == 160 and r.amount_shared == 170


def test_subsidy_shapes():
    base = {
        "costs": {
            "total": 600000,
            "items": [{"name": "主体", "amount": 450000}, {"name": "管线迁移", "amount": 150000}],
        }
    }
    p = three_floors(
        **base,
        funding={
            "subsidies": [
                {"name": "pct", "percent": 40, "cap": 200000},
                {"name": "stop", "per_stop": 1000},
                {"name": "pipe", "per_elevator": 200000, "earmarked_for": "管线迁移"},
            ]
        },
    )
    lines = {l.name: l.amount for l in compute_shares(p).funding}
    assert lines == {"pct": 200000, "stop": 3000, "pipe": 150000}  # capped; 3 stops; item limit


def test_policy_subsidy_is_used_when_the_project_lists_none():
    p = three_floors(costs={"total": 700000}, policy="shanghai", date="2024-01-01")
    r = compute_shares(p)
    assert [(l.name, l.amount, l.confidence) for l in r.funding] == [
        (
            "上海市加装电梯补贴（市区两级 50:50） / Shanghai elevator subsidy (city:district 50:50)",
            280000,
            "weak",
        )
    ]  # 40% = 280000, at the cap


def test_running_costs_close_per_year_and_over_the_years():
    r = compute_shares(load_project(SAMPLE))
    run = r.running
    assert run.annual_total == 8000 and run.years == 15
    assert sum(h.annual for h in run.households) == 8000
    assert sum(h.total for h in run.households) == 8000 * 15


@pytest.mark.parametrize(
    "data_patch, field",
    [
        ({"funding": {"subsidies": [{"name": "s", "per_elevator": 200}]}}, "funding"),
        (
            {"sharing": {"scheme": "floor_coefficients", "coefficients": {2: 1}}},
            "sharing.coefficients.3",
        ),
        ({"sharing": {"scheme": "shapley"}, "costs": {"total": 160}}, "costs"),
        ({"sharing": {"scheme": "nope"}}, "sharing.scheme"),
        ({"sharing": {"exempt_floors": [1, 2, 3]}}, "building.households"),
    ],
)
def test_scheme_dependent_errors_name_their_field(data_patch, field):
    with pytest.raises(ProjectError) as e:
        compute_shares(three_floors(**data_patch))
    assert any(p.field == field for p in e.value.problems), e.value.problems


# --- properties -------------------------------------------------------------


@st.composite
def projects(draw, scheme=None, with_compensation=True, equal_areas=False, full_floors=False):
    floors = draw(st.integers(2, 8))
    households = []
    for f in range(1, floors + 1):
        units = 2 if full_floors else draw(st.integers(1, 3))
        for u in range(units):
            area = 70 if equal_areas else draw(st.integers(30, 140))
            participates = True if full_floors else draw(st.booleans() | st.just(True))
            households.append(
                {"id": f"{f}-{u}", "floor": f, "area_m2": area, "participates": participates}
            )
    scheme = scheme or draw(st.sampled_from(sorted(SCHEMES)))
    fixed = draw(st.integers(100000, 600000))
    per_floor = draw(st.integers(0, 60000))
    cost = fixed + per_floor * (floors - 1)
    subsidy = draw(st.integers(0, cost))
    data = {
        "name": "p",
        "building": {"floors": floors, "households": households},
        "costs": {"fixed": fixed, "per_floor": per_floor},
        "funding": {"subsidies": [{"name": "s", "per_elevator": subsidy}]},
        "sharing": {
            "scheme": scheme,
            "coefficients": {f: F(draw(st.integers(0, 30)), 10) for f in range(1, floors + 1)},
            "within_floor": draw(st.sampled_from(["equal", "area"])),
            "rounding": draw(st.sampled_from(["fen", "yuan", "ten_yuan"])),
            "exempt_floors": [1],
        },
    }
    if with_compensation and draw(st.booleans()):
        data["compensation"] = [{"floor": 1, "per_household": draw(st.integers(0, 20000))}]
    return parse_project(data)


def _compute_or_skip(p):
    try:
        return compute_shares(p)
    except ProjectError as e:  # nobody pays, all weights zero: valid refusals
        assert e.problems[0].field in ("building.households", "sharing", "sharing.scheme")
        return None


@settings(max_examples=150, deadline=None)
@given(projects())
def test_rounded_shares_always_add_up_exactly(p):
    r = _compute_or_skip(p)
    if r:
        assert sum(h.share for h in r.households) == r.to_share
        assert sum(h.exact for h in r.households) == r.to_share


@settings(max_examples=100, deadline=None)
@given(projects(with_compensation=False))
def test_opted_out_households_pay_nothing_and_weight_schemes_are_nonnegative(p):
    r = _compute_or_skip(p)
    if r:
        for h in r.households:
            if not h.participates:
                assert h.share == 0 and h.exact == 0
            if r.scheme.nonnegative:
                assert h.exact >= 0


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([s for s in SCHEMES if SCHEMES[s].monotone]).flatmap(
        lambda s: projects(scheme=s, with_compensation=False, equal_areas=True, full_floors=True)
    )
)
def test_monotone_schemes_follow_floor_order(p):
    r = _compute_or_skip(p)
    if r:
        payers = sorted((h for h in r.households if h.payer), key=lambda h: h.floor)
        assert all(a.exact <= b.exact for a, b in zip(payers, payers[1:]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=6), st.integers(1, 500), st.integers(0, 90))
def test_closed_form_shapley_matches_brute_force(heights, fixed, per_floor):
    costs = [F(fixed + per_floor * k) for k in heights]
    assert airport.shapley(costs) == airport.shapley_brute_force(costs)


@settings(max_examples=40, deadline=None)
@given(projects(scheme="shapley", with_compensation=False))
def test_shapley_scheme_is_the_brute_force_value_scaled_to_the_amount(p):
    r = _compute_or_skip(p)
    if r and len([h for h in r.households if h.payer]) <= 6:
        payers = [h for h in r.households if h.payer]
        c = [p.costs.fixed + p.costs.per_floor * (h.floor - 1) for h in payers]
        phi = airport.shapley_brute_force(c)
        total = sum(phi)
        assert [h.gross for h in payers] == [r.amount_shared * x / total for x in phi]


def test_hardship_aid_lowers_only_the_named_households_and_never_below_zero():
    p = three_floors(
        sharing={"scheme": "equal"},
        funding={
            "subsidies": [{"name": "困难补助", "per_household": 100, "households": ["2", "3"]}]
        },
        costs={"total": 150},
    )
    r = compute_shares(p)
    # equal split of 150 -> 75 each; aid 100 each is limited to 75 -> both pay 0
    assert {h.id: (h.gross, h.aid, h.exact) for h in r.households} == {
        "1": (0, 0, 0),
        "2": (75, 75, 0),
        "3": (75, 75, 0),
    }
    assert r.to_share == 0 and [l.amount for l in r.funding] == [150]
    p = three_floors(
        sharing={"scheme": "equal"},
        funding={
            "subsidies": [
                {"name": "困难补助", "per_household": 30, "households": ["3"]},
                {"name": "s", "per_elevator": 60},
            ]
        },
    )
    r = compute_shares(p)
    assert {h.id: h.exact for h in r.households} == {"1": 0, "2": 50, "3": 20}
    assert r.to_share == 70 and r.amount_shared == 100


def test_hardship_aid_for_an_unknown_household_is_an_error():
    with pytest.raises(ProjectError) as e:
        three_floors(
            funding={"subsidies": [{"name": "a", "per_household": 5, "households": ["9"]}]}
        )
    assert e.value.problems[0].field == "funding.subsidies[0].households"


@pytest.mark.parametrize(
    "unions, expected",
    [
        ("households", {"2a": F(130, 3), "2b": F(130, 3), "3": F(130, 3) + 30}),  # 3 players
        ("floors", {"2a": F(65, 2), "2b": F(65, 2), "3": 95}),  # 2 players
    ],
)
def test_shapley_with_households_or_floors_as_players(unions, expected):
    p = parse_project(
        {
            "name": "t",
            "building": {
                "floors": 3,
                "households": [
                    {"id": "2a", "floor": 2, "area_m2": 50},
                    {"id": "2b", "floor": 2, "area_m2": 50},
                    {"id": "3", "floor": 3, "area_m2": 50},
                ],
            },
            "costs": {"fixed": 100, "per_floor": 30},
            "sharing": {"scheme": "shapley", "unions": unions},
        }
    )
    assert gross(compute_shares(p)) == expected


def test_area_weights_are_refused_where_a_scheme_has_no_weighted_version():
    with pytest.raises(ProjectError) as e:
        compute_shares(three_floors(sharing={"scheme": "shapley", "weights": "area"}))
    assert e.value.problems[0].field == "sharing.weights"
    assert (
        compute_shares(three_floors(sharing={"scheme": "sec", "weights": "area"})).to_share == 160
    )
