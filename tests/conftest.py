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


# --- accounts: every project page needs a login and a role (ui/session.py) ---------------

PASSWORD = "test-password-2026"


@pytest.fixture
def accounts(app_db) -> Callable[..., str]:
    """`accounts(name, role="mediator", scope="*")`: an account with that role (password
    PASSWORD) in this test's database; called again, it adds the role."""

    def make(name: str, role: str = "mediator", scope: str = "*") -> str:
        from elevator.store.db import Store

        s = Store(app_db)
        if s.accounts.get(name) is None:
            s.accounts.add(name, PASSWORD)
        s.accounts.grant(name, role, scope)
        return name

    return make


async def login(user, name: str, password: str = PASSWORD, then: str = "/") -> None:
    """Log `user` in through the login page and wait until it has been sent on to `then`.
    The password check runs in a thread (argon2): wait for the outcome, however long the
    machine takes, instead of a fixed timeout."""
    import asyncio

    await user.open(f"/login?next={then}")
    user.find(marker="login-name").type(name)
    user.find(marker="login-password").type(password)
    before = len(user.back_history)
    user.find(marker="login").click()
    error = user.find(marker="login-error").elements.pop()
    for _ in range(3000):  # up to a minute on a very busy machine; usually a few ms
        if len(user.back_history) > before or error.text:
            break
        await asyncio.sleep(0.02)
    assert not error.text, error.text


@pytest.fixture
async def as_mediator(user, accounts):
    """The test's `user` is logged in as `mediator`, a mediator of every project."""
    await login(user, accounts("mediator"))
    return user


@pytest.fixture(autouse=True)
def patient_should_see(monkeypatch):
    """Pages compute off the event loop (consent, resident pages): what a click changes
    may arrive a moment later on a busy machine.  `should_see` keeps looking for up to
    ten seconds (it returns as soon as it sees) instead of NiceGUI's 0.3 s."""
    from nicegui.testing import User

    original = User.should_see

    async def should_see(self, *args, retries: int = 100, **kwargs):
        return await original(self, *args, retries=max(retries, 100), **kwargs)

    monkeypatch.setattr(User, "should_see", should_see)
