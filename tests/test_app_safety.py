"""Data safety: two users editing one project, and a restart that loses nothing."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from nicegui.testing import User

from elevator.store.db import Store
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.usefixtures("app_db")
ROOT = Path(__file__).resolve().parents[1]


async def test_second_save_is_refused_and_latest_shown(
    create_user: Callable[[], User], app_db, sample_id, accounts
) -> None:
    pid = sample_id()
    alice, bob = create_user(), create_user()
    await login(alice, accounts("alice"))
    await login(bob, accounts("bob"))
    await alice.open(f"/project/{pid}/sharing")
    await bob.open(f"/project/{pid}/sharing")
    alice.find(marker="coef-6").clear().type("2")
    alice.find(marker="save").click()
    await alice.should_see("已保存（版本 2）")
    bob.find(marker="coef-6").clear().type("1.9")
    bob.find(marker="save").click()
    await bob.should_see("保存被拒绝")
    await bob.should_see("Save refused")
    # Bob now sees Alice's value, and the database still holds it
    coef = bob.find(marker="coef-6").elements.pop()
    assert coef.value == "2"
    await bob.should_see("版本 2")
    record = Store(app_db).get(pid)
    assert record.version == 2 and record.data["sharing"]["coefficients"]["6"] == "2"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without pytest's and NiceGUI's test markers (the child is a real app)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    return {**env, **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, deadline: float, opener=None) -> str:
    while True:
        try:
            with (opener or urllib.request.build_opener()).open(url, timeout=2) as r:
                return r.read().decode("utf-8")
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def logged_in_get(base: str, path: str, name: str, deadline: float) -> str:
    """Wait for the app, log in through /api/login (a cookie names the browser), get `path`."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    get(f"{base}/healthz", deadline, opener)
    body = json.dumps({"name": name, "password": PASSWORD}).encode("utf-8")
    request = urllib.request.Request(
        f"{base}/api/login", data=body, headers={"Content-Type": "application/json"}
    )
    with opener.open(request, timeout=30) as r:
        assert json.loads(r.read()) == {"ok": True}
    return get(f"{base}{path}", deadline, opener)


async def test_restart_loses_nothing(user: User, app_db, sample_id, as_mediator) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/building")
    user.find(marker="building.households[3].area_m2").clear().type("66.25")
    user.find(marker="save").click()
    await user.should_see("已保存（版本 2）")
    saved = Store(app_db).get(pid)
    # a new process: the app itself, on the same database file
    port = free_port()
    env = clean_env(ELEVATOR_DB=str(app_db))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        html = await asyncio.to_thread(
            logged_in_get, base, f"/project/{pid}/building", "mediator", time.time() + 20
        )
        assert "66.25" in html and "版本 2" in html
    finally:
        proc.terminate()
        proc.wait(10)
    # and a fresh process reading the store directly sees the very same project
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json,sys; from elevator.store.db import Store; "
            f"r = Store(sys.argv[1]).get({pid}); print(json.dumps([r.version, r.data]))",
            str(app_db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    version, data = json.loads(out.stdout)
    assert version == saved.version == 2 and data == saved.data
