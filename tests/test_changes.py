"""Changes between project versions: shares per household, edited fields, voided decisions,
and the stored versions they are read from."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from fractions import Fraction

from elevator.model.io import parse_project
from elevator.plan.changes import (
    field_changes,
    find_version,
    result_of,
    share_changes,
    version_of,
    voided,
)
from elevator.plan.compose import shares
from elevator.plan.versions import plan_version
from elevator.store.db import Store


def _dearer(data: dict, by: int) -> dict:
    """The same project with its first cost item (and the stated total) `by` yuan dearer."""
    out = copy.deepcopy(data)
    costs = out["costs"]
    costs["items"][0]["amount"] = str(Fraction(costs["items"][0]["amount"]) + by)
    if costs.get("total") is not None:
        costs["total"] = str(Fraction(costs["total"]) + by)
    return out


@dataclass
class Row:
    household: str
    decision: str
    plan_version: str


def _sample(tmp_path):
    store = Store(tmp_path / "t.sqlite3")
    record = next(r for r in store.list_projects() if r.data["costs"].get("items"))
    return store, record


def test_share_changes_follow_a_cost_change(tmp_path) -> None:
    _, record = _sample(tmp_path)
    before = copy.deepcopy(record.data)
    after = _dearer(record.data, 1000)
    old, new = result_of(before), result_of(after)
    rows = share_changes(old, new)
    assert {r.id for r in rows} == {h.id for h in old.households}
    # the deltas are exactly the difference of the two splits, and they add up to the change
    # of what the households share
    for r in rows:
        assert r.delta == new.by_id()[r.id].share - old.by_id()[r.id].share
    assert sum(r.delta for r in rows) == sum(h.share for h in new.households) - sum(
        h.share for h in old.households
    )
    assert any(r.changed for r in rows)
    paths = [f.path for f in field_changes(before, after)]
    assert "costs.items.0.amount" in paths and set(paths) <= {"costs.items.0.amount", "costs.total"}


def test_added_and_removed_households_have_one_side(tmp_path) -> None:
    _, record = _sample(tmp_path)
    after = copy.deepcopy(record.data)
    gone = after["building"]["households"].pop()
    rows = {r.id: r for r in share_changes(result_of(record.data), result_of(after))}
    assert rows[gone["id"]].after is None and rows[gone["id"]].delta is None
    assert rows[gone["id"]].before is not None


def test_invalid_data_has_no_result_and_no_version(tmp_path) -> None:
    _, record = _sample(tmp_path)
    bad = copy.deepcopy(record.data)
    bad["costs"]["items"][0]["amount"] = "-5"
    assert result_of(bad) is None and version_of(bad) is None
    assert all(r.after is None for r in share_changes(result_of(record.data), None))


def test_voided_counts_latest_counted_decisions_on_the_current_plan() -> None:
    rows = [
        Row("101", "agree", "A"),
        Row("102", "agree", "A"),
        Row("102", "withdrawn", "A"),  # the latest one is a withdrawal: nothing to void
        Row("201", "oppose", "A"),
        Row("202", "agree", "OLD"),  # already on an older plan
        Row("301", "abstain", "A"),
    ]
    assert [r.household for r in voided(rows, "A", "B")] == ["101", "201", "301"]
    assert voided(rows, "A", "A") == []  # same plan: nothing voided
    assert voided(rows, None, "B") == []


def test_store_keeps_every_version_and_finds_a_plan(tmp_path) -> None:
    store, record = _sample(tmp_path)
    first = version_of(record.data)
    data = _dearer(record.data, 1)
    saved = store.save(record.id, data, record.version)
    versions = store.versions(record.id)
    assert [v for v, _, _ in versions] == [record.version, saved.version]
    assert store.version_data(record.id, record.version) == record.data
    assert store.version_data(record.id, saved.version) == saved.data
    assert store.version_data(record.id, 999) is None
    found = find_version(versions, first)
    assert found is not None and found[0] == record.version
    assert find_version(versions, "0" * 16) is None
    assert version_of(saved.data) == plan_version(shares(parse_project(saved.data)))
