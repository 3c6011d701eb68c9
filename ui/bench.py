"""App benchmarks, run by `elevator bench` in a child process (the library never imports ui).

python -m ui.bench refresh   median seconds from a coefficient change to the refreshed
                             tables, 14-household stairwell, server side, in-process
                             (the real page handler, driven by NiceGUI's simulated user)
python -m ui.bench start     seconds from starting `python -m ui` to the first page served
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from elevator.core.text import t

ROOT = Path(__file__).resolve().parents[1]


async def _refresh(repeat: int) -> float:
    from nicegui import app
    from nicegui.storage import Storage
    from nicegui.testing.user_simulation import user_simulation

    from elevator.bench.runner import seven_storey_project
    from elevator.model.io import project_to_data
    from elevator.store.db import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        os.environ["ELEVATOR_DB"] = str(db)
        # NiceGUI's simulated user expects pytest: it would otherwise clear a real client's
        # storage and the ./.nicegui folder; give it a throw-away storage folder instead
        os.environ["PYTEST_CURRENT_TEST"] = "ui/bench.py::refresh"
        Storage.path = Path(tmp) / "storage"
        app.storage = Storage()
        pid = Store(db, seed=False).create(project_to_data(seven_storey_project())).id
        async with user_simulation(main_file=ROOT / "ui" / "main.py") as user:
            await user.open(f"/project/{pid}/sharing")
            coef = user.find(marker="coef-5").elements.pop()
            table = user.find(marker="households").elements.pop()
            times = []
            for i in range(repeat):
                value = f"{1 + (i % 9) / 10:.1f}"
                start = time.perf_counter()
                with user.client:
                    coef.value = value  # fires the page's change handler
                times.append(time.perf_counter() - start)
                assert len(table.rows) == 15  # 14 households + the total row
            return statistics.median(times)


def refresh(repeat: int) -> float:
    return asyncio.run(_refresh(repeat))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_once() -> float:
    """Start the app on a fresh database and time until the first page is served."""
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
        env["ELEVATOR_DB"] = str(Path(tmp) / "start.sqlite3")
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui", "--port", str(port), "--host", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                        r.read()
                        return time.perf_counter() - start
                except OSError:
                    if time.perf_counter() - start > 30 or proc.poll() is not None:
                        raise RuntimeError(t("ui.bench.not_started", "en"))
                    time.sleep(0.02)
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    what = sys.argv[1]
    quick = "--quick" in sys.argv
    if what == "refresh":
        value = refresh(10 if quick else 50)
    else:
        value = statistics.median(start_once() for _ in range(1 if quick else 3))
    print(json.dumps({"seconds": value}))
