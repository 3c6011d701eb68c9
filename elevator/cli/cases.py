"""`elevator cases` lists the cases; `elevator cases --check` runs them.

Exit status: 0 all pass, 1 a case fails, 2 a case file is bad (unknown key, value
without a source, malformed amount) — reported by elevator.cli like any bad input.
"""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cases", help="真实案例与回归测试 / real cases and regression tests")
    p.add_argument(
        "--check",
        action="store_true",
        help="运行全部案例（零容差）/ run every case (zero tolerance)",
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_cases)


def cmd_cases(args: argparse.Namespace) -> int:
    from elevator.core.types import confidence_mark
    from elevator.documents.tables import text_table
    from elevator.plan.cases import cases_dir, list_cases, run_all

    root = cases_dir().parent
    infos = list_cases()  # bad files raise ProjectError → exit 2
    if not args.check:
        if args.format == "json":
            sys.stdout.write(
                json.dumps(
                    [
                        {
                            "kind": c.kind,
                            "id": c.id,
                            "name": c.name,
                            "policy": c.policy,
                            "confidence": c.confidence,
                            "path": str(c.path.relative_to(root)),
                        }
                        for c in infos
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
            return 0
        rows = [
            [c.kind, c.id, c.policy or "", confidence_mark(c.confidence), c.name] for c in infos
        ]
        sys.stdout.write(
            text_table(["类型 kind", "编号 id", "政策 policy", "来源 src", "名称 name"], rows)
            + "\n"
        )
        sys.stdout.write(f"共 {len(infos)} 个案例 / {len(infos)} cases\n")
        return 0
    outcomes = run_all()
    failed = [o for o in outcomes if not o.ok]
    if args.format == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "kind": o.kind,
                        "id": o.id,
                        "ok": o.ok,
                        "checked": o.checked,
                        "failures": o.failures,
                    }
                    for o in outcomes
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        for o in outcomes:
            status = "通过 ok  " if o.ok else "失败 FAIL"
            sys.stdout.write(f"{status} {o.kind:<4} {o.id}  ({o.checked} 项 checked)\n")
            for f in o.failures:
                sys.stdout.write(f"    {f}\n")
        sys.stdout.write(f"{len(outcomes) - len(failed)}/{len(outcomes)} 通过 passed\n")
    return 1 if failed else 0
