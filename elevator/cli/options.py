"""`elevator caps|benefit|financing PROJECT FILE`: other ways to share and to pay, for the
mediator's table — caps with redistribution, a split by estimated benefit, and each
household's present cost under the financing options (elevator/plan/options_file.py
says what FILE holds)."""

from __future__ import annotations

import argparse
import json

from elevator.cli.output import option_help, write
from elevator.core.text import both


def register(sub: argparse._SubParsersAction) -> None:
    for kind in ("caps", "benefit", "financing"):
        p = sub.add_parser(kind, help=both(f"cli.{kind}.help"))
        p.add_argument("project", help=option_help("cli.opt.project"))
        p.add_argument("file", help=option_help(f"cli.{kind}.file"))
        p.add_argument("--format", choices=["table", "json"], default="table")
        p.add_argument("--lang", choices=["zh", "en"], default="zh")
        p.add_argument("-o", "--output", help=option_help("cli.options.output"))
        if kind == "financing":
            p.add_argument("--chart", metavar="PNG", help=option_help("cli.financing.chart"))
        p.set_defaults(func=cmd_options, kind=kind)


def cmd_options(args: argparse.Namespace) -> int:
    from elevator.cli.output import refuse_output_onto_input, write_file
    from elevator.documents import deal_options as doc
    from elevator.model.io import load_project
    from elevator.plan.benefit import benefit_shares
    from elevator.plan.caps import capped_shares
    from elevator.plan.financing import compare_financing
    from elevator.plan.options_file import load_options

    refuse_output_onto_input(args.output, [args.file])
    project = load_project(args.project)
    given = load_options(args.kind, args.file, project)
    result = {
        "caps": capped_shares,
        "benefit": benefit_shares,
        "financing": compare_financing,
    }[args.kind](project, given)
    if args.format == "json":
        data = getattr(doc, f"{args.kind}_json")(result)
        write(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        write(getattr(doc, f"{args.kind}_text")(result, args.lang), args.output)
    if getattr(args, "chart", None):
        refuse_output_onto_input(args.chart, [args.project, args.file])
        write_file(args.chart, doc.financing_png(result, args.lang))
    # caps that cannot hold: the table says the shortfall, and the exit status says it too
    return 1 if args.kind == "caps" and not result.possible else 0
