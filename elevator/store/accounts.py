"""Accounts, roles, login throttling and the audit log (SQLite, next to the projects).

Passwords: argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane: OWASP
Password Storage Cheat Sheet, 2024), never stored or logged in clear.  A mediator passcode of an older database (scrypt) is migrated into a
`mediator-<project>` account that keeps the scrypt hash until its first login, which
re-hashes it with argon2.

Roles, each on a scope (one project, one community, or every project "*"):
  admin      everything, and the accounts themselves (scope "*" only)
  mediator   sees and edits the project, runs the consultation, reads the audit log
  evaluator  sees the project and records feasibility sign-offs
  reader     sees the project, changes nothing
Residents have no account: their household's link (elevator.store.access) is their key.

Failed logins are counted per account and per client address over WINDOW: past SLOW_AT
failures every further attempt must wait (doubling, at most MAX_WAIT), at LOCK_AT the
account (or address) is locked for LOCK_SECONDS after its last failure, and each failure
after that locks it again.  Attempts refused for waiting or a lock are not checked
against the password at all; a successful login clears the account's count.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from elevator.core.errors import problem
from elevator.store.access import verify_passcode

ROLES = ("admin", "mediator", "evaluator", "reader")
# what each role may do on a project it holds; admin may do everything everywhere
ABILITIES: dict[str, frozenset[str]] = {
    "view": frozenset({"mediator", "evaluator", "reader"}),
    "edit": frozenset({"mediator"}),
    "consent": frozenset({"mediator"}),
    "signoff": frozenset({"mediator", "evaluator"}),
    "audit": frozenset({"mediator"}),
}
MIN_PASSWORD = 10  # NIST SP 800-63B asks for at least 8; a shared app asks a little more
MAX_PASSWORD = 200  # bounded so a hash request cannot be made arbitrarily expensive
NAME_CHARS = 40

# Throttling (a design choice, not a policy figure): a person who mistypes a few times is
# barely slowed; a guesser gets at most LOCK_AT tries per WINDOW per account.
WINDOW = 60 * 60
LOCK_SECONDS = 15 * 60
ACCOUNT_SLOW_AT, ACCOUNT_LOCK_AT = 3, 10
ADDRESS_SLOW_AT, ADDRESS_LOCK_AT = 10, 50  # many people may share one address (NAT)
MAX_WAIT = 30

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY = _HASHER.hash("timing-equaliser")  # unknown names cost as much as known ones

ACCOUNT_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    epoch INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS grants (
    user TEXT NOT NULL REFERENCES users (name),
    role TEXT NOT NULL CHECK (role IN ('admin', 'mediator', 'evaluator', 'reader')),
    scope TEXT NOT NULL,
    PRIMARY KEY (user, role, scope)
);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    project_id INTEGER,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_log_project ON audit_log (project_id, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def audit(
    db: sqlite3.Connection, actor: str | None, pid: int | None, action: str, detail: str = ""
) -> None:
    """One audit row, written inside the caller's transaction (so it exists iff the change
    does).  Without an actor (a script, a test) nothing is written."""
    if actor:
        db.execute(
            "INSERT INTO audit_log (at, actor, project_id, action, detail) VALUES (?, ?, ?, ?, ?)",
            (_now(), actor, pid, action, detail[:500]),
        )


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    actor: str
    project_id: int | None
    action: str
    detail: str


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str  # "*", "project:<id>" or "community:<name>"


@dataclass(frozen=True)
class Account:
    name: str
    epoch: int
    disabled: bool
    demo: bool
    grants: tuple[Grant, ...] = field(default=())

    @property
    def admin(self) -> bool:
        return any(g.role == "admin" for g in self.grants)

    def roles_on(self, pid: int, community: str | None) -> set[str]:
        scopes = {"*", f"project:{pid}"} | ({f"community:{community}"} if community else set())
        return {g.role for g in self.grants if g.scope in scopes}

    def can(self, ability: str, pid: int, community: str | None) -> bool:
        if self.admin:
            return True
        return bool(self.roles_on(pid, community) & ABILITIES[ability])

    def sees_community(self, name: str) -> bool:
        return self.admin or any(g.scope in ("*", f"community:{name}") for g in self.grants)

    @property
    def creates_projects(self) -> bool:
        """Admins, and mediators of every project, may add projects."""
        return self.admin or Grant("mediator", "*") in self.grants


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    refusal: str | None = None  # None | "wrong" | "wait" | "locked"
    seconds: int = 0  # how long to wait, or how long the lock lasts


def scope_of(project: int | None = None, community: str | None = None) -> str:
    if project is not None:
        return f"project:{int(project)}"
    if community:
        return f"community:{community}"
    return "*"


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_CHARS or not name.isprintable() or ":" in name:
        raise problem("name", "accounts.bad_name", most=NAME_CHARS)
    return name


def check_role(role: str, scope: str) -> None:
    if role not in ROLES:
        raise problem("role", "accounts.bad_role", role=role, roles=", ".join(ROLES))
    if role == "admin" and scope != "*":
        raise problem("role", "accounts.admin_everywhere")
    if scope != "*" and not scope.startswith(("project:", "community:")):
        raise problem("scope", "accounts.bad_scope", scope=scope)


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise problem("password", "accounts.password_short", least=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise problem("password", "accounts.password_long", most=MAX_PASSWORD)
    return password


def new_password() -> str:
    """A generated password: 16 url-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def _verify(stored: str, password: str) -> bool:
    if stored.startswith("scrypt$"):  # a migrated mediator passcode
        return verify_passcode(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class Accounts:
    """The accounts of one store; `connect` and `tx` are the store's connection helpers."""

    def __init__(self, read: Callable, tx: Callable, clock: Callable[[], float] = time.time):
        self._read, self._tx, self.clock = read, tx, clock

    # --- accounts ------------------------------------------------------------

    def add(
        self,
        name: str,
        password: str,
        role: str | None = None,
        scope: str = "*",
        *,
        demo: bool = False,
        actor: str | None = None,
    ) -> str:
        """A new account (with its first role, if given), all or nothing."""
        name = check_name(name)
        if role is not None:
            check_role(role, scope)
        hashed = _HASHER.hash(check_password(password))
        with self._tx() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise problem("name", "accounts.exists", name=name)
            db.execute(
                "INSERT INTO users (name, hash, demo, created_at) VALUES (?, ?, ?, ?)",
                (name, hashed, int(demo), _now()),
            )
            audit(db, actor, None, "user.add", name)
            if role is not None:
                db.execute("INSERT INTO grants VALUES (?, ?, ?)", (name, role, scope))
                audit(db, actor, _project_of(scope), "role.grant", f"{name} {role} {scope}")
        return name

    def get(self, name: str) -> Account | None:
        with self._read() as db:
            r = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
            if r is None:
                return None
            grants = db.execute(
                "SELECT role, scope FROM grants WHERE user = ? ORDER BY role, scope", (name,)
            ).fetchall()
        return Account(
            name=r["name"],
            epoch=r["epoch"],
            disabled=bool(r["disabled"]),
            demo=bool(r["demo"]),
            grants=tuple(Grant(g["role"], g["scope"]) for g in grants),
        )

    def all(self) -> list[Account]:
        with self._read() as db:
            names = [r["name"] for r in db.execute("SELECT name FROM users ORDER BY name")]
        return [a for a in (self.get(n) for n in names) if a is not None]

    def count(self) -> int:
        with self._read() as db:
            return db.execute("SELECT COUNT(*) FROM users").fetchone()[0]

    def _require(self, db: sqlite3.Connection, name: str) -> None:
        if not db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise problem("name", "accounts.no_such", name=name)

    def set_password(self, name: str, password: str, *, actor: str | None = None) -> None:
        """A new password; every session of the account ends (its epoch moves on)."""
        hashed = _HASHER.hash(check_password(password))
        with self._tx() as db:
            self._require(db, name)
            db.execute(
                "UPDATE users SET hash = ?, epoch = epoch + 1 WHERE name = ?", (hashed, name)
            )
            db.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{name}",))
            audit(db, actor, None, "user.password", name)

    def set_disabled(self, name: str, disabled: bool, *, actor: str | None = None) -> None:
        with self._tx() as db:
            self._require(db, name)
            db.execute(
                "UPDATE users SET disabled = ?, epoch = epoch + 1 WHERE name = ?",
                (int(disabled), name),
            )
            audit(db, actor, None, "user.disable" if disabled else "user.enable", name)

    def grant(self, name: str, role: str, scope: str = "*", *, actor: str | None = None) -> None:
        check_role(role, scope)
        with self._tx() as db:
            self._require(db, name)
            db.execute("INSERT OR IGNORE INTO grants VALUES (?, ?, ?)", (name, role, scope))
            audit(db, actor, _project_of(scope), "role.grant", f"{name} {role} {scope}")

    def revoke(self, name: str, role: str, scope: str = "*", *, actor: str | None = None) -> bool:
        with self._tx() as db:
            self._require(db, name)
            gone = db.execute(
                "DELETE FROM grants WHERE user = ? AND role = ? AND scope = ?", (name, role, scope)
            ).rowcount
            if gone:
                audit(db, actor, _project_of(scope), "role.revoke", f"{name} {role} {scope}")
        return bool(gone)

    # --- logging in ------------------------------------------------------------

    def _failures(self, db: sqlite3.Connection, key: str, now: float) -> tuple[int, float]:
        r = db.execute(
            "SELECT COUNT(*), MAX(at) FROM login_failures WHERE key = ? AND at > ?",
            (key, now - WINDOW),
        ).fetchone()
        return r[0], r[1] or 0.0

    def throttle(self, name: str, address: str) -> tuple[str | None, int]:
        """(None | "wait" | "locked", seconds) for the next attempt on this account from
        this address, without trying any password."""
        now = self.clock()
        worst: tuple[str | None, int] = (None, 0)
        with self._read() as db:
            for key, slow_at, lock_at in (
                (f"user:{name}", ACCOUNT_SLOW_AT, ACCOUNT_LOCK_AT),
                (f"addr:{address}", ADDRESS_SLOW_AT, ADDRESS_LOCK_AT),
            ):
                n, last = self._failures(db, key, now)
                if n >= lock_at and now - last < LOCK_SECONDS:
                    return "locked", int(last + LOCK_SECONDS - now) + 1
                if n >= slow_at:
                    wait = min(2 ** (n - slow_at), MAX_WAIT) - (now - last)
                    if wait > 0 and wait > worst[1]:
                        worst = ("wait", int(wait) + 1)
        return worst

    def login(self, name: str, password: str, address: str) -> LoginResult:
        """Check a password, counting failures per account and per address."""
        name = (name or "").strip()[:NAME_CHARS]
        password = (password or "")[:MAX_PASSWORD]
        state, seconds = self.throttle(name, address)  # before any password is checked
        if state:
            return LoginResult(None, state, seconds)
        with self._read() as db:
            r = db.execute("SELECT hash, disabled FROM users WHERE name = ?", (name,)).fetchone()
        ok = _verify(r["hash"] if r else _DUMMY, password) and r is not None
        if not ok or r["disabled"]:
            now = self.clock()
            with self._tx() as db:
                for key in (f"user:{name}", f"addr:{address}"):
                    db.execute("INSERT INTO login_failures VALUES (?, ?)", (key, now))
                db.execute("DELETE FROM login_failures WHERE at < ?", (now - WINDOW,))
            return LoginResult(None, "wrong")
        with self._tx() as db:
            db.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{name}",))
            if r["hash"].startswith("scrypt$") or _HASHER.check_needs_rehash(r["hash"]):
                db.execute(
                    "UPDATE users SET hash = ? WHERE name = ?", (_HASHER.hash(password), name)
                )
            audit(db, name, None, "login", address)
        return LoginResult(self.get(name))

    def unlock(self, name: str, *, actor: str | None = None) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{name}",))
            audit(db, actor, None, "user.unlock", name)

    # --- the audit log -------------------------------------------------------------

    def audit_rows(self, pid: int | None = None, limit: int = 500) -> list[AuditRow]:
        """Newest first; with `pid`, that project's rows only."""
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM audit_log WHERE (? IS NULL OR project_id = ?) "
                "ORDER BY seq DESC LIMIT ?",
                (pid, pid, limit),
            ).fetchall()
        return [
            AuditRow(r["seq"], r["at"], r["actor"], r["project_id"], r["action"], r["detail"])
            for r in rows
        ]

    def record(self, actor: str, pid: int | None, action: str, detail: str = "") -> None:
        with self._tx() as db:
            audit(db, actor, pid, action, detail)


def _project_of(scope: str) -> int | None:
    return int(scope.split(":", 1)[1]) if scope.startswith("project:") else None


def migrate_passcodes(db: sqlite3.Connection) -> int:
    """An older database's mediator passcodes become `mediator-<id>` accounts (mediator on
    that project, same secret) once; the passcode table is left as it was, unread."""
    has = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'project_passcodes'"
    ).fetchone()
    if not has or db.execute("SELECT 1 FROM meta WHERE key = 'passcodes_migrated'").fetchone():
        return 0
    rows = db.execute("SELECT project_id, hash FROM project_passcodes").fetchall()
    for pid, hashed in rows:
        name = f"mediator-{pid}"
        db.execute(
            "INSERT OR IGNORE INTO users (name, hash, created_at) VALUES (?, ?, ?)",
            (name, hashed, _now()),
        )
        db.execute(
            "INSERT OR IGNORE INTO grants VALUES (?, 'mediator', ?)", (name, f"project:{pid}")
        )
        audit(db, "migration", pid, "user.migrated", name)
    db.execute("INSERT INTO meta VALUES ('passcodes_migrated', ?)", (_now(),))
    return len(rows)
