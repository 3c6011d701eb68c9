"""`elevator deal PROJECT --limits LIMITS.yaml`: the fairest split under private limits,
or how much is missing."""

from __future__ import annotations

import argparse
import json

from elevator.cli.output import option_help, write
from elevator.core.text import both


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deal", help=both("cli.deal.help"))
    p.add_argument("project", help=option_help("cli.opt.project"))
    p.add_argument("--limits", required=True, help=option_help("cli.deal.limits"))
    p.add_argument("--no-leaving", action="store_true", help=option_help("cli.deal.no_leaving"))
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", help=option_help("cli.deal.output"))
    p.set_defaults(func=cmd_deal)


def cmd_deal(args: argparse.Namespace) -> int:
    from elevator.documents.deal import deal_json, deal_text
    from elevator.model.io import load_project
    from elevator.plan.deal import find_deal, load_limits

    project = load_project(args.project)
    limits = load_limits(args.limits, project)
    deal = find_deal(project, limits, allow_leaving=not args.no_leaving)
    if args.format == "json":
        write(json.dumps(deal_json(deal), ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        write(deal_text(deal, args.lang), args.output)
    return 0
