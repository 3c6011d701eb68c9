"""Composition (elevator.plan.compose): checklist conditions that add cost items, then the split."""

from __future__ import annotations

from elevator.plan.compose import shares

from .helpers import three_floors


def test_costed_feasibility_conditions_join_the_cost_and_meet_their_earmarked_subsidy():
    site = {"site": {"pipelines_in_footprint": ["gas"]}}
    plain = shares(three_floors(costs={"total": 500000}, policy="hangzhou", **site))
    assert plain.construction_cost == 500000
    # Hangzhou's pipeline grant has no pipeline item to pay for here: shown, but zero
    assert [l.amount for l in plain.funding if l.name.startswith("杭州市管线")] == [0]
    r = shares(
        three_floors(costs={"total": 500000, "include_conditions": True}, policy="hangzhou", **site)
    )
    # gas in the footprint -> the relocation condition, costed by the policy's estimate
    assert dict(r.cost_items) == {"基本造价 base cost": 500000, "管线迁移": 150000}
    assert r.construction_cost == 650000
    assert [l.amount for l in r.funding if l.name.startswith("杭州市管线")] == [150000]
    assert sum(h.share for h in r.households) == r.to_share


def test_a_quoted_condition_is_not_added_twice_and_an_estimate_keeps_its_mark():
    site = {"site": {"pipelines_in_footprint": ["gas"]}}
    quoted = shares(
        three_floors(
            costs={
                "total": 500000,
                "include_conditions": True,
                "items": [
                    {"name": "主体", "amount": 450000},
                    {"name": "管线迁移", "amount": 50000},
                ],
            },
            policy="hangzhou",
            **site,
        )
    )
    assert quoted.construction_cost == 500000  # the quote, not quote + estimate
    assert [l.amount for l in quoted.funding if l.name.startswith("杭州市管线")] == [50000]
    estimated = shares(
        three_floors(costs={"total": 500000, "include_conditions": True}, policy="hangzhou", **site)
    )
    assert "[W]" in estimated.cost_item_sources["管线迁移"]
    from elevator.documents.tables import funding_rows

    row = next(r for r in funding_rows(estimated)[1] if "管线迁移" in r[0])
    assert "[W]" in row[3]
