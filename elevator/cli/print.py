"""`elevator print`: the printed cost table (with signature sheet), or parts of it."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "print", help="打印分摊表与签字表 (PDF) / print the cost table and signature sheet (PDF)"
    )
    p.add_argument("project", help="project file (YAML or JSON)")
    p.add_argument("--scheme", help="override the project's scheme")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument(
        "--what",
        choices=["table", "signatures", "whatif"],
        default="table",
        help="table: cost table + signature sheet (default); signatures: the "
        "signature sheet alone; whatif: shares as the subsidy grows "
        "(PDF, or PNG when -o ends in .png)",
    )
    p.add_argument(
        "--no-signatures", action="store_true", help="cost table without the signature sheet"
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
        sys.stderr.write(
            "首次打印：正在准备字体缓存（约 10–20 秒，仅一次）/ first print: "
            "preparing the font cache (10–20 s, once)\n"
        )
    if args.what == "whatif":
        if args.output.lower().endswith(".png"):
            from elevator.documents.charts import subsidy_whatif_png

            data = subsidy_whatif_png(project, args.lang, args.scheme)
        else:
            from elevator.documents.pdf import whatif_pdf

            data = whatif_pdf(project, args.lang, args.scheme)
    elif args.what == "signatures":
        from elevator.documents.pdf import signature_sheet_pdf

        data = signature_sheet_pdf(project, result, args.lang)
    else:
        from elevator.documents.pdf import cost_table_pdf

        data = cost_table_pdf(project, result, args.lang, signatures=not args.no_signatures)
    with open(args.output, "wb") as fh:
        fh.write(data)
    return 0
