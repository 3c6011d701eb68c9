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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import Problem, ProjectError
from .io import parse_project, project_to_data, read_data

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
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
    data: dict[str, Any]       # validated project data (project_to_data)
    version: int
    updated_at: str


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
        self.zh = (f"保存被拒绝：别人已保存了更新的版本（您的版本 {yours}，最新版本 {now}）。"
                   "已载入最新内容，请核对后再修改。" if latest else "保存被拒绝：该项目已被删除。")
        self.en = (f"Save refused: someone saved a newer version first (yours {yours}, latest "
                   f"{now}). The latest values are shown; check them and edit again." if latest
                   else "Save refused: the project has been deleted.")
        super().__init__(f"{self.zh} / {self.en}")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _validated(data: Any) -> dict[str, Any]:
    """Validate and normalise; raises ProjectError with every problem."""
    return project_to_data(parse_project(data))


class Store:
    def __init__(self, path: str | Path | None = None, seed: bool = True):
        self.path = Path(path) if path is not None else default_db_path()
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._read() as db:
            db.executescript(SCHEMA)     # idempotent; executescript commits by itself
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
        return Record(row["id"], row["name"], row["community"], json.loads(row["data"]),
                      row["version"], row["updated_at"])

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
                except ProjectError as e:   # a broken sample must not stop the app starting
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
                if name:    # the file is read by elevator.community when the page opens
                    where = path.resolve()
                    file = str(where.relative_to(ROOT)) if where.is_relative_to(ROOT) else str(where)
                    self._upsert_community(db, str(name), {"name": str(name), "file": file})
            db.execute("INSERT INTO meta VALUES ('seeded', ?)", (_now(),))
            return count

    # --- projects ------------------------------------------------------------

    def _insert(self, db: sqlite3.Connection, data: dict[str, Any]) -> int:
        cur = db.execute(
            "INSERT INTO projects (name, community, data, version, updated_at) VALUES (?, ?, ?, 1, ?)",
            (data["name"], data.get("community"), json.dumps(data, ensure_ascii=False), _now()))
        if data.get("community"):
            self._ensure_community(db, data["community"])
        return int(cur.lastrowid)

    def _ensure_community(self, db: sqlite3.Connection, name: str) -> None:
        db.execute("INSERT OR IGNORE INTO communities VALUES (?, ?, 1, ?)",
                   (name, json.dumps({"name": name}, ensure_ascii=False), _now()))

    def create(self, data: Any) -> Record:
        """Validate and add a project; raises ProjectError and saves nothing if invalid."""
        clean = _validated(data)
        with self._tx() as db:
            pid = self._insert(db, clean)
        return self.get(pid)

    def get(self, pid: int) -> Record | None:
        with self._read() as db:
            row = db.execute("SELECT * FROM projects WHERE id = ?", (pid,)).fetchone()
        return self._record(row) if row else None

    def version(self, pid: int) -> int | None:
        with self._read() as db:
            row = db.execute("SELECT version FROM projects WHERE id = ?", (pid,)).fetchone()
        return row["version"] if row else None

    def list_projects(self, query: str = "") -> list[Record]:
        like = f"%{query.strip()}%"
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM projects WHERE name LIKE ? OR IFNULL(community, '') LIKE ? "
                "ORDER BY IFNULL(community, ''), name, id", (like, like)).fetchall()
        return [self._record(r) for r in rows]

    def save(self, pid: int, data: Any, version: int) -> Record:
        """Save `data` over version `version`.

        Invalid data raises ProjectError (nothing saved); a stale version raises
        Conflict with the latest row (nothing saved).
        """
        clean = _validated(data)
        with self._tx() as db:
            row = db.execute("SELECT * FROM projects WHERE id = ?", (pid,)).fetchone()
            if row is None or row["version"] != version:
                raise Conflict(self._record(row) if row else None, version)
            db.execute("INSERT OR REPLACE INTO project_history VALUES (?, ?, ?, ?)",
                       (pid, row["version"], row["data"], row["updated_at"]))
            db.execute("UPDATE projects SET name = ?, community = ?, data = ?, version = ?, "
                       "updated_at = ? WHERE id = ? AND version = ?",
                       (clean["name"], clean.get("community"), json.dumps(clean, ensure_ascii=False),
                        version + 1, _now(), pid, version))
            if clean.get("community"):
                self._ensure_community(db, clean["community"])
        return self.get(pid)

    def delete(self, pid: int, version: int) -> None:
        with self._tx() as db:
            row = db.execute("SELECT * FROM projects WHERE id = ?", (pid,)).fetchone()
            if row is None or row["version"] != version:
                raise Conflict(self._record(row) if row else None, version)
            db.execute("INSERT OR REPLACE INTO project_history VALUES (?, ?, ?, ?)",
                       (pid, row["version"], row["data"], row["updated_at"]))
            db.execute("DELETE FROM projects WHERE id = ?", (pid,))

    def history(self, pid: int) -> list[tuple[int, str]]:
        with self._read() as db:
            rows = db.execute("SELECT version, saved_at FROM project_history WHERE project_id = ? "
                              "ORDER BY version", (pid,)).fetchall()
        return [(r["version"], r["saved_at"]) for r in rows]

    # --- communities -----------------------------------------------------------

    def _upsert_community(self, db: sqlite3.Connection, name: str, data: dict[str, Any]) -> None:
        db.execute("INSERT INTO communities VALUES (?, ?, 1, ?) ON CONFLICT(name) DO UPDATE SET "
                   "data = excluded.data, version = communities.version + 1, "
                   "updated_at = excluded.updated_at",
                   (name, json.dumps(data, ensure_ascii=False), _now()))

    def communities(self, query: str = "") -> list[CommunityRecord]:
        like = f"%{query.strip()}%"
        with self._read() as db:
            rows = db.execute("SELECT * FROM communities WHERE name LIKE ? ORDER BY name",
                              (like,)).fetchall()
        return [CommunityRecord(r["name"], json.loads(r["data"]), r["version"], r["updated_at"])
                for r in rows]

    def community(self, name: str) -> CommunityRecord | None:
        with self._read() as db:
            r = db.execute("SELECT * FROM communities WHERE name = ?", (name,)).fetchone()
        return CommunityRecord(r["name"], json.loads(r["data"]), r["version"], r["updated_at"]) \
            if r else None

    def save_community(self, name: str, data: dict[str, Any], version: int) -> CommunityRecord:
        if not name.strip():
            raise ProjectError([Problem("community.name", "小区名称不能为空",
                                        "the community name must not be empty")])
        with self._tx() as db:
            r = db.execute("SELECT * FROM communities WHERE name = ?", (name,)).fetchone()
            if r is not None and r["version"] != version:
                raise Conflict(CommunityRecord(r["name"], json.loads(r["data"]), r["version"],
                                               r["updated_at"]), version)
            self._upsert_community(db, name, data)
        return self.community(name)

    def community_projects(self, name: str) -> list[Record]:
        with self._read() as db:
            rows = db.execute("SELECT * FROM projects WHERE community = ? ORDER BY name, id",
                              (name,)).fetchall()
        return [self._record(r) for r in rows]
