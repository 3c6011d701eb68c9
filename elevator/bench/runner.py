"""Benchmarks for the speed targets in the issues (median wall time, not tests).

Each feature adds its measurements to BENCHMARKS: name → (target text, function
returning the median seconds).  `elevator bench` / `make bench` prints them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from elevator.core.paths import CHECKOUT
from elevator.core.text import Msg, t

ROOT = CHECKOUT
SAMPLE = ROOT / "cases" / "projects" / "xingshan-xingfa-3-1.yaml"


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seven_storey_project():
    """A 7-storey, 14-household stairwell with fixed + per_floor costs (synthetic)."""
    from elevator.model.io import parse_project

    households = [
        {"id": f"{f}0{u}", "floor": f, "area_m2": 60 + 5 * u} for f in range(1, 8) for u in (1, 2)
    ]
    return parse_project(
        {
            "name": "bench 7F",
            "building": {"floors": 7, "households": households},
            "costs": {"fixed": 400000, "per_floor": 25000},
            "funding": {"subsidies": [{"name": "s", "per_elevator": 100000}]},
            "compensation": [{"floor": 1, "per_household": 5000}],
            "sharing": {
                "scheme": "floor_coefficients",
                "coefficients": {1: 0, 2: 0.3, 3: 0.6, 4: 0.9, 5: 1.2, 6: 1.5, 7: 1.8},
            },
            "running_costs": {"annual": [{"name": "维保", "amount": 6000}]},  # zh-ok: data
        }
    )


def bench_schemes(quick: bool) -> dict[str, float]:
    from elevator.sharing.engine import compute_shares
    from elevator.sharing.schemes import SCHEMES

    project = seven_storey_project()
    return {
        name: median_time(lambda: compute_shares(project, name), 20 if quick else 200)
        for name in SCHEMES
    }


def bench_10000(quick: bool) -> float:
    from elevator.sharing.engine import compute_shares

    project = seven_storey_project()
    n = 1000 if quick else 10000
    start = time.perf_counter()
    for _ in range(n):
        compute_shares(project)
    return (time.perf_counter() - start) * (10000 / n)


def bench_cli_json(quick: bool) -> float:
    cmd = [sys.executable, "-m", "elevator", "share", str(SAMPLE), "--format", "json"]
    return median_time(
        lambda: subprocess.run(cmd, check=True, capture_output=True), 3 if quick else 7
    )


# name -> (target, function(quick) -> seconds or {label: seconds}, target seconds)
BENCHMARKS: dict[str, tuple[Msg, Callable[[bool], object], float]] = {
    "share_each_scheme": (Msg("bench.share_each_scheme"), bench_schemes, 0.005),
    "share_10000": (Msg("bench.share_10000"), bench_10000, 5.0),
    "cli_share_json": (Msg("bench.cli_share_json"), bench_cli_json, 0.6),
}


def register(name: str, target: Msg, fn: Callable[[bool], object], limit: float) -> None:
    """Other modules add their benchmarks here (see EXTRA_MODULES)."""
    BENCHMARKS[name] = (target, fn, limit)


def _app_bench(what: str, quick: bool) -> float:
    """The app's timings, measured by `python -m ui.bench` in a child process
    (the library never imports the app)."""
    import json

    cmd = [sys.executable, "-m", "ui.bench", what] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


if (ROOT / "ui" / "bench.py").is_file():  # a source checkout with the app
    register(
        "app_refresh",
        Msg("bench.app_refresh"),
        lambda quick: _app_bench("refresh", quick),
        0.1,
    )
    register(
        "app_resident_300",
        Msg("bench.app_resident_300"),
        lambda quick: _app_bench("resident", quick),
        0.1,
    )
    register("app_start", Msg("bench.app_start"), lambda quick: _app_bench("start", quick), 4.0)


# feature modules that call register() when imported
EXTRA_MODULES: list[str] = [
    "elevator.bench.feasibility",
    "elevator.bench.airport",
    "elevator.bench.printing",
    "elevator.bench.consent",
    "elevator.bench.district",
    "elevator.bench.deal",
    "elevator.bench.versions",
]


def run(quick: bool = False, only: list[str] | None = None, lang: str = "en") -> int:
    """Run the benchmarks and print each median against its target (in English: the
    targets are the issues' words)."""
    import importlib

    for mod in EXTRA_MODULES:
        importlib.import_module(mod)
    for name, (target, fn, limit) in BENCHMARKS.items():
        if only and name not in only:
            continue
        value = fn(quick)
        items = value.items() if isinstance(value, dict) else [("", value)]
        for label, seconds in items:
            ok = t("bench.ok" if seconds < limit else "bench.slow", lang)
            print(
                f"{ok:<3} {name}{'/' + label if label else '':<28} {seconds * 1000:10.2f} ms   "
                f"({t('bench.target', lang, target=target)})",
                flush=True,
            )
    return 0


def run_load(quick: bool = False, lang: str = "en") -> int:
    """The app under load (`python -m ui.bench load` in a child process): 50 concurrent
    logged-in clients, 2,000 page requests (400 with --quick), latency and memory."""
    import json

    if not (ROOT / "ui" / "bench.py").is_file():
        print(t("bench.load.no_app", lang))
        return 2
    cmd = [sys.executable, "-m", "ui.bench", "load"] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    f = json.loads(out.stdout.strip().splitlines()[-1])
    print(t("bench.load.latency", lang, **{k: _fmt(v) for k, v in f.items()}), flush=True)
    print(t("bench.load.memory", lang, **{k: _fmt(v) for k, v in f.items()}), flush=True)
    print(t("bench.load.held", lang, held=f["held_after"]), flush=True)
    return 0


def _fmt(value: float) -> str:
    return f"{value:.0f}" if isinstance(value, int) else f"{value:.3f}"
