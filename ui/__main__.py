"""`python -m ui [--port N] [--db PATH] [--host H]` starts the app (no auto-reload)."""

from __future__ import annotations

import argparse
import os
import sys

from elevator.core.text import both, t


def system_malloc() -> None:
    """Run the server on the C library's malloc (re-executing once with PYTHONMALLOC=malloc,
    on Linux, unless PYTHONMALLOC is set).  CPython's own small-object allocator keeps each
    1 MiB arena while any object in it lives, so after a burst of pages the server stayed
    at ~400 MB with ~60 MB in use; glibc's malloc hands freed pages back (ui/load.py trims
    every 10 s) and the server returns to ~115 MB.  Pages are built no slower."""
    if os.environ.get("PYTHONMALLOC") or not sys.platform.startswith("linux"):
        return
    os.environ["PYTHONMALLOC"] = "malloc"
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def main() -> None:
    system_malloc()
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
