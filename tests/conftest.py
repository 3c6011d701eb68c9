"""Fixtures for the app tests: a fresh SQLite database per test (via ELEVATOR_DB)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

SAMPLE = "兴发小区 3栋 1单元"  # the seeded sample most app tests open


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """Each app test gets its own database, seeded with the sample cases on first start."""
    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("ELEVATOR_DB", str(path))
    return path


@pytest.fixture
def sample_id(app_db) -> Callable[..., int]:
    """`sample_id()`: the id of a seeded sample project (by name) in this test's database."""

    def find(name: str = SAMPLE) -> int:
        from elevator.store.db import Store

        return next(r.id for r in Store(app_db).list_projects() if r.name == name)

    return find
