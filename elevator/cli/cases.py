"""`elevator cases` lists the cases; `elevator cases --check` runs them.

Exit status: 0 all pass, 1 a case fails, 2 a case file is bad (unknown key, value
without a source, malformed amount) — reported by elevator.cli like any bad input.
"""

from __future__ import annotations

import argparse
import json
import sys

from elevator.cli.output import side_by_side
from elevator.core.text import both

COLUMNS = ("kind", "id", "policy", "src", "name")  # cli.cases.col.<name>


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cases", help=both("cli.cases.help"))
    p.add_argument("--check", action="store_true", help=both("cli.cases.check"))
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_cases)


def cmd_cases(args: argparse.Namespace) -> int:
    from elevator.plan.cases import list_cases, run_all

    infos = list_cases()  # bad files raise ProjectError → exit 2
    if not args.check:
        _list(infos, args.format)
        return 0
    outcomes = run_all()
    if args.format == "json":
        keys = ("kind", "id", "ok", "checked", "failures")
        _json([{k: getattr(o, k) for k in keys} for o in outcomes])
    else:
        _outcome_lines(outcomes)
    return 0 if all(o.ok for o in outcomes) else 1


def _json(data: list) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _list(infos, fmt: str) -> None:
    from elevator.core.types import confidence_mark
    from elevator.documents.tables import text_table
    from elevator.plan.cases import cases_dir

    if fmt == "json":
        root = cases_dir().parent
        keys = ("kind", "id", "name", "policy", "confidence")
        _json(
            [
                {**{k: getattr(c, k) for k in keys}, "path": str(c.path.relative_to(root))}
                for c in infos
            ]
        )
        return
    rows = [[c.kind, c.id, c.policy or "", confidence_mark(c.confidence), c.name] for c in infos]
    headers = [side_by_side(f"cli.cases.col.{k}") for k in COLUMNS]
    sys.stdout.write(text_table(headers, rows) + "\n")
    sys.stdout.write(both("cli.cases.count", n=len(infos)) + "\n")


def _outcome_lines(outcomes) -> None:
    ok, fail = side_by_side("cli.cases.ok"), side_by_side("cli.cases.fail")
    width = max(len(ok), len(fail))  # "通过 ok  " lines up with "失败 FAIL"
    checked = side_by_side("cli.cases.checked")
    for o in outcomes:
        status = (ok if o.ok else fail).ljust(width)
        sys.stdout.write(f"{status} {o.kind:<4} {o.id}  ({o.checked} {checked})\n")
        for f in o.failures:
            sys.stdout.write(f"    {f}\n")
    passed = side_by_side("cli.cases.passed")
    good = sum(1 for o in outcomes if o.ok)
    sys.stdout.write(f"{good}/{len(outcomes)} {passed}\n")
