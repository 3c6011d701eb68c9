"""`elevator bench`: the project's speed targets, measured (see elevator/bench.py)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="性能基准 / benchmark the speed targets")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke test)")
    p.add_argument("--only", help="comma-separated benchmark names")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from elevator.bench.runner import run

    return run(quick=args.quick, only=args.only.split(",") if args.only else None)
