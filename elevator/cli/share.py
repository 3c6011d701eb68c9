"""`elevator share | compare | schemes | schema | validate`."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from elevator.cli.output import option_help, side_by_side, write
from elevator.core.text import Msg, both


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("share", help=both("cli.share.help"))
    p.add_argument("project", help=option_help("cli.opt.project"))
    p.add_argument("--scheme", help=option_help("cli.opt.scheme"))
    p.add_argument("--weights", choices=["households", "area"], help=option_help("cli.opt.weights"))
    p.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", help=option_help("cli.share.output"))
    p.set_defaults(func=cmd_share)

    p = sub.add_parser("compare", help=both("cli.compare.help"))
    p.add_argument("project")
    p.add_argument("--schemes", required=True, help=option_help("cli.compare.schemes"))
    p.add_argument("--weights", choices=["households", "area"], help=option_help("cli.opt.weights"))
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", help=option_help("cli.compare.output"))
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("schemes", help=both("cli.schemes.help"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_schemes)

    p = sub.add_parser("schema", help=both("cli.schema.help"))
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("validate", help=both("cli.validate.help"))
    p.add_argument("project")
    p.set_defaults(func=cmd_validate)


def cmd_share(args: argparse.Namespace) -> int:
    from elevator.documents.tables import household_rows, share_json, share_text
    from elevator.model.io import load_project
    from elevator.plan.compose import shares as compute_shares

    project = with_weights(load_project(args.project), getattr(args, "weights", None))
    result = compute_shares(project, args.scheme)
    if args.format == "json":
        write(
            json.dumps(share_json(result, project), ensure_ascii=False, indent=2) + "\n",
            args.output,
        )
    elif args.format == "csv":
        from elevator.documents.csvtext import csv_text

        headers, rows = household_rows(result, args.lang)
        write(csv_text([headers, *rows]), args.output)
    elif args.format == "xlsx":
        from elevator.documents.workbook import share_workbook  # noqa: PLC0415 (openpyxl only when asked)

        if not args.output:
            from elevator.core.errors import problem

            raise problem("--output", "cli.share.xlsx_needs_output")
        write(workbook_bytes(share_workbook(result, lang=args.lang, project=project)), args.output)
    else:
        write(share_text(result, args.lang, project), args.output)
    return 0


def workbook_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_weights(project, weights: str | None):
    """The project with sharing.weights overridden (None: unchanged)."""
    if not weights or weights == project.sharing.weights:
        return project
    sharing = project.sharing.model_copy(update={"weights": weights})
    return project.model_copy(update={"sharing": sharing})


def scheme_list(spec: str, project=None) -> list[str]:
    from elevator.core.errors import problem
    from elevator.sharing.schemes import SCHEMES

    if spec == "all":
        return list(SCHEMES)
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in SCHEMES]
    if unknown or not names:
        names = ", ".join(unknown) or Msg("cli.compare.no_schemes")
        raise problem("--schemes", "cli.compare.unknown_schemes", names=names)
    return names


def cmd_compare(args: argparse.Namespace) -> int:
    from elevator.documents.comparison import (
        PROPERTIES,
        property_rows,
        share_rows,
        skipped_lines,
    )
    from elevator.documents.tables import text_table
    from elevator.model.io import load_project
    from elevator.plan.compare import compare

    project = with_weights(load_project(args.project), getattr(args, "weights", None))
    names = scheme_list(args.schemes, project)
    # with 'all', a scheme that cannot apply (e.g. needs fixed/per_floor) is listed, not fatal
    c = compare(project, names, skip_inapplicable=args.schemes == "all")
    suffix = (args.output or "").lower().rsplit(".", 1)[-1]
    if suffix in ("pdf", "xlsx", "png"):
        return _compare_file(c, suffix, args)
    headers, rows = share_rows(c, args.lang)
    prop_rows = property_rows(c, args.lang)
    if args.format == "json":
        data = {
            "project": project.name,
            "schemes": [r.scheme.name for r in c.results],
            "weights": project.sharing.weights,
            "households": [
                {
                    "id": row[0],
                    "floor": int(row[1]),
                    "shares": dict(zip([r.scheme.name for r in c.results], row[2:])),
                }
                for row in rows[:-1]
            ],
            "properties": {r.scheme.name: rep.properties() for r, rep in zip(c.results, c.reports)},
            "violations": {
                r.scheme.name: [v.as_dict() for v in rep.violations]
                for r, rep in zip(c.results, c.reports)
            },
            "skipped": [{"scheme": n, "zh": p.zh, "en": p.en} for n, p in c.skipped],
        }
        write(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "csv":
        # a sheet for further work: each column and property also named by its key
        from elevator.documents.csvtext import csv_text

        headers[2:] = [f"{h} {r.scheme.name}" for h, r in zip(headers[2:], c.results)]
        keyed = [[f"{row[0]} {key}", *row[1:]] for key, row in zip(PROPERTIES, prop_rows)]
        write(csv_text([headers, *rows, *keyed]), args.output)
    else:
        text = text_table(headers, [*rows, *prop_rows]) + "\n"
        text += both("doc.compare.marks") + "\n"
        text += "".join(line + "\n" for line in skipped_lines(c, args.lang))
        write(text, args.output)
    return 0


def _compare_file(c, suffix: str, args: argparse.Namespace) -> int:
    """compare -o FILE.pdf | .xlsx | .png (elevator.printing, .workbook, .charts)."""
    from elevator.core.errors import problem

    if not c.results:
        raise problem("--schemes", "cli.compare.nothing_computed")
    if suffix == "xlsx":
        from elevator.documents.workbook import compare_workbook

        write(workbook_bytes(compare_workbook(c.project, list(c.results), args.lang)), args.output)
        return 0
    if suffix == "png":
        from elevator.documents.charts import compare_png

        data = compare_png(list(c.results), args.lang)
    else:
        from elevator.documents.pdf import compare_pdf

        data = compare_pdf(c, args.lang)
    write(data, args.output)
    return 0


def cmd_schemes(args: argparse.Namespace) -> int:
    from elevator.sharing.formulas import formula_for
    from elevator.sharing.schemes import SCHEMES

    for s in SCHEMES.values():
        f = formula_for(s.name)
        label, words = (s.zh, s.words_zh) if args.lang == "zh" else (s.en, s.words_en)
        print(f"{s.name:<20} {label}\n    {words}\n    S_i = {f['text']}\n    LaTeX: {f['latex']}")
        if s.source:
            print(f"    {s.source}")
    print("\n" + (f.get("legend") or ""))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from elevator.model.project import Project

    write(json.dumps(Project.model_json_schema(), ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from elevator.model.io import load_project
    from elevator.plan.compose import shares as compute_shares

    project = load_project(args.project)
    compute_shares(project)  # scheme-dependent checks (coefficients, funding) too
    if project.policy:  # a known name even when the project lists its own subsidies
        from elevator.policy.parameters import load_policy

        load_policy(project.policy)
    print(f"{side_by_side('cli.validate.valid')}: {project.name} ({Path(args.project).name})")
    return 0
