"""`elevator bench`: the project's speed targets, measured (see elevator/bench.py)."""

from __future__ import annotations

import argparse

from elevator.cli.output import option_help
from elevator.core.text import both


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help=both("cli.bench.help"))
    p.add_argument("--quick", action="store_true", help=option_help("cli.bench.quick"))
    p.add_argument("--only", help=option_help("cli.bench.only"))
    p.add_argument("--load", action="store_true", help=option_help("cli.bench.load"))
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from elevator.bench.runner import run, run_load

    if args.load:
        return run_load(quick=args.quick)

    return run(quick=args.quick, only=args.only.split(",") if args.only else None)
