"""The store's consultation tables: append-only history (the database itself refuses UPDATE
and DELETE), objections with status history, publicity, link epochs, the server secret, migration (older passcodes become accounts: see
tests/test_accounts.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from elevator.consent.evaluation import evaluate
from elevator.core.errors import ProjectError
from elevator.model.io import parse_project
from elevator.plan.compose import consent, project_plan_version
from elevator.store.db import CONSENT_TABLES, SCHEMA, Store


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "s.sqlite3")


def sample(store: Store):
    return next(r for r in store.list_projects() if r.name == "兴发小区 3栋 1单元")


def test_decisions_are_appended_never_overwritten(store: Store) -> None:
    rec = sample(store)
    v = project_plan_version(parse_project(rec.data))
    store.record_decision(rec.id, "201", "agree", "paper", v, "王调解员")
    store.record_decision(rec.id, "201", "oppose", "own_link", v, "201", reason="采光")
    store.record_decision(rec.id, "201", "withdrawn", "own_link", v)
    store.record_decision(rec.id, "301", "agree", "paper", v, "王调解员")
    rows = store.decisions(rec.id)
    assert [(r.household, r.decision, r.via) for r in rows] == [
        ("201", "agree", "paper"),
        ("201", "oppose", "own_link"),
        ("201", "withdrawn", "own_link"),
        ("301", "agree", "paper"),
    ]
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)
    assert all(r.plan_version == v for r in rows)
    assert [r.decision for r in store.decisions(rec.id, "201")] == ["agree", "oppose", "withdrawn"]
    # the library reads the history: 201's latest entry (withdrawn) counts as no decision
    result = evaluate(parse_project(rec.data), version=v, decisions=[r.as_decision() for r in rows])
    by_id = {h.id: h for h in result.households}
    assert by_id["201"].decision == "none" and by_id["201"].entries == 3
    assert by_id["301"].decision == "agree"


@pytest.mark.parametrize("table", CONSENT_TABLES)
def test_database_refuses_update_and_delete(store: Store, table: str) -> None:
    rec = sample(store)
    store.record_decision(rec.id, "201", "agree", "paper", "v1", "m")
    store.file_objection(rec.id, "201", "噪音")
    store.start_publicity(rec.id, dt.date(2026, 3, 6))
    store.revoke_link(rec.id, "201")
    db = sqlite3.connect(store.path)
    try:
        assert (
            db.execute(f"SELECT COUNT(*) FROM {table} WHERE project_id = ?", (rec.id,)).fetchone()[
                0
            ]
            == 1
        )
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(f"UPDATE {table} SET project_id = 99")
        before = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(f"DELETE FROM {table}")
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == before
    finally:
        db.close()


def test_bad_decisions_are_refused(store: Store) -> None:
    rec = sample(store)
    with pytest.raises(ProjectError, match="999"):
        store.record_decision(rec.id, "999", "agree", "paper", "v", "m")
    with pytest.raises(ProjectError):  # a link decision is recorded by its own household
        store.record_decision(rec.id, "201", "agree", "own_link", "v", "301")
    with pytest.raises(ProjectError):
        store.record_decision(rec.id, "201", "maybe", "paper", "v", "m")
    with pytest.raises(ProjectError, match="2000"):  # too long to read back: refused
        store.record_decision(rec.id, "201", "agree", "paper", "v", "m", reason="字" * 2001)
    with pytest.raises(ProjectError, match="4000"):
        store.reply_objection(rec.id, store.file_objection(rec.id, "201", "x").id, "字" * 4001, "m")
    with pytest.raises(ProjectError, match="2000"):
        store.file_objection(rec.id, "201", "字" * 2001)
    assert store.decisions(rec.id) == []
    assert [o.status for o in store.objections(rec.id)] == ["open"]


def test_objection_status_history(store: Store) -> None:
    rec = sample(store)
    o1 = store.file_objection(rec.id, "101", "采光受影响")
    o2 = store.file_objection(rec.id, "102", "噪音")
    assert (o1.id, o2.id) == ("O1", "O2")
    store.reply_objection(rec.id, "O1", "井道改为玻璃幕墙", "王调解员")
    with pytest.raises(ProjectError):  # only the household's own objection
        store.withdraw_objection(rec.id, "O2", household="101")
    store.withdraw_objection(rec.id, "O2", household="102")
    now = {o.id: o for o in store.objections(rec.id)}
    assert now["O1"].status == "answered" and now["O1"].reply == "井道改为玻璃幕墙"
    assert now["O2"].status == "withdrawn"
    events = store.objection_events(rec.id)
    assert [(e["objection_id"], e["status"]) for e in events] == [
        ("O1", "open"),
        ("O2", "open"),
        ("O1", "answered"),
        ("O2", "withdrawn"),
    ]


def test_publicity_cannot_close_with_open_objection(store: Store) -> None:
    rec = sample(store)
    store.start_publicity(rec.id, dt.date(2026, 3, 6))  # ten working days: to 20 March
    with pytest.raises(ProjectError, match="2026-03-20"):
        store.close_publicity(rec.id, dt.date(2026, 3, 20))
    store.file_objection(rec.id, "101", "采光")
    with pytest.raises(ProjectError, match="O1"):
        store.close_publicity(rec.id, dt.date(2026, 3, 23))
    assert store.publicity(rec.id).closed_on is None
    store.reply_objection(rec.id, "O1", "已调整", "m")
    store.close_publicity(rec.id, dt.date(2026, 3, 23))
    assert store.publicity(rec.id).closed_on == dt.date(2026, 3, 23)


def test_links_and_secret(store: Store) -> None:
    rec = sample(store)
    assert store.link_epochs(rec.id) == {}
    assert store.revoke_link(rec.id, "201") == 1
    assert store.revoke_link(rec.id, "201") == 2
    assert store.link_epochs(rec.id) == {"201": 2}
    secret = store.resident_secret()
    assert len(secret) == 64 and store.resident_secret() == secret
    with pytest.raises(ProjectError):  # only a household of the project
        store.revoke_link(rec.id, "9999")


def test_older_database_gains_the_tables(tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)  # the schema before issue 6, with one project
    first = Store(tmp_path / "seed.sqlite3")
    rec = sample(first)
    import json

    db.execute(
        "INSERT INTO projects (name, community, data, version, updated_at) "
        "VALUES (?, ?, ?, 3, '2026-01-01')",
        (rec.name, rec.community, json.dumps(rec.data, ensure_ascii=False)),
    )
    db.execute("INSERT INTO meta VALUES ('seeded', '2026-01-01')")
    db.commit()
    db.close()
    store = Store(path)
    [kept] = store.list_projects()
    assert kept.version == 3 and kept.data == rec.data
    store.record_decision(kept.id, "201", "agree", "paper", "v", "m")
    assert len(Store(path).decisions(kept.id)) == 1


def test_decisions_in_a_project_file_join_the_history_on_its_plan(store: Store) -> None:
    rec = next(r for r in store.list_projects() if r.name == "兴发小区 5栋 2单元")
    project = parse_project(rec.data)
    v = project_plan_version(project)
    rows = store.decisions(rec.id)
    assert [(r.household, r.decision, r.via, r.plan_version) for r in rows] == [
        (d.household, d.decision, "paper", v) for d in project.consent.decisions
    ]
    assert rows[0].at.startswith("2026-03-02")
    # the same evaluation as the file alone: the import changed nothing
    from_store = evaluate(project, version=v, decisions=[r.as_decision() for r in rows])
    assert from_store.passed == consent(project).passed
    assert [c.have for c in from_store.conditions] == [c.have for c in consent(project).conditions]
