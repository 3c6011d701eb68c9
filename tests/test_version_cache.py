"""Plan versions are remembered per saved data (a resident's page looks up every saved
version): the remembered answer is always the one computed afresh."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from elevator.model.io import parse_project
from elevator.plan import changes
from elevator.plan.changes import clear_version_cache, find_version, result_of, version_of
from elevator.plan.compose import shares
from elevator.plan.versions import plan_version
from elevator.store.db import Store


def fresh(data) -> str | None:
    """The plan version computed without any cache."""
    result = result_of(data)
    return plan_version(result) if result is not None else None


def uncached_find(versions, plan_hash):
    for number, _at, data in reversed(versions):
        if fresh(data) == plan_hash:
            return number, data
    return None


def unfundable(data: dict) -> dict:
    """Valid project data whose plan cannot be computed: the subsidy exceeds the cost."""
    out = copy.deepcopy(data)
    out.setdefault("funding", {})["subsidies"] = [{"name": "s", "per_elevator": 99_000_000}]
    return out


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return Store(tmp_path_factory.mktemp("cache") / "cache.sqlite3")  # seeding takes a second


@pytest.fixture
def store(samples):
    clear_version_cache()
    yield samples
    clear_version_cache()


@pytest.fixture
def calls(monkeypatch) -> list:
    """Each computation of a split that version_of asks for."""
    seen: list = []

    def counted(data):
        seen.append(data)
        return result_of(data)

    monkeypatch.setattr(changes, "result_of", counted)
    return seen


def test_remembered_versions_equal_fresh_ones(store, calls) -> None:
    for record in store.list_projects():
        expected = fresh(record.data)
        assert version_of(record.data) == expected
        assert version_of(copy.deepcopy(record.data)) == expected  # remembered: equal data
        assert expected is None or expected == plan_version(shares(parse_project(record.data)))
    assert len(calls) == len(store.list_projects())


def test_a_plan_that_cannot_be_computed_is_none_every_time(store, calls) -> None:
    bad = unfundable(store.list_projects()[0].data)
    parse_project(bad)  # the data itself is valid
    assert result_of(bad) is None
    assert version_of(bad) is None and version_of(bad) is None
    assert len(calls) == 1


def test_find_version_answers_as_without_the_cache(store) -> None:
    record = next(r for r in store.list_projects() if "fixed" in r.data["costs"])
    first = fresh(record.data)
    data = copy.deepcopy(record.data)
    for i in range(1, 6):
        data["costs"]["fixed"] = 300000 + 1000 * i
        record = store.save(record.id, unfundable(data) if i == 3 else data, record.version)
    store.save(record.id, store.version_data(record.id, 1), record.version)  # back to v1
    versions = store.versions(record.id)
    assert None in {fresh(d) for _, _, d in versions}  # a version with no plan is among them
    hashes = [fresh(d) for _, _, d in versions] + ["0" * 16]
    for plan_hash in hashes:
        if plan_hash is None:
            continue
        expected = uncached_find(versions, plan_hash)
        assert find_version(versions, plan_hash) == expected  # first look-up
        assert find_version(versions, plan_hash) == expected  # remembered
    assert find_version(versions, first)[0] == versions[-1][0]  # the newest with that plan


def test_changed_data_is_a_new_entry(store, calls) -> None:
    """A working copy edited in place after a look-up is looked up afresh."""
    data = copy.deepcopy(next(r for r in store.list_projects() if fresh(r.data)).data)
    before = version_of(data)
    data["building"]["households"][-1]["area_m2"] = 99.5
    assert version_of(data) == fresh(data) != before
    assert len(calls) == 2


def test_a_new_day_is_computed_afresh(store, calls, monkeypatch) -> None:
    """A project without a date takes the subsidies in force today."""
    import datetime as dt

    data = store.list_projects()[0].data
    version_of(data)
    monkeypatch.setattr(changes, "_today", lambda: dt.date(2099, 1, 1))
    version_of(data)
    assert len(calls) == 2


def test_data_that_is_not_json_is_computed_not_remembered(store, calls) -> None:
    data = copy.deepcopy(store.list_projects()[0].data)
    data["building"]["households"][0]["area_m2"] = Fraction(145, 2)
    assert version_of(data) == fresh(data)
    assert version_of(data) == fresh(data)
    assert len(calls) == 2


def test_the_cache_is_bounded(store, monkeypatch) -> None:
    monkeypatch.setattr(changes, "CACHE_SIZE", 3)
    data = copy.deepcopy(store.list_projects()[0].data)
    for i in range(6):
        data["name"] = f"p{i}"
        version_of(data)
        assert len(changes._CACHE) <= 3
