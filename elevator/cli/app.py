"""`elevator app [--port N] [--host H] [--db PATH] [--demo] [--public-url URL]`: start the
NiceGUI app.

--public-url is the public address resident links are built on (docs/deployment.md); it is
checked here (no localhost, no internal host: exit 2 naming the option) and handed to the
app as ELEVATOR_PUBLIC_URL.

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
PUBLIC_URL_ENV = "ELEVATOR_PUBLIC_URL"  # read by ui/links.py


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help=both("cli.app.help"))
    p.add_argument("--port", type=int, default=8080, help=option_help("cli.app.port"))
    # only this machine unless told otherwise: serve others through an HTTPS proxy
    p.add_argument("--host", default="127.0.0.1", help=option_help("cli.app.host_local"))
    p.add_argument("--db", help=option_help("cli.app.db"))
    p.add_argument("--demo", action="store_true", help=option_help("cli.app.demo"))
    p.add_argument("--public-url", help=option_help("cli.app.public_url"))
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
    if args.public_url is not None:  # refused before anything starts
        from elevator.documents.slips import public_base

        os.environ[PUBLIC_URL_ENV] = public_base(args.public_url, field="--public-url")
    if not args.db and not os.environ.get("ELEVATOR_DB"):
        os.environ["ELEVATOR_DB"] = str(Path.cwd() / "elevator.sqlite3")  # keep ./ of the caller
    if args.demo:  # `make run`: an account for the samples, its password shown now
        from elevator.cli.users import demo_banner, ensure_demo
        from elevator.store.db import Store

        store = Store(args.db or os.environ["ELEVATOR_DB"])
        sys.stdout.write(demo_banner(ensure_demo(store)))
        sys.stdout.flush()
    os.chdir(ROOT)
    os.execv(sys.executable, cmd)
    return 0  # not reached
