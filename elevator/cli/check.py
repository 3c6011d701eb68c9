"""`elevator check PROJECT_OR_COMMUNITY`: the feasibility checklist.

One project file → its findings and verdict; a folder, a community file or a CSV/XLSX
sheet → one summary row per stairwell.  The verdict is data: exit status 0 whatever
it is; 2 on bad input (raised as ProjectError, printed by elevator.cli).
"""

from __future__ import annotations

import argparse
import json

from elevator.cli.output import option_help, write, write_file
from elevator.core.text import both


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help=both("cli.check.help"))
    p.add_argument("project", metavar="PROJECT_OR_COMMUNITY", help=option_help("cli.check.project"))
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--details", action="store_true", help=option_help("cli.check.details"))
    p.add_argument("-o", "--output", help=option_help("cli.check.output"))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("check-template", help=both("cli.check_template.help"))
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_template)


def _pdf(result, args: argparse.Namespace, project=None) -> int:
    """printing.feasibility_report_pdf(result, path, lang=, project=): result is an
    Assessment (one project, passed too) or a CommunityResult; it writes the file or
    returns the bytes."""
    from elevator.core.errors import problem

    try:
        from elevator.documents.pdf import feasibility_report_pdf  # noqa: PLC0415
    except ImportError:
        raise problem("--output", "cli.check.no_pdf") from None
    data = feasibility_report_pdf(result, args.output, lang=args.lang, project=project)
    if isinstance(data, (bytes, bytearray)):
        write_file(args.output, bytes(data))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from elevator.documents.community import community_json, community_text, summary_rows
    from elevator.plan.community import check_community, is_community

    if is_community(args.project):
        result = check_community(args.project)
        if args.output and args.output.lower().endswith(".pdf"):
            return _pdf(result, args)
        return _emit(
            args,
            lambda: community_json(result, args.details),
            lambda: summary_rows(result, args.lang),
            lambda: community_text(result, args.lang),
        )

    from elevator.documents.feasibility import assessment_json, assessment_text, finding_rows
    from elevator.feasibility.checklist import assess
    from elevator.model.io import load_project

    project = load_project(args.project)
    result = assess(project)
    if args.output and args.output.lower().endswith(".pdf"):
        return _pdf(result, args, project)
    return _emit(
        args,
        lambda: assessment_json(result, project),
        lambda: finding_rows(result, args.lang),
        lambda: assessment_text(result, args.lang),
    )


def _emit(args: argparse.Namespace, as_json, as_rows, as_text) -> int:
    """The chosen format of a result: JSON, CSV rows or the text table."""
    if args.format == "json":
        write(json.dumps(as_json(), ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "csv":
        from elevator.documents.csvtext import csv_text

        headers, rows = as_rows()
        write(csv_text([headers, *rows]), args.output)
    else:
        write(as_text(), args.output)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from elevator.documents.community import sheet_template

    write(sheet_template(), args.output)
    return 0
