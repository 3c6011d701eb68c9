"""App benchmarks, run by `elevator bench` in a child process (the library never imports ui).

python -m ui.bench refresh   median seconds from a coefficient change to the refreshed
                             tables, 14-household stairwell, server side, in-process
                             (the real page handler, driven by NiceGUI's simulated user)
python -m ui.bench resident  median seconds of a resident's page view (its bill and what
                             changed since version 1) on a project saved 300 times, server
                             side, every look-up after the first
python -m ui.bench start     seconds from starting `python -m ui` to the first page served
python -m ui.bench load      50 concurrent logged-in clients against a running app: p50/p95
                             latency of 2,000 page requests, and the server's memory (RSS)
                             before, right after, and once idle clients have been pruned
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
        store = Store(db, seed=False)
        pid = store.create(project_to_data(seven_storey_project())).id
        store.accounts.add("bench", LOAD_PASSWORD, "mediator", "*")
        async with user_simulation(main_file=ROOT / "ui" / "main.py") as user:
            await _log_in(user)
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


async def _log_in(user) -> None:
    """Through the login page, as a person would; the password check runs in a thread."""
    await user.open("/login")
    user.find(marker="login-name").type("bench")
    user.find(marker="login-password").type(LOAD_PASSWORD)
    before = len(user.back_history)
    user.find(marker="login").click()
    for _ in range(3000):  # however long a busy machine takes
        if len(user.back_history) > before:
            return
        await asyncio.sleep(0.02)
    raise RuntimeError("login did not finish")


def refresh(repeat: int) -> float:
    return asyncio.run(_refresh(repeat))


def resident(repeat: int) -> float:
    """The resident page's view model (ui/pages/resident.py), as its page builds it."""
    from elevator.bench.versions import HOUSEHOLD, many_versions
    from ui.pages.resident import resident_view
    from ui.state import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "resident.sqlite3"
        _, pid, first = many_versions(db)
        open_store(db)
        resident_view(pid, HOUSEHOLD, "zh", first)  # the first look-up after start
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            view = resident_view(pid, HOUSEHOLD, "zh", first)
            times.append(time.perf_counter() - start)
            assert view.changes.since == 1
        return statistics.median(times)


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


LOAD_CLIENTS = 50
LOAD_REQUESTS = 2000
LOAD_PASSWORD = "bench-password-2026"


def _rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _client(base: str):
    """A browser of its own (a cookie names it), logged in as the bench account."""
    import http.cookiejar

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    body = json.dumps({"name": "bench", "password": LOAD_PASSWORD}).encode("utf-8")
    request = urllib.request.Request(
        f"{base}/api/login", data=body, headers={"Content-Type": "application/json"}
    )
    with opener.open(request, timeout=120) as r:
        r.read()
    return opener


def _paths(db: Path) -> list[str]:
    """The pages people open most: the sample's sharing, building, consent and
    feasibility pages, and two residents' pages."""
    from elevator.bench.runner import SAMPLE
    from elevator.model.io import read_data
    from elevator.store.access import resident_token
    from elevator.store.db import Store

    store = Store(db)
    name = read_data(SAMPLE)["name"]
    pid = next(r.id for r in store.list_projects() if r.name == name)
    secret = store.resident_secret()
    return [
        f"/project/{pid}/{tab}" for tab in ("sharing", "building", "consent", "feasibility")
    ] + [f"/r/{pid}/{resident_token(secret, str(pid), h, 0)}" for h in ("502", "301")]


def _start_app(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    env["ELEVATOR_DB"] = str(db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                r.read()
                return proc, base
        except OSError:
            if time.perf_counter() - start > 60 or proc.poll() is not None:
                proc.terminate()
                raise RuntimeError(t("ui.bench.not_started", "en"))
            time.sleep(0.05)


def _held(base: str) -> int:
    """The page clients the server holds (each page opened and not yet dropped)."""
    with urllib.request.urlopen(f"{base}/healthz", timeout=120) as r:
        return int(json.loads(r.read())["clients"])


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


class _Probe:
    """While the load runs, a light request (/healthz) every 0.2 s: how long the event loop
    keeps others waiting."""

    def __init__(self, base: str):
        import threading

        self.base, self.times, self.stop = base, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            t0 = time.perf_counter()
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=120) as r:
                r.read()
            self.times.append(time.perf_counter() - t0)
            self.stop.wait(0.2)


def load(
    clients: int = LOAD_CLIENTS, requests: int = LOAD_REQUESTS, idle: float = 75
) -> dict[str, float]:
    """`idle`: seconds to wait before the last memory reading (NiceGUI drops a page's
    client that never opened its socket after 60 s, checking every 10 s)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from elevator.store.db import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.sqlite3"
        Store(db).accounts.add("bench", LOAD_PASSWORD, "mediator", "*")
        paths = _paths(db)
        proc, base = _start_app(db)
        try:
            with ThreadPoolExecutor(clients) as pool:
                openers = list(pool.map(lambda _: _client(base), range(clients)))
                for path in paths:  # each page once, so the figures are warm
                    openers[0].open(base + path, timeout=120).read()
                rss_before = _rss_mb(proc.pid)

                def one(i: int) -> float:
                    t0 = time.perf_counter()
                    with openers[i % clients].open(base + paths[i % len(paths)], timeout=120) as r:
                        r.read()
                    return time.perf_counter() - t0

                gate = threading.Barrier(clients)

                def burst(i: int) -> float:
                    gate.wait()  # all 50 at the same moment
                    return one(i)

                bursts = list(pool.map(burst, range(clients)))
                probe = _Probe(base)
                probe.thread.start()
                t0 = time.perf_counter()
                latencies = list(pool.map(one, range(requests)))
                wall = time.perf_counter() - t0
                probe.stop.set()
                probe.thread.join()
            rss_after = _rss_mb(proc.pid)
            held = _held(base)
            time.sleep(idle)
            rss_idle = _rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(10)
    return {
        "clients": clients,
        "requests": requests,
        "burst_p50_s": _quantile(bursts, 0.5),
        "burst_p95_s": _quantile(bursts, 0.95),
        "p50_s": _quantile(latencies, 0.5),
        "p95_s": _quantile(latencies, 0.95),
        "max_s": max(latencies),
        "probe_p50_s": _quantile(probe.times, 0.5),
        "probe_p95_s": _quantile(probe.times, 0.95),
        "requests_per_s": requests / wall,
        "wall_s": wall,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "held_after": held,
        "idle_s": idle,
        "rss_idle_mb": rss_idle,
    }


if __name__ == "__main__":
    what = sys.argv[1]
    quick = "--quick" in sys.argv
    if what == "load":
        figures = load(requests=400, idle=15) if quick else load()
        print(json.dumps(figures))
        sys.exit(0)
    if what == "refresh":
        value = refresh(10 if quick else 50)
    elif what == "resident":
        value = resident(5 if quick else 20)
    else:
        value = statistics.median(start_once() for _ in range(1 if quick else 3))
    print(json.dumps({"seconds": value}))
