"""SQLite persistence for the app: projects (validated project JSON) and communities.

Every project row carries an integer `version` for optimistic concurrency: a save
names the version it started from, and a save from a stale version is refused
with `Conflict`, which carries the latest row so the app can show it.  Every
change runs in one `BEGIN IMMEDIATE` transaction; the previous version of a
project is kept in `project_history`, so nothing saved is ever overwritten
without a trace.  A new database is filled with the sample cases once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from elevator.consent.publicity import close_publicity as close_publicity_period
from elevator.consent.publicity import new_objection, reply_to, withdraw
from elevator.core.errors import ProjectError, problem, problems_from_validation
from elevator.core.paths import CHECKOUT
from elevator.core.text import Msg
from elevator.model.consent import Decision, Objection, Publicity
from elevator.model.io import parse_project, project_to_data, read_data
from elevator.store.access import new_secret
from elevator.store.accounts import ACCOUNT_SCHEMA, Accounts, audit, migrate_passcodes

log = logging.getLogger(__name__)
ROOT = CHECKOUT
DEFAULT_DB = "elevator.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    community TEXT,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS project_history (
    project_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (project_id, version)
);
CREATE TABLE IF NOT EXISTS communities (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
"""


# Consultation (issue 6): append-only by construction — triggers refuse UPDATE and
# DELETE, so a change of mind, a reply or a revoked link is always a new row.
# `CREATE … IF NOT EXISTS` on every start is the migration: an older database
# gains these tables and keeps everything it had.
CONSENT_TABLES = (
    "consent_decisions",
    "objection_events",
    "publicity_events",
    "link_revocations",
)
CONSENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS consent_decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    household TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('agree', 'oppose', 'abstain', 'withdrawn')),
    via TEXT NOT NULL CHECK (via IN ('own_link', 'paper')),
    recorded_by TEXT,
    at TEXT NOT NULL,
    reason TEXT,
    plan_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_decisions_project ON consent_decisions (project_id, seq);
CREATE TABLE IF NOT EXISTS objection_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    objection_id TEXT NOT NULL,
    household TEXT NOT NULL,
    reason TEXT NOT NULL,
    filed_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'withdrawn')),
    reply TEXT,
    replied_by TEXT,
    replied_at TEXT,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS publicity_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    start TEXT NOT NULL,
    working_days INTEGER,
    closed_on TEXT,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS link_revocations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    household TEXT NOT NULL,
    at TEXT NOT NULL
);
""" + "".join(
    f"""
CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t}
BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;
CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t}
BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;
"""
    for t in CONSENT_TABLES
)


def default_db_path() -> Path:
    """ELEVATOR_DB, else ./elevator.sqlite3 in the working directory."""
    return Path(os.environ.get("ELEVATOR_DB") or DEFAULT_DB)


def samples_dir() -> Path:
    return Path(os.environ.get("ELEVATOR_CASES") or ROOT / "cases") / "projects"


def communities_dir() -> Path:
    return Path(os.environ.get("ELEVATOR_CASES") or ROOT / "cases") / "communities"


@dataclass(frozen=True)
class Record:
    id: int
    name: str
    community: str | None
    data: dict[str, Any]  # validated project data (project_to_data)
    version: int
    updated_at: str
    archived: bool = False  # hidden from the default list, kept whole; restorable


@dataclass(frozen=True)
class CommunityRecord:
    name: str
    data: dict[str, Any]
    version: int
    updated_at: str


class Conflict(Exception):
    """Someone saved a newer version first; `latest` holds it."""

    def __init__(self, latest: Record | CommunityRecord | None, yours: int):
        self.latest = latest
        self.yours = yours
        now = latest.version if latest else "—"
        self.message = (
            Msg("store.conflict", yours=yours, latest=now) if latest else Msg("store.deleted")
        )
        self.zh, self.en = self.message.zh, self.message.en
        super().__init__(f"{self.zh} / {self.en}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _validated(data: Any) -> dict[str, Any]:
    """Validate and normalise; raises ProjectError with every problem."""
    return project_to_data(parse_project(data))


class Store:
    def __init__(self, path: str | Path | None = None, seed: bool = True):
        self.path = Path(path) if path is not None else default_db_path()
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._read() as db:
            db.executescript(SCHEMA)  # idempotent; executescript commits by itself
            db.executescript(CONSENT_SCHEMA)
            db.executescript(ACCOUNT_SCHEMA)
            _add_column(db, "publicity_events", "corrects", "INTEGER")
            _add_column(db, "publicity_events", "note", "TEXT")
            _add_column(db, "projects", "archived", "INTEGER NOT NULL DEFAULT 0")
        with self._tx() as db:
            migrate_passcodes(db)  # an older database's passcodes become accounts
        self.accounts = Accounts(self._read, self._tx)
        if seed:
            self.seed_once()

    # --- plumbing ----------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is saved, or none of it."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        try:
            yield db
        finally:
            db.close()

    @staticmethod
    def _record(row: sqlite3.Row) -> Record:
        return Record(
            row["id"],
            row["name"],
            row["community"],
            json.loads(row["data"]),
            row["version"],
            row["updated_at"],
            bool(row["archived"]),
        )

    # --- seeding -------------------------------------------------------------

    def seed_once(self) -> int:
        """Fill a new database with the sample projects and communities (only once)."""
        with self._tx() as db:
            if db.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone():
                return 0
            count = 0
            for path in sorted(samples_dir().glob("*.yaml")):
                try:
                    data = _validated(read_data(path))
                except ProjectError as e:  # a broken sample must not stop the app starting
                    log.warning("sample %s skipped: %s", path.name, e)
                    continue
                self._insert(db, data)
                count += 1
            paths = [*communities_dir().glob("*.yaml"), *communities_dir().glob("*/community.yaml")]
            for path in sorted(paths):
                try:
                    raw = read_data(path)
                except ProjectError as e:
                    log.warning("community %s skipped: %s", path, e)
                    continue
                name = isinstance(raw, dict) and (raw.get("community") or raw.get("name"))
                if name:  # the file is read by elevator.community when the page opens
                    where = path.resolve()
                    file = (
                        str(where.relative_to(ROOT)) if where.is_relative_to(ROOT) else str(where)
                    )
                    self._upsert_community(db, str(name), {"name": str(name), "file": file})
            db.execute("INSERT INTO meta VALUES ('seeded', ?)", (_now(),))
            return count

    # --- projects ------------------------------------------------------------

    def _insert(self, db: sqlite3.Connection, data: dict[str, Any]) -> int:
        cur = db.execute(
            "INSERT INTO projects (name, community, data, version, updated_at) VALUES (?, ?, ?, 1, ?)",
            (data["name"], data.get("community"), json.dumps(data, ensure_ascii=False), _now()),
        )
        if data.get("community"):
            self._ensure_community(db, data["community"])
        pid = int(cur.lastrowid)
        self._import_file_decisions(db, pid, data)
        return pid

    def _import_file_decisions(
        self, db: sqlite3.Connection, pid: int, data: dict[str, Any]
    ) -> None:
        """A paper record kept in the project file joins the app's append-only history,
        stamped with the plan it was given on, so a later change of plan makes it stale."""
        decisions = (data.get("consent") or {}).get("decisions") or []
        if not decisions:
            return
        from elevator.model.io import parse_project
        from elevator.plan.compose import shares as compute_shares
        from elevator.plan.versions import plan_version

        project = parse_project(data)
        try:
            current = plan_version(compute_shares(project))
        except ProjectError:  # no plan can be computed: nothing to attach them to
            return
        for d in project.consent.decisions:
            at = d.at.isoformat() if d.at else _now()
            db.execute(
                "INSERT INTO consent_decisions (project_id, household, decision, via, recorded_by, "
                "at, reason, plan_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    d.household,
                    "withdrawn" if d.decision == "none" else d.decision,
                    "own_link" if d.via == "link" else "paper",
                    d.recorded_by,
                    at,
                    d.reason,
                    d.version or current,
                ),
            )

    def _ensure_community(self, db: sqlite3.Connection, name: str) -> None:
        db.execute(
            "INSERT OR IGNORE INTO communities VALUES (?, ?, 1, ?)",
            (name, json.dumps({"name": name}, ensure_ascii=False), _now()),
        )

    def create(self, data: Any, *, actor: str | None = None) -> Record:
        """Validate and add a project; raises ProjectError and saves nothing if invalid."""
        clean = _validated(data)
        with self._tx() as db:
            pid = self._insert(db, clean)
            audit(db, actor, pid, "project.create", clean["name"])
        return self.get(pid)

    def get(self, pid: int) -> Record | None:
        with self._read() as db:
            row = db.execute("SELECT * FROM projects WHERE id = ?", (pid,)).fetchone()
        return self._record(row) if row else None

    def version(self, pid: int) -> int | None:
        with self._read() as db:
            row = db.execute("SELECT version FROM projects WHERE id = ?", (pid,)).fetchone()
        return row["version"] if row else None

    def list_projects(self, query: str = "", archived: bool | None = None) -> list[Record]:
        """Projects whose name or community contains `query`; `archived` True or False
        keeps only the archived or only the active ones (None: all)."""
        like = f"%{query.strip()}%"
        which = "" if archived is None else f" AND archived = {int(archived)}"
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM projects WHERE (name LIKE ? OR IFNULL(community, '') LIKE ?)"
                + which
                + " ORDER BY IFNULL(community, ''), name, id",
                (like, like),
            ).fetchall()
        return [self._record(r) for r in rows]

    def archive(self, pid: int, archived: bool = True, *, actor: str | None = None) -> Record:
        """Hide a project from the default list (or bring it back); its data and version
        stay as they are, so nothing is lost and no consent goes stale."""
        with self._tx() as db:
            cur = db.execute("UPDATE projects SET archived = ? WHERE id = ?", (int(archived), pid))
            if cur.rowcount == 0:
                raise Conflict(None, 0)
            audit(db, actor, pid, "project.archive" if archived else "project.restore", "")
        return self.get(pid)

    def save(
        self,
        pid: int,
        data: Any,
        version: int,
        *,
        actor: str | None = None,
        restored_from: int | None = None,
    ) -> Record:
        """Save `data` over version `version` (`restored_from`: it is that older version's
        data, restored; the audit log says so).

        Invalid data raises ProjectError (nothing saved); a stale version raises
        Conflict with the latest row (nothing saved).
        """
        clean = _validated(data)
        with self._tx() as db:
            self._archive_if_current(db, pid, version)
            db.execute(
                "UPDATE projects SET name = ?, community = ?, data = ?, version = ?, "
                "updated_at = ? WHERE id = ? AND version = ?",
                (
                    clean["name"],
                    clean.get("community"),
                    json.dumps(clean, ensure_ascii=False),
                    version + 1,
                    _now(),
                    pid,
                    version,
                ),
            )
            if clean.get("community"):
                self._ensure_community(db, clean["community"])
            if restored_from is None:
                audit(db, actor, pid, "project.save", f"{version} -> {version + 1}")
            else:
                detail = f"{version} -> {version + 1} ({restored_from})"
                audit(db, actor, pid, "project.restore", detail)
        return self.get(pid)

    def delete(self, pid: int, version: int, *, actor: str | None = None) -> None:
        with self._tx() as db:
            self._archive_if_current(db, pid, version)
            db.execute("DELETE FROM projects WHERE id = ?", (pid,))
            audit(db, actor, pid, "project.delete", str(version))

    def _archive_if_current(self, db: sqlite3.Connection, pid: int, version: int) -> None:
        """Inside a write transaction: refuse a stale version (Conflict, with the latest
        row), else keep the current row in project_history before it changes."""
        row = db.execute("SELECT * FROM projects WHERE id = ?", (pid,)).fetchone()
        if row is None or row["version"] != version:
            raise Conflict(self._record(row) if row else None, version)
        db.execute(
            "INSERT OR REPLACE INTO project_history VALUES (?, ?, ?, ?)",
            (pid, row["version"], row["data"], row["updated_at"]),
        )

    def history(self, pid: int) -> list[tuple[int, str]]:
        with self._read() as db:
            rows = db.execute(
                "SELECT version, saved_at FROM project_history WHERE project_id = ? "
                "ORDER BY version",
                (pid,),
            ).fetchall()
        return [(r["version"], r["saved_at"]) for r in rows]

    def version_data(self, pid: int, version: int) -> dict[str, Any] | None:
        """The project's data as saved at `version` (the current row or its history)."""
        with self._read() as db:
            row = (
                db.execute(
                    "SELECT data FROM projects WHERE id = ? AND version = ?", (pid, version)
                ).fetchone()
                or db.execute(
                    "SELECT data FROM project_history WHERE project_id = ? AND version = ?",
                    (pid, version),
                ).fetchone()
            )
        return json.loads(row["data"]) if row else None

    def versions(self, pid: int) -> list[tuple[int, str, dict[str, Any]]]:
        """Every saved version, oldest first, the current one last: (version, saved at, data)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT version, saved_at AS at, data FROM project_history WHERE project_id = ? "
                "UNION SELECT version, updated_at AS at, data FROM projects WHERE id = ? "
                "ORDER BY version",
                (pid, pid),
            ).fetchall()
        return [(r["version"], r["at"], json.loads(r["data"])) for r in rows]

    # --- communities -----------------------------------------------------------

    def _upsert_community(self, db: sqlite3.Connection, name: str, data: dict[str, Any]) -> None:
        db.execute(
            "INSERT INTO communities VALUES (?, ?, 1, ?) ON CONFLICT(name) DO UPDATE SET "
            "data = excluded.data, version = communities.version + 1, "
            "updated_at = excluded.updated_at",
            (name, json.dumps(data, ensure_ascii=False), _now()),
        )

    def communities(self, query: str = "") -> list[CommunityRecord]:
        like = f"%{query.strip()}%"
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM communities WHERE name LIKE ? ORDER BY name", (like,)
            ).fetchall()
        return [
            CommunityRecord(r["name"], json.loads(r["data"]), r["version"], r["updated_at"])
            for r in rows
        ]

    def community(self, name: str) -> CommunityRecord | None:
        with self._read() as db:
            r = db.execute("SELECT * FROM communities WHERE name = ?", (name,)).fetchone()
        return (
            CommunityRecord(r["name"], json.loads(r["data"]), r["version"], r["updated_at"])
            if r
            else None
        )

    def save_community(self, name: str, data: dict[str, Any], version: int) -> CommunityRecord:
        if not name.strip():
            raise problem("community.name", "store.community_name_empty")
        with self._tx() as db:
            r = db.execute("SELECT * FROM communities WHERE name = ?", (name,)).fetchone()
            if r is not None and r["version"] != version:
                raise Conflict(
                    CommunityRecord(
                        r["name"], json.loads(r["data"]), r["version"], r["updated_at"]
                    ),
                    version,
                )
            self._upsert_community(db, name, data)
        return self.community(name)

    def community_projects(self, name: str) -> list[Record]:
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM projects WHERE community = ? ORDER BY name, id", (name,)
            ).fetchall()
        return [self._record(r) for r in rows]

    # --- consultation (issue 6): decisions, objections, publicity, access -----------

    def record_decision(
        self,
        pid: int,
        household: str,
        decision: str,
        via: str,
        plan_version: str,
        recorded_by: str | None = None,
        reason: str | None = None,
        *,
        actor: str | None = None,
    ) -> "DecisionRow":
        """Append one decision (agree|oppose|abstain|withdrawn, via own_link|paper)."""
        record = self.get(pid)
        ids = {h["id"] for h in record.data["building"]["households"]} if record else set()
        if household not in ids:
            raise problem("household", "store.no_household", household=household)
        if via == "own_link" and recorded_by not in (None, household):
            raise problem("recorded_by", "store.own_link_only")
        _limit("reason", reason, 2000)  # the library's Decision limits: a row that
        _limit("recorded_by", recorded_by, 80)  # could not be read back would break the page
        if decision not in ("agree", "oppose", "abstain", "withdrawn") or via not in (
            "own_link",
            "paper",
        ):
            raise problem("decision", "store.bad_decision", decision=decision, via=via)
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO consent_decisions (project_id, household, decision, via, recorded_by, "
                "at, reason, plan_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    household,
                    decision,
                    via,
                    recorded_by or None,
                    _now(),
                    reason or None,
                    plan_version,
                ),
            )
            row = db.execute(
                "SELECT * FROM consent_decisions WHERE seq = ?", (cur.lastrowid,)
            ).fetchone()
            audit(db, actor, pid, "consent.decision", f"{household} {decision} ({via})")
        return DecisionRow.of(row)

    def decisions(self, pid: int, household: str | None = None) -> list["DecisionRow"]:
        """The whole history, oldest first (optionally one household's)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM consent_decisions WHERE project_id = ? "
                "AND (? IS NULL OR household = ?) ORDER BY seq",
                (pid, household, household),
            ).fetchall()
        return [DecisionRow.of(r) for r in rows]

    def objection_events(self, pid: int) -> list[sqlite3.Row]:
        with self._read() as db:
            return db.execute(
                "SELECT * FROM objection_events WHERE project_id = ? ORDER BY seq", (pid,)
            ).fetchall()

    @staticmethod
    def _objections(rows: list[sqlite3.Row]) -> list[Objection]:
        latest: dict[str, sqlite3.Row] = {}
        for r in rows:  # dicts keep first-filed order; last row wins
            latest[r["objection_id"]] = r
        return [
            Objection(
                id=r["objection_id"],
                household=r["household"],
                reason=r["reason"],
                at=_when(r["filed_at"]),
                reply=r["reply"],
                replied_at=_when(r["replied_at"]),
                replied_by=r["replied_by"],
                status=r["status"],
            )
            for r in latest.values()
        ]

    def objections(self, pid: int) -> list[Objection]:
        """Each objection as it stands now (its latest row)."""
        return self._objections(self.objection_events(pid))

    def _objection_rate(
        self, db: sqlite3.Connection, pid: int, household: str, now: dt.datetime
    ) -> None:
        firsts = db.execute(
            "SELECT MIN(at) AS at FROM objection_events WHERE project_id = ? AND household = ? "
            "GROUP BY objection_id",
            (pid, household),
        ).fetchall()
        times = [dt.datetime.fromisoformat(r["at"]) for r in firsts]
        day = [t for t in times if (now - t).total_seconds() < 86400]
        if len(day) >= OBJECTIONS_PER_DAY:
            raise problem("reason", "store.objection_daily", most=OBJECTIONS_PER_DAY)
        if day and (now - max(day)).total_seconds() < OBJECTION_GAP:
            raise problem("reason", "store.objection_gap", seconds=OBJECTION_GAP)

    def _append_objection(
        self, db: sqlite3.Connection, pid: int, o: Objection, at: dt.datetime | None = None
    ) -> None:
        db.execute(
            "INSERT INTO objection_events (project_id, objection_id, household, reason, "
            "filed_at, status, reply, replied_by, replied_at, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                pid,
                o.id,
                o.household,
                o.reason,
                _iso(o.at),
                o.status,
                o.reply,
                o.replied_by,
                _iso(o.replied_at),
                at.isoformat(timespec="seconds") if at else _now(),
            ),
        )

    def _current_objections(self, db: sqlite3.Connection, pid: int) -> list[Objection]:
        return self._objections(
            db.execute(
                "SELECT * FROM objection_events WHERE project_id = ? ORDER BY seq", (pid,)
            ).fetchall()
        )

    def file_objection(
        self,
        pid: int,
        household: str,
        reason: str,
        *,
        actor: str | None = None,
        now: dt.datetime | None = None,
    ) -> Objection:
        """File an objection; one household may file at most OBJECTIONS_PER_DAY a day and
        must leave OBJECTION_GAP seconds between two (its link is not a megaphone)."""
        record = self.get(pid)
        if record is None or household not in {
            h["id"] for h in record.data["building"]["households"]
        }:
            raise problem("household", "store.no_household", household=household)
        if not reason.strip():
            raise problem("reason", "store.objection_reason")
        _limit("reason", reason.strip(), 2000)
        now = now or dt.datetime.now(dt.UTC)
        with self._tx() as db:  # the id is taken inside the transaction: no two alike
            self._objection_rate(db, pid, household, now)
            o = new_objection(self._current_objections(db, pid), household, reason.strip(), now)
            self._append_objection(db, pid, o, at=now)
            audit(db, actor, pid, "objection.file", f"{o.id} {household}")
        return o

    def _change_objection(
        self,
        pid: int,
        oid: str,
        change,
        household: str | None = None,
        actor: str | None = None,
        action: str = "",
    ) -> Objection:
        with self._tx() as db:
            found = [o for o in self._current_objections(db, pid) if o.id == oid]
            if not found or (household is not None and found[0].household != household):
                raise problem("objection", "store.no_objection", objection=oid)
            o = change(found[0])
            self._append_objection(db, pid, o)
            audit(db, actor, pid, action, oid)
        return o

    def reply_objection(
        self, pid: int, oid: str, reply: str, by: str | None, *, actor: str | None = None
    ) -> Objection:
        _limit("reply", reply.strip(), 4000)
        _limit("replied_by", by, 80)
        now = dt.datetime.now(dt.UTC)
        return self._change_objection(
            pid, oid, lambda o: reply_to(o, reply.strip(), by, now), None, actor, "objection.reply"
        )

    def withdraw_objection(
        self, pid: int, oid: str, household: str | None = None, *, actor: str | None = None
    ) -> Objection:
        """Withdraw; with `household`, only that household's own objection."""
        return self._change_objection(pid, oid, withdraw, household, actor, "objection.withdraw")

    def _latest_publicity(self, db: sqlite3.Connection, pid: int) -> sqlite3.Row | None:
        return db.execute(
            "SELECT * FROM publicity_events WHERE project_id = ? ORDER BY seq DESC LIMIT 1",
            (pid,),
        ).fetchone()

    def publicity(self, pid: int) -> Publicity | None:
        """The latest entry (a correction supersedes what it corrects).  An entry that
        cannot be read raises ProjectError naming it, so the page can show it and offer a
        correction instead of failing."""
        with self._read() as db:
            r = self._latest_publicity(db, pid)
        return None if r is None else _publicity_of(r)

    def publicity_entries(self, pid: int) -> list[sqlite3.Row]:
        """Every entry, oldest first: starts, closings and corrections."""
        with self._read() as db:
            return db.execute(
                "SELECT * FROM publicity_events WHERE project_id = ? ORDER BY seq", (pid,)
            ).fetchall()

    def start_publicity(
        self,
        pid: int,
        start: dt.date,
        working_days: int | None = None,
        *,
        actor: str | None = None,
    ) -> Publicity:
        p = _checked_publicity(start, working_days)
        with self._tx() as db:
            db.execute(
                "INSERT INTO publicity_events (project_id, start, working_days, closed_on, at) "
                "VALUES (?, ?, ?, NULL, ?)",
                (pid, start.isoformat(), working_days, _now()),
            )
            audit(db, actor, pid, "publicity.start", f"{start.isoformat()} {working_days}")
        return p

    def correct_publicity(
        self,
        pid: int,
        start: dt.date,
        working_days: int | None,
        note: str,
        *,
        actor: str | None = None,
    ) -> Publicity:
        """A later entry that supersedes the current one (a typed start of 9999-12-30, a
        wrong number of days): the wrong entry stays in the history, marked as corrected."""
        if not (note or "").strip():
            raise problem("note", "store.correction_note")
        _limit("note", note.strip(), 500)
        p = _checked_publicity(start, working_days)
        with self._tx() as db:
            r = self._latest_publicity(db, pid)
            if r is None:
                raise problem("publicity", "store.no_publicity")
            db.execute(
                "INSERT INTO publicity_events (project_id, start, working_days, closed_on, at, "
                "corrects, note) VALUES (?, ?, ?, NULL, ?, ?, ?)",
                (pid, start.isoformat(), working_days, _now(), r["seq"], note.strip()),
            )
            audit(db, actor, pid, "publicity.correct", f"#{r['seq']} -> {start.isoformat()}")
        return p

    def close_publicity(self, pid: int, today: dt.date, *, actor: str | None = None) -> Publicity:
        """Close on `today`; raises ProjectError while the period runs or objections are open."""
        with self._tx() as db:
            r = self._latest_publicity(db, pid)
            if r is None:
                raise problem("publicity", "store.no_publicity")
            p = _publicity_of(r).model_copy(update={"closed_on": None})
            closed = close_publicity_period(p, self._current_objections(db, pid), today)
            db.execute(
                "INSERT INTO publicity_events (project_id, start, working_days, closed_on, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (pid, r["start"], r["working_days"], today.isoformat(), _now()),
            )
            audit(db, actor, pid, "publicity.close", today.isoformat())
        return closed

    def resident_secret(self) -> str:
        """The server secret for resident links: made once, kept only in this database."""
        with self._tx() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'resident_secret'").fetchone()
            if row:
                return row["value"]
            value = new_secret()
            db.execute("INSERT INTO meta VALUES ('resident_secret', ?)", (value,))
        return value

    def setting(self, key: str) -> str | None:
        """A value an administrator set (e.g. "public_url"); None when never set."""
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (f"setting.{key}",))
            found = row.fetchone()
        return found["value"] if found else None

    def set_setting(self, key: str, value: str | None, *, actor: str | None = None) -> None:
        """Set (None or "": clear) an administrator's setting; audited.  Kept apart from
        the secrets in the same table by the "setting." prefix."""
        with self._tx() as db:
            db.execute("DELETE FROM meta WHERE key = ?", (f"setting.{key}",))
            if value:
                db.execute("INSERT INTO meta VALUES (?, ?)", (f"setting.{key}", value))
            audit(db, actor, None, f"setting.{key}", value or "")

    def link_epochs(self, pid: int) -> dict[str, int]:
        """Per household, how many times its link was revoked (the token's epoch)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT household, COUNT(*) AS n FROM link_revocations "
                "WHERE project_id = ? GROUP BY household",
                (pid,),
            ).fetchall()
        return {r["household"]: r["n"] for r in rows}

    def revoke_link(self, pid: int, household: str, *, actor: str | None = None) -> int:
        """Raise the household's epoch (its old link stops working); returns the new epoch."""
        record = self.get(pid)
        if record is None or household not in {
            h["id"] for h in record.data["building"]["households"]
        }:
            raise problem("household", "store.no_household", household=household)
        with self._tx() as db:
            db.execute(
                "INSERT INTO link_revocations (project_id, household, at) VALUES (?, ?, ?)",
                (pid, household, _now()),
            )
            audit(db, actor, pid, "link.rotate", household)
            return db.execute(
                "SELECT COUNT(*) FROM link_revocations WHERE project_id = ? AND household = ?",
                (pid, household),
            ).fetchone()[0]


def _add_column(db: sqlite3.Connection, table: str, column: str, kind: str) -> None:
    """The migration of an older table: add a column it lacks (existing rows get NULL)."""
    if column not in {r[1] for r in db.execute(f"PRAGMA table_info({table})")}:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


# publicity dates a real period can have; anything else is a typo (9999-12-30)
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
# objections through one household's link: enough for any real grievance, not a flood
OBJECTIONS_PER_DAY = 5
OBJECTION_GAP = 60  # seconds between two objections of one household


def _checked_publicity(start: dt.date, working_days: int | None) -> Publicity:
    if not EARLIEST <= start <= LATEST:
        raise problem(
            "publicity.start",
            "store.date_range",
            date=start.isoformat(),
            earliest=EARLIEST.isoformat(),
            latest=LATEST.isoformat(),
        )
    try:
        p = Publicity(start=start, working_days=working_days)  # validates the days
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, "publicity.")) from None
    return p


def _publicity_of(r: sqlite3.Row) -> Publicity:
    try:
        return Publicity(
            start=dt.date.fromisoformat(r["start"]),
            working_days=r["working_days"],
            closed_on=dt.date.fromisoformat(r["closed_on"]) if r["closed_on"] else None,
        )
    except (ValueError, ValidationError):
        raise problem("publicity", "store.publicity_unreadable", seq=r["seq"], start=r["start"])


def _limit(field: str, text: str | None, most: int) -> None:
    if text and len(text) > most:
        raise problem(field, "store.too_long", most=most, length=len(text))


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(text: str | None) -> dt.date | dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


@dataclass(frozen=True)
class DecisionRow:
    """One stored decision; `as_decision()` gives the library's history entry."""

    seq: int
    project_id: int
    household: str
    decision: str  # agree | oppose | abstain | withdrawn
    via: str  # own_link | paper
    recorded_by: str | None
    at: str
    reason: str | None
    plan_version: str

    @classmethod
    def of(cls, r: sqlite3.Row) -> "DecisionRow":
        return cls(
            r["seq"],
            r["project_id"],
            r["household"],
            r["decision"],
            r["via"],
            r["recorded_by"],
            r["at"],
            r["reason"],
            r["plan_version"],
        )

    def as_decision(self) -> Decision:
        return Decision(
            household=self.household,
            decision="none" if self.decision == "withdrawn" else self.decision,
            via="link" if self.via == "own_link" else "paper",
            at=dt.datetime.fromisoformat(self.at),
            recorded_by=self.recorded_by,
            reason=self.reason,
            version=self.plan_version,
        )
