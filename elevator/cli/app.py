"""`elevator app [--port N] [--db PATH]`: start the NiceGUI app.

The library never imports the app: this replaces the process with
`python -m ui …`, run from the repository root (where the `ui` package lives).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from elevator.cli.output import option_help
from elevator.core.paths import CHECKOUT
from elevator.core.text import both

ROOT = CHECKOUT


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help=both("cli.app.help"))
    p.add_argument("--port", type=int, default=8080, help=option_help("cli.app.port"))
    p.add_argument("--host", default="0.0.0.0", help=option_help("cli.app.host"))
    p.add_argument("--db", help=option_help("cli.app.db"))
    p.set_defaults(func=cmd_app)


def command(args: argparse.Namespace) -> list[str]:
    cmd = [sys.executable, "-m", "ui", "--port", str(args.port), "--host", args.host]
    if args.db:
        cmd += ["--db", str(Path(args.db).resolve())]  # resolved before the cwd changes
    return cmd


def cmd_app(args: argparse.Namespace) -> int:
    if not (ROOT / "ui" / "main.py").is_file():
        sys.stderr.write(both("cli.app.no_ui") + "\n")
        return 2
    cmd = command(args)
    if not args.db and not os.environ.get("ELEVATOR_DB"):
        os.environ["ELEVATOR_DB"] = str(Path.cwd() / "elevator.sqlite3")  # keep ./ of the caller
    os.chdir(ROOT)
    os.execv(sys.executable, cmd)
    return 0  # not reached
