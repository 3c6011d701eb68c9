"""`elevator print`: the printed cost table (with signature sheet), or parts of it."""

from __future__ import annotations

import argparse
import os
import sys

from elevator.cli.output import option_help, write_file
from elevator.core.text import both


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help=both("cli.print.help"))
    p.add_argument("project", help=option_help("cli.opt.project"))
    p.add_argument("--scheme", help=option_help("cli.opt.scheme"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument(
        "--what",
        choices=["table", "signatures", "whatif", "slips"],
        default="table",
        help=option_help("cli.print.what"),
    )
    p.add_argument(
        "--no-signatures", action="store_true", help=option_help("cli.print.no_signatures")
    )
    p.add_argument("--links", help=option_help("cli.print.links"))
    p.add_argument(
        "--allow-internal-hosts", action="store_true", help=option_help("cli.print.allow_internal")
    )
    p.add_argument("-o", "--output", required=True, help="FILE.pdf")
    p.set_defaults(func=cmd_print)


def cmd_print(args: argparse.Namespace) -> int:
    from elevator.model.io import load_project
    from elevator.plan.compose import shares as compute_shares

    project = load_project(args.project)
    result = compute_shares(project, args.scheme)  # checks the scheme before any drawing
    from elevator.documents.fonts import reduced_font_path

    if (
        args.what != "whatif"
        and reduced_font_path(create=False) is None
        and os.environ.get("ELEVATOR_FONT_CACHE") != "0"
    ):
        sys.stderr.write(both("cli.print.font_cache") + "\n")
    if args.what == "whatif":
        if args.output.lower().endswith(".png"):
            from elevator.documents.charts import subsidy_whatif_png

            data = subsidy_whatif_png(project, args.lang, args.scheme)
        else:
            from elevator.documents.pdf import whatif_pdf

            data = whatif_pdf(project, args.lang, args.scheme)
    elif args.what == "slips":
        data = _slips(project, result, args)
    elif args.what == "signatures":
        from elevator.documents.pdf import signature_sheet_pdf

        data = signature_sheet_pdf(project, result, args.lang)
    else:
        from elevator.documents.pdf import cost_table_pdf

        data = cost_table_pdf(project, result, args.lang, signatures=not args.no_signatures)
    write_file(args.output, bytes(data))
    return 0


def _slips(project, result, args: argparse.Namespace) -> bytes:
    """The link slips of the households listed in --links (household,link per line)."""
    from elevator.core.errors import problem
    from elevator.documents.slips import read_links, slips_for, slips_pdf

    if not args.links:
        raise problem("links", "error.slips.links_needed")
    with open(args.links, encoding="utf-8-sig") as fh:
        links = read_links(fh.read())
    slips = slips_for(result, links, allow_internal=args.allow_internal_hosts)
    return slips_pdf(project.name, slips, args.lang)
