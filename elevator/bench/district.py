"""Benchmark: a district through the vector engine and through the scalar engine.

1,000,000 stairwells of 7 floors with 2 flats per floor (the synthetic sample's costs,
site facts and policies, each row's own policy and its default scheme) through the vector
engine (checklist, subsidies, shares), and 10,000 of them through `--engine scalar` (a
project per row: parse, checklist, `compute_shares`).  Each runs in a child process so its
peak memory (ru_maxrss, the whole process) is its own.  Targets (issue 15): the vector
engine at least 50× faster per stairwell, a million stairwells under 8 GiB.
Imported by elevator.bench through EXTRA_MODULES; `python -m elevator.bench.district
vector|scalar N` is the child.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

from elevator.bench import runner as bench
from elevator.core.text import Msg

VECTOR_N, SCALAR_N = 1_000_000, 10_000
_cache: dict[str, dict] = {}


def raw_portfolio(n: int):
    """The sample with 7 floors and 2 flats everywhere (costs kept consistent)."""
    from elevator.district.sample import sample_portfolio  # noqa: PLC0415

    raw = sample_portfolio(n, seed=1)
    raw["floors"] = 7
    raw["households_per_floor"] = 2
    fixed = raw["cost_yuan"].astype("int64") - raw["cost_per_floor_yuan"].astype("int64") * 6
    raw["cost_fixed_yuan"] = fixed.astype(str)
    return raw


def measure(engine: str, n: int) -> dict:
    from elevator.district.portfolio import validate  # noqa: PLC0415
    from elevator.district.simulate import run  # noqa: PLC0415

    raw = raw_portfolio(n)
    start = time.perf_counter()
    p = validate(raw)
    read = time.perf_counter() - start
    start = time.perf_counter()
    r = run(p, engine_name=engine)
    seconds = time.perf_counter() - start
    assert r.frame["problem"].isna().all() and len(r.frame) == n
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {"seconds": seconds, "validate_seconds": read, "peak_bytes": peak, "n": n}


def _child(engine: str, n: int) -> dict:
    key = f"{engine}{n}"
    if key not in _cache:
        cmd = [sys.executable, "-m", "elevator.bench.district", engine, str(n)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        _cache[key] = json.loads(out.stdout.strip().splitlines()[-1])
    return _cache[key]


def _sizes(quick: bool) -> tuple[int, int]:
    return (VECTOR_N // 10, SCALAR_N // 10) if quick else (VECTOR_N, SCALAR_N)


def bench_vector(quick: bool) -> float:
    nv, ns = _sizes(quick)
    v, s = _child("vector", nv), _child("scalar", ns)
    per_v, per_s = v["seconds"] / nv, s["seconds"] / ns
    print(
        f"    district: vector {nv:,} stairwells {v['seconds']:.2f} s "
        f"({per_v * 1e6:.2f} µs each; validating the rows {v['validate_seconds']:.2f} s), "
        f"peak memory {v['peak_bytes'] / 2**30:.2f} GiB; scalar {ns:,} stairwells "
        f"{s['seconds']:.2f} s ({per_s * 1e3:.3f} ms each); ratio {per_s / per_v:.0f}×",
        flush=True,
    )
    return v["seconds"] * VECTOR_N / nv


def bench_scalar(quick: bool) -> float:
    _, ns = _sizes(quick)
    return _child("scalar", ns)["seconds"] * SCALAR_N / ns


# targets: 50× the scalar engine's ~0.4 ms per stairwell (issue 15) → 8 s a million
bench.register("district_vector_1000000", Msg("bench.district_vector"), bench_vector, 8.0)
bench.register("district_scalar_10000", Msg("bench.district_scalar"), bench_scalar, 60.0)


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
