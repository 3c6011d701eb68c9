"""`elevator share | compare | schemes | schema | validate`."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path


def _write(text: str | bytes, output: str | None) -> None:
    if output:
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(output, mode, **({} if isinstance(text, bytes) else {"encoding": "utf-8"})) as fh:
            fh.write(text)
    else:
        sys.stdout.write(text if isinstance(text, str) else text.decode())


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("share", help="分摊表 / cost table of one stairwell")
    p.add_argument("project", help="project file (YAML or JSON)")
    p.add_argument("--scheme", help="override the project's scheme")
    p.add_argument(
        "--weights",
        choices=["households", "area"],
        help="airport rules: per household or area-weighted (overrides sharing.weights)",
    )
    p.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", help="write to this file instead of the screen")
    p.set_defaults(func=cmd_share)

    p = sub.add_parser("compare", help="多方案对比 / households under several schemes")
    p.add_argument("project")
    p.add_argument("--schemes", required=True, help="comma-separated scheme names, or 'all'")
    p.add_argument(
        "--weights",
        choices=["households", "area"],
        help="airport rules: per household or area-weighted (overrides sharing.weights)",
    )
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument(
        "-o",
        "--output",
        help="FILE.pdf / FILE.xlsx / FILE.png: document, workbook or chart (by the suffix)",
    )
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("schemes", help="可选方案及公式 / the schemes and their formulas")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_schemes)

    p = sub.add_parser("schema", help="项目文件 JSON Schema / JSON Schema of the project file")
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("validate", help="检查项目文件 / validate a project file")
    p.add_argument("project")
    p.set_defaults(func=cmd_validate)


def cmd_share(args: argparse.Namespace) -> int:
    from elevator.documents.tables import household_rows, share_json, share_text
    from elevator.model.io import load_project
    from elevator.plan.compose import shares as compute_shares

    project = with_weights(load_project(args.project), getattr(args, "weights", None))
    result = compute_shares(project, args.scheme)
    if args.format == "json":
        _write(
            json.dumps(share_json(result, project), ensure_ascii=False, indent=2) + "\n",
            args.output,
        )
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        headers, rows = household_rows(result, args.lang)
        writer.writerow(headers)
        writer.writerows(rows)
        _write(buf.getvalue(), args.output)
    elif args.format == "xlsx":
        from elevator.documents.workbook import share_workbook  # noqa: PLC0415 (openpyxl only when asked)

        if not args.output:
            from elevator.core.errors import problem

            raise problem("--output", "xlsx 需要 -o 文件名", "xlsx needs -o FILE.xlsx")
        share_workbook(result, lang=args.lang, project=project).save(args.output)
    else:
        _write(share_text(result, args.lang, project), args.output)
    return 0


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
        raise problem(
            "--schemes",
            f"未知方案：{', '.join(unknown) or '（空）'}",
            f"unknown scheme(s): {', '.join(unknown) or '(none)'}",
        )
    return names


def cmd_compare(args: argparse.Namespace) -> int:
    from elevator.documents.comparison import MARKS_LEGEND, property_rows, share_rows
    from elevator.documents.tables import text_table
    from elevator.model.io import load_project
    from elevator.plan.compare import compare
    from elevator.sharing.fairness import PROPERTY_LABELS

    project = with_weights(load_project(args.project), getattr(args, "weights", None))
    names = scheme_list(args.schemes, project)
    # with 'all', a scheme that cannot apply (e.g. needs fixed/per_floor) is listed, not fatal
    c = compare(project, names, skip_inapplicable=args.schemes == "all")
    suffix = (args.output or "").lower().rsplit(".", 1)[-1]
    if suffix in ("pdf", "xlsx", "png"):
        return _compare_file(c, suffix, args)
    headers, rows = share_rows(c, args.lang)
    headers[2:] = [f"{h} {r.scheme.name}" for h, r in zip(headers[2:], c.results)]
    prop_rows = [
        [f"{row[0]} {key}", *row[1:]]
        for key, row in zip(PROPERTY_LABELS, property_rows(c, args.lang))
    ]
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
        _write(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows([headers, *rows, *prop_rows])
        _write(buf.getvalue(), args.output)
    else:
        text = text_table(headers, [*rows, *prop_rows]) + "\n"
        text += f"{MARKS_LEGEND[0]} / {MARKS_LEGEND[1]}\n"
        for n, p in c.skipped:
            text += f"未计算 not computed: {n}: {p.zh} / {p.en}\n"
        _write(text, args.output)
    return 0


def _compare_file(c, suffix: str, args: argparse.Namespace) -> int:
    """compare -o FILE.pdf | .xlsx | .png (elevator.printing, .workbook, .charts)."""
    from elevator.core.errors import problem

    if not c.results:
        raise problem("--schemes", "没有可计算的方案", "no scheme could be computed")
    if suffix == "xlsx":
        from elevator.documents.workbook import compare_workbook

        compare_workbook(c.project, list(c.results), args.lang).save(args.output)
        return 0
    if suffix == "png":
        from elevator.documents.charts import compare_png

        data = compare_png(list(c.results), args.lang)
    else:
        from elevator.documents.pdf import compare_pdf

        data = compare_pdf(c, args.lang)
    _write(data, args.output)
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

    _write(
        json.dumps(Project.model_json_schema(), ensure_ascii=False, indent=2) + "\n", args.output
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from elevator.model.io import load_project
    from elevator.plan.compose import shares as compute_shares

    project = load_project(args.project)
    compute_shares(project)  # scheme-dependent checks (coefficients, funding) too
    print(f"有效 valid: {project.name} ({Path(args.project).name})")
    return 0
