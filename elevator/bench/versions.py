"""Benchmarks of a project with many saved versions (issue 17: a resident's page looks up
the version its household decided on by the plan hash of every saved version, ~4 ms each).

The sample stairwell saved 300 times, each save a different fixed cost (so a different
plan); the household decided on the first version.  `first`: the lookup after the process
started (nothing remembered yet); `again`: every later page view.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from elevator.bench.runner import SAMPLE, median_time, register
from elevator.core.text import Msg

VERSIONS = 300
HOUSEHOLD = "502"


def many_versions(db: Path, n: int = VERSIONS) -> tuple[object, int, str]:
    """A store at `db` holding the sample saved `n` times: (store, project id, the plan
    hash of version 1)."""
    from elevator.model.io import read_data
    from elevator.plan.changes import version_of
    from elevator.store.db import Store

    store = Store(db, seed=False)
    data = read_data(SAMPLE)
    record = store.create(data)
    first = version_of(record.data)
    for i in range(1, n):
        data["costs"]["fixed"] = 380000 + 100 * i
        record = store.save(record.id, data, record.version)
    assert first is not None
    return store, record.id, first


def measure(quick: bool) -> dict[str, float]:
    """Every figure, measured once per run (saving 300 versions takes seconds)."""
    if quick in _MEASURED:
        return _MEASURED[quick]
    from elevator.documents.bill import changes_since
    from elevator.plan.changes import clear_version_cache, find_version

    with tempfile.TemporaryDirectory() as tmp:
        store, pid, first = many_versions(Path(tmp) / "versions.sqlite3")
        current = store.get(pid).data

        def find() -> None:
            assert find_version(store.versions(pid), first) is not None

        def bill_changes() -> None:
            changes_since(store.versions(pid), first, current, HOUSEHOLD, decision="agree")

        def cold() -> None:
            clear_version_cache()
            find()

        again = 5 if quick else 20
        _MEASURED[quick] = {
            "first": median_time(cold, 1 if quick else 3),
            "find_version": median_time(find, again),
            "bill_changes": median_time(bill_changes, again),
        }
    return _MEASURED[quick]


_MEASURED: dict[bool, dict[str, float]] = {}


def bench_again(quick: bool) -> dict[str, float]:
    m = measure(quick)
    return {"find_version": m["find_version"], "bill_changes": m["bill_changes"]}


def bench_first(quick: bool) -> float:
    return measure(quick)["first"]


register("resident_300_versions", Msg("bench.resident_300_versions"), bench_again, 0.1)
register("resident_300_first", Msg("bench.resident_300_first"), bench_first, 2.0)
