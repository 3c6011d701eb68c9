"""Fixtures for the app tests: a fresh SQLite database per test (via ELEVATOR_DB)."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """Each app test gets its own database, seeded with the sample cases on first start."""
    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("ELEVATOR_DB", str(path))
    return path
