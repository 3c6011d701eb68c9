"""Accounts in the store: argon2 passwords, roles per project / community, login slowed and
then locked per account and per address (a controlled clock, no waiting), the audit log,
older passcodes migrated, publicity corrections and the objection rate limit."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from elevator.core.errors import ProjectError
from elevator.store import accounts as acc
from elevator.store.access import hash_passcode
from elevator.store.db import SCHEMA, Store

PW = "a-long-password-1"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "s.sqlite3")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def sample(store: Store, name: str = "兴发小区 3栋 1单元"):
    return next(r for r in store.list_projects() if r.name == name)


def test_passwords_are_argon2_and_checked(store: Store) -> None:
    store.accounts.add("li", PW)
    with sqlite3.connect(store.path) as db:
        [stored] = db.execute("SELECT hash FROM users WHERE name = 'li'").fetchone()
    assert stored.startswith("$argon2id$") and PW not in stored
    assert store.accounts.login("li", PW, "1.1.1.1").account.name == "li"
    assert store.accounts.login("li", PW + "x", "1.1.1.1").refusal == "wrong"
    assert store.accounts.login("nobody", PW, "1.1.1.1").refusal == "wrong"
    for bad in ("short", "x" * 201):
        with pytest.raises(ProjectError):
            store.accounts.add("wang", bad)
    for name in ("", "a:b", "x" * 41, "tab\there"):
        with pytest.raises(ProjectError):
            store.accounts.add(name, PW)
    with pytest.raises(ProjectError):
        store.accounts.add("li", PW)  # exists


def test_roles_limit_what_each_account_may_do(store: Store) -> None:
    rec = sample(store)
    other = next(r for r in store.list_projects() if r.community != rec.community)
    for name, role, scope in (
        ("boss", "admin", "*"),
        ("med", "mediator", f"project:{rec.id}"),
        ("area", "mediator", f"community:{rec.community}"),
        ("eva", "evaluator", f"project:{rec.id}"),
        ("read", "reader", f"project:{rec.id}"),
        ("none", None, None),
    ):
        store.accounts.add(name, PW)
        if role:
            store.accounts.grant(name, role, scope)
    get = store.accounts.get
    table = {
        name: {a: get(name).can(a, rec.id, rec.community) for a in acc.ABILITIES}
        for name in ("boss", "med", "area", "eva", "read", "none")
    }
    assert all(table["boss"].values()) and all(table["med"].values())
    assert all(table["area"].values())
    assert table["eva"] == {
        "view": True,
        "edit": False,
        "consent": False,
        "signoff": True,
        "audit": False,
    }
    assert table["read"] == {a: a == "view" for a in acc.ABILITIES}
    assert not any(table["none"].values())
    # a role on one project says nothing about another
    assert not get("med").can("view", other.id, other.community)
    assert not get("area").can("view", other.id, other.community)
    assert get("boss").can("edit", other.id, other.community)
    assert get("boss").creates_projects and not get("med").creates_projects
    with pytest.raises(ProjectError):
        store.accounts.grant("med", "admin", f"project:{rec.id}")  # admin is everywhere
    with pytest.raises(ProjectError):
        store.accounts.grant("med", "owner", "*")
    assert store.accounts.revoke("read", "reader", f"project:{rec.id}")
    assert not get("read").can("view", rec.id, rec.community)


def test_failed_logins_slow_then_lock_the_account(store: Store) -> None:
    clock = Clock()
    store.accounts.clock = clock
    store.accounts.add("li", PW)
    for _ in range(acc.ACCOUNT_SLOW_AT):
        assert store.accounts.login("li", "wrong-password", "10.0.0.1").refusal == "wrong"
    # slowed: the next try must wait, and the password is not even checked meanwhile
    refused = store.accounts.login("li", PW, "10.0.0.1")
    assert refused.refusal == "wait" and refused.seconds >= 1
    tries = acc.ACCOUNT_SLOW_AT
    while tries < acc.ACCOUNT_LOCK_AT:
        clock.now += acc.MAX_WAIT + 1
        assert store.accounts.login("li", "wrong-password", f"10.0.1.{tries}").refusal == "wrong"
        tries += 1
    clock.now += acc.MAX_WAIT + 1
    locked = store.accounts.login("li", PW, "10.9.9.9")  # another address: still locked
    assert locked.refusal == "locked" and locked.seconds > 60
    # the lock ends after LOCK_SECONDS (a further failure would lock again); or an
    # administrator lifts it
    clock.now += acc.LOCK_SECONDS
    assert store.accounts.login("li", PW, "10.9.9.9").account is not None
    for _ in range(acc.ACCOUNT_LOCK_AT):
        clock.now += acc.MAX_WAIT + 1
        store.accounts.login("li", "wrong-password", "10.0.0.2")
    assert store.accounts.login("li", PW, "10.0.0.3").refusal == "locked"
    store.accounts.unlock("li", actor="boss")
    assert store.accounts.login("li", PW, "10.0.0.3").account is not None


def test_failed_logins_lock_an_address_across_accounts(store: Store, monkeypatch) -> None:
    # smaller thresholds than the real ones, the same rule: fewer argon2 checks to wait for
    monkeypatch.setattr(acc, "ADDRESS_SLOW_AT", 3)
    monkeypatch.setattr(acc, "ADDRESS_LOCK_AT", 6)
    clock = Clock()
    store.accounts.clock = clock
    store.accounts.add("li", PW)
    for i in range(acc.ADDRESS_LOCK_AT):  # a guesser trying many names from one address
        clock.now += acc.MAX_WAIT + 1
        assert store.accounts.login(f"name{i}", "guess-guess", "6.6.6.6").refusal == "wrong"
    clock.now += acc.MAX_WAIT + 1
    assert store.accounts.login("li", PW, "6.6.6.6").refusal == "locked"
    assert store.accounts.login("li", PW, "7.7.7.7").account is not None  # others are not


def test_new_password_ends_sessions_and_disabled_cannot_log_in(store: Store) -> None:
    store.accounts.add("li", PW)
    epoch = store.accounts.get("li").epoch
    store.accounts.set_password("li", "another-password-2", actor="boss")
    assert store.accounts.get("li").epoch == epoch + 1
    assert store.accounts.login("li", PW, "a").refusal == "wrong"
    store.accounts.set_disabled("li", True, actor="boss")
    assert store.accounts.login("li", "another-password-2", "a").refusal == "wrong"


def test_changes_write_audit_rows_in_their_transaction(store: Store) -> None:
    rec = sample(store)
    store.accounts.add("boss", PW, actor="cli:root")
    saved = store.save(rec.id, rec.data, rec.version, actor="boss")
    store.record_decision(rec.id, "201", "agree", "paper", "v1", "王", actor="boss")
    store.file_objection(rec.id, "301", "噪音", actor="link:301")
    store.start_publicity(rec.id, dt.date(2026, 3, 6), actor="boss")
    store.revoke_link(rec.id, "201", actor="boss")
    rows = store.accounts.audit_rows(rec.id)
    assert [(r.actor, r.action) for r in reversed(rows)] == [
        ("boss", "project.save"),
        ("boss", "consent.decision"),
        ("link:301", "objection.file"),
        ("boss", "publicity.start"),
        ("boss", "link.rotate"),
    ]
    assert rows[-1].detail == f"{rec.version} -> {saved.version}"
    assert store.accounts.audit_rows()[-1].action == "user.add"
    # a refused change leaves no audit row
    with pytest.raises(ProjectError):
        store.record_decision(rec.id, "9999", "agree", "paper", "v1", "王", actor="boss")
    assert len(store.accounts.audit_rows(rec.id)) == 5
    with sqlite3.connect(store.path) as db, pytest.raises(sqlite3.DatabaseError, match="append"):
        db.execute("DELETE FROM audit_log")


def test_an_older_database_keeps_its_passcode_as_a_mediator_account(tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    first = Store(tmp_path / "seed.sqlite3")
    rec = sample(first)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)  # an issue-6 database: projects and a passcode table
    db.executescript(
        "CREATE TABLE project_passcodes (project_id INTEGER PRIMARY KEY, hash TEXT NOT NULL, "
        "set_at TEXT NOT NULL);"
        "CREATE TRIGGER project_passcodes_no_update BEFORE UPDATE ON project_passcodes "
        "BEGIN SELECT RAISE(ABORT, 'project_passcodes is append-only'); END;"
    )
    import json

    db.execute(
        "INSERT INTO projects (name, community, data, version, updated_at) "
        "VALUES (?, ?, ?, 1, '2026-01-01')",
        (rec.name, rec.community, json.dumps(rec.data, ensure_ascii=False)),
    )
    db.execute(
        "INSERT INTO project_passcodes VALUES (1, ?, '2026-01-01')", (hash_passcode("old-pass-6"),)
    )
    db.execute("INSERT INTO meta VALUES ('seeded', '2026-01-01')")
    db.commit()
    db.close()
    store = Store(path)
    account = store.accounts.get("mediator-1")
    assert account is not None and account.can("consent", 1, rec.community)
    assert not account.can("view", 2, None)
    assert store.accounts.login("mediator-1", "old-pass-6", "a").account is not None
    with sqlite3.connect(path) as db:  # re-hashed with argon2 at that first login
        [stored] = db.execute("SELECT hash FROM users WHERE name = 'mediator-1'").fetchone()
    assert stored.startswith("$argon2id$")
    assert Store(path).accounts.count() == 1  # migrated once


def test_a_typo_in_a_publicity_start_is_corrected_by_a_later_entry(store: Store) -> None:
    rec = sample(store)
    with pytest.raises(ProjectError):  # refused when typed now ...
        store.start_publicity(rec.id, dt.date(9999, 12, 30))
    # ... but a database written before the bound may hold one
    with sqlite3.connect(store.path) as db:
        db.execute(
            "INSERT INTO publicity_events (project_id, start, working_days, at) "
            "VALUES (?, '9999-12-30', 10, '2026-01-01')",
            (rec.id,),
        )
    with pytest.raises(ProjectError):
        store.correct_publicity(rec.id, dt.date(2026, 3, 6), 10, "")  # a reason is needed
    store.correct_publicity(rec.id, dt.date(2026, 3, 6), 10, "typed 9999", actor="med")
    assert store.publicity(rec.id).start == dt.date(2026, 3, 6)
    entries = store.publicity_entries(rec.id)
    assert [e["start"] for e in entries] == ["9999-12-30", "2026-03-06"]
    assert entries[1]["corrects"] == entries[0]["seq"] and entries[1]["note"] == "typed 9999"
    store.close_publicity(rec.id, dt.date(2026, 3, 23))
    assert store.publicity(rec.id).closed_on == dt.date(2026, 3, 23)


def test_objections_from_one_household_are_rate_limited(store: Store) -> None:
    from elevator.store.db import OBJECTION_GAP, OBJECTIONS_PER_DAY

    rec = sample(store)
    t0 = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)
    store.file_objection(rec.id, "201", "噪音", now=t0)
    with pytest.raises(ProjectError) as gap:
        store.file_objection(rec.id, "201", "again", now=t0 + dt.timedelta(seconds=5))
    assert "秒" in gap.value.problems[0].zh
    store.file_objection(rec.id, "301", "another household", now=t0 + dt.timedelta(seconds=5))
    when = t0
    for _ in range(OBJECTIONS_PER_DAY - 1):
        when += dt.timedelta(seconds=OBJECTION_GAP + 1)
        store.file_objection(rec.id, "201", "one more", now=when)
    with pytest.raises(ProjectError):
        store.file_objection(rec.id, "201", "too many", now=when + dt.timedelta(hours=1))
    store.file_objection(rec.id, "201", "next day", now=t0 + dt.timedelta(days=1, seconds=1))
    own = [o for o in store.objections(rec.id) if o.household == "201"]
    assert len(own) == OBJECTIONS_PER_DAY + 1
