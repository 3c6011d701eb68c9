"""The app's one store (SQLite) and the per-browser language.

The store is opened once per process by `ui.main.build()`; pages call `store()`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from elevator.store.db import Store

_STORE: Store | None = None


def open_store(path: str | Path | None = None) -> Store:
    global _STORE
    _STORE = Store(path)
    return _STORE


def store() -> Store:
    if _STORE is None:
        return open_store()
    return _STORE


def storage_secret(s: Store) -> str:
    """Kept in the database so the per-browser settings survive a restart."""
    import sqlite3

    with sqlite3.connect(s.path, isolation_level=None, timeout=10) as db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT value FROM meta WHERE key = 'storage_secret'").fetchone()
        if row:
            db.execute("COMMIT")
            return row[0]
        value = secrets.token_urlsafe(32)
        db.execute("INSERT INTO meta VALUES ('storage_secret', ?)", (value,))
        db.execute("COMMIT")
    return value
