"""`elevator app [--port N] [--db PATH]`: start the NiceGUI app.

The library never imports the app: this replaces the process with
`python -m ui …`, run from the repository root (where the `ui` package lives).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from elevator.core.paths import CHECKOUT

ROOT = CHECKOUT


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help="启动网页应用 / start the web app (http://localhost:8080)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    p.add_argument("--db", help="SQLite file (default: $ELEVATOR_DB or ./elevator.sqlite3)")
    p.set_defaults(func=cmd_app)


def command(args: argparse.Namespace) -> list[str]:
    cmd = [sys.executable, "-m", "ui", "--port", str(args.port), "--host", args.host]
    if args.db:
        cmd += ["--db", str(Path(args.db).resolve())]  # resolved before the cwd changes
    return cmd


def cmd_app(args: argparse.Namespace) -> int:
    if not (ROOT / "ui" / "main.py").is_file():
        sys.stderr.write(
            "找不到 ui/ 目录（请在源代码目录中运行）/ the ui/ package is missing "
            "(run from a source checkout)\n"
        )
        return 2
    cmd = command(args)
    if not args.db and not os.environ.get("ELEVATOR_DB"):
        os.environ["ELEVATOR_DB"] = str(Path.cwd() / "elevator.sqlite3")  # keep ./ of the caller
    os.chdir(ROOT)
    os.execv(sys.executable, cmd)
    return 0  # not reached
