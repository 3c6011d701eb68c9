"""`python -m ui [--port N] [--db PATH] [--host H]` starts the app (no auto-reload)."""

from __future__ import annotations

import argparse
import os

from elevator.core.text import both, t


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ui", description=both("ui.cli.description"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ELEVATOR_PORT", "8080")))
    parser.add_argument("--host", default=os.environ.get("ELEVATOR_HOST", "127.0.0.1"))
    parser.add_argument("--db", default=None, help=t("ui.cli.db", "en"))
    args = parser.parse_args()
    if args.db:
        os.environ["ELEVATOR_DB"] = args.db  # also seen by anything reading the env later
    from ui.main import start

    start(port=args.port, host=args.host, db=args.db)


if __name__ == "__main__":
    main()
