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
    p.add_argument("--weights", choices=["households", "area"],
                   help="airport rules: per household or area-weighted (overrides sharing.weights)")
    p.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", help="write to this file instead of the screen")
    p.set_defaults(func=cmd_share)

    p = sub.add_parser("compare", help="多方案对比 / households under several schemes")
    p.add_argument("project")
    p.add_argument("--schemes", required=True, help="comma-separated scheme names, or 'all'")
    p.add_argument("--weights", choices=["households", "area"],
                   help="airport rules: per household or area-weighted (overrides sharing.weights)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", help="FILE.pdf / FILE.xlsx / FILE.png: document, "
                                          "workbook or chart (by the suffix)")
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
    from ..io import load_project
    from ..report import household_rows, share_json, share_text
    from ..sharing import compute_shares

    project = with_weights(load_project(args.project), getattr(args, "weights", None))
    result = compute_shares(project, args.scheme)
    if args.format == "json":
        _write(json.dumps(share_json(result, project), ensure_ascii=False, indent=2) + "\n",
               args.output)
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        headers, rows = household_rows(result, args.lang)
        writer.writerow(headers)
        writer.writerows(rows)
        _write(buf.getvalue(), args.output)
    elif args.format == "xlsx":
        from ..workbook import share_workbook   # noqa: PLC0415 (openpyxl only when asked)
        if not args.output:
            from ..errors import problem
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


def compare_results(project, names: list[str]):
    from ..sharing import compute_shares
    return [compute_shares(project, n) for n in names]


def scheme_list(spec: str, project=None) -> list[str]:
    from ..schemes import SCHEMES
    from ..errors import problem
    if spec == "all":
        return list(SCHEMES)
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in SCHEMES]
    if unknown or not names:
        raise problem("--schemes", f"未知方案：{', '.join(unknown) or '（空）'}",
                      f"unknown scheme(s): {', '.join(unknown) or '(none)'}")
    return names


def cmd_compare(args: argparse.Namespace) -> int:
    from ..io import load_project
    from ..money import money_str
    from ..report import text_table

    from ..fairness import PROPERTY_LABELS, check

    project = with_weights(load_project(args.project), getattr(args, "weights", None))
    names = scheme_list(args.schemes, project)
    results, skipped = [], []
    for n in names:
        try:
            results.extend(compare_results(project, [n]))
        except Exception as e:  # a scheme that cannot apply (e.g. needs fixed/per_floor) is listed
            from ..errors import ProjectError
            if not isinstance(e, ProjectError) or args.schemes != "all":
                raise
            skipped.append((n, e.problems[0]))
    suffix = (args.output or "").lower().rsplit(".", 1)[-1]
    if suffix in ("pdf", "xlsx", "png"):
        return _compare_file(project, results, skipped, suffix, args)
    headers = ["户号 room", "楼层 floor"] + [f"{r.scheme.zh} {r.scheme.name}" for r in results]
    rows = []
    for i, h in enumerate(project.building.households):
        rows.append([h.id, str(h.floor)] + [money_str(r.households[i].share) for r in results])
    rows.append(["合计 total", ""] + [money_str(sum(x.share for x in r.households)) for r in results])
    reports = [check(r, project) for r in results]
    # the properties each split actually has (fairness.check), under the shares
    marks = {None: "—", True: "✓", False: "✗"}
    prop_rows = [[f"{zh_label} {key}", ""] + [marks[rep.properties()[key]] for rep in reports]
                 for key, (zh_label, _) in
                 ((k, (v[0].split("（")[0], v[1])) for k, v in PROPERTY_LABELS.items())]
    if args.format == "json":
        data = {"project": project.name, "schemes": [r.scheme.name for r in results],
                "weights": project.sharing.weights,
                "households": [{"id": row[0], "floor": int(row[1]),
                                "shares": dict(zip([r.scheme.name for r in results], row[2:]))}
                               for row in rows[:-1]],
                "properties": {r.scheme.name: rep.properties() for r, rep in zip(results, reports)},
                "violations": {r.scheme.name: [v.as_dict() for v in rep.violations]
                               for r, rep in zip(results, reports)},
                "skipped": [{"scheme": n, "zh": p.zh, "en": p.en} for n, p in skipped]}
        _write(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows([headers, *rows, *prop_rows])
        _write(buf.getvalue(), args.output)
    else:
        text = text_table(headers, [*rows, *prop_rows]) + "\n"
        text += "✓ 满足 holds  ✗ 不满足 fails  — 无法检查 cannot check (no cost ladder)\n"
        for n, p in skipped:
            text += f"未计算 not computed: {n}: {p.zh} / {p.en}\n"
        _write(text, args.output)
    return 0


def _compare_file(project, results, skipped, suffix: str, args: argparse.Namespace) -> int:
    """compare -o FILE.pdf | .xlsx | .png (elevator.printing, .workbook, .charts)."""
    from ..errors import problem
    if not results:
        raise problem("--schemes", "没有可计算的方案", "no scheme could be computed")
    if suffix == "xlsx":
        from ..workbook import compare_workbook
        compare_workbook(project, results, args.lang).save(args.output)
        return 0
    if suffix == "png":
        from ..charts import compare_png
        data = compare_png(results, args.lang)
    else:
        from ..printing import compare_pdf
        reasons = [(n, p.zh if args.lang == "zh" else p.en) for n, p in skipped]
        data = compare_pdf(project, results, args.lang, reasons)
    _write(data, args.output)
    return 0


def cmd_schemes(args: argparse.Namespace) -> int:
    from ..formulas import formula_for
    from ..schemes import SCHEMES

    for s in SCHEMES.values():
        f = formula_for(s.name)
        label, words = (s.zh, s.words_zh) if args.lang == "zh" else (s.en, s.words_en)
        print(f"{s.name:<20} {label}\n    {words}\n    S_i = {f['text']}\n    LaTeX: {f['latex']}")
        if s.source:
            print(f"    {s.source}")
    print("\n" + (f.get("legend") or ""))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..model import Project
    _write(json.dumps(Project.model_json_schema(), ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..io import load_project
    from ..sharing import compute_shares

    project = load_project(args.project)
    compute_shares(project)    # scheme-dependent checks (coefficients, funding) too
    print(f"有效 valid: {project.name} ({Path(args.project).name})")
    return 0
