"""`elevator consent | negotiate | join | leave` (consultation and negotiation)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys


def _out(text: str) -> None:
    sys.stdout.write(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("consent", help="表决结果与缺口 / consent against the legal thresholds")
    p.add_argument("project")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--rule", help="evaluate under this rule instead of the project's")
    p.add_argument("--today", help="date for the publicity period (YYYY-MM-DD; default today)")
    p.set_defaults(func=cmd_consent)

    p = sub.add_parser(
        "negotiate", help="按约定条件求楼层系数 / floor coefficients meeting agreed constraints"
    )
    p.add_argument("project")
    p.add_argument("--constraints", required=True, help="constraints file (YAML)")
    p.add_argument("--format", choices=["table", "json", "yaml"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_negotiate)

    p = sub.add_parser("join", help="后加入住户的补交与退款 / late joiner: buy-in and refunds")
    p.add_argument("project")
    p.add_argument("--household", required=True)
    p.add_argument("--rate", help="yearly rate for indexing, e.g. 0.03 or 3%%")
    p.add_argument("--years", type=int, help="whole years since construction")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_join)

    p = sub.add_parser(
        "leave", help="施工前退出：份额重新分摊 / a household leaving before construction"
    )
    p.add_argument("project")
    p.add_argument("--household", required=True)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_leave)


def _today(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from elevator.core.errors import problem

        raise problem("--today", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD") from None


def cmd_consent(args: argparse.Namespace) -> int:
    from elevator.consent.publicity import publicity_status
    from elevator.documents.consent import consent_json, consent_text
    from elevator.model.io import load_project
    from elevator.plan.compose import consent

    project = load_project(args.project)
    result = consent(project, rule=args.rule)
    section = project.consent
    publicity = None
    if section and section.publicity:
        publicity = publicity_status(section.publicity, section.objections, _today(args.today))
    if args.format == "json":
        data = consent_json(result)
        if section:
            data["objections"] = [
                o.model_dump(mode="json", exclude_none=True) for o in section.objections
            ]
        if publicity:
            data["publicity"] = publicity.as_dict()
        _out(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    zh = args.lang == "zh"
    text = consent_text(result, args.lang)
    if section and section.objections:
        status = {
            "open": ("待答复", "open"),
            "answered": ("已答复", "answered"),
            "withdrawn": ("已撤回", "withdrawn"),
        }
        text += "异议：\n" if zh else "objections:\n"
        for o in section.objections:
            text += f"  {o.id} [{status[o.status][0 if zh else 1]}] {o.household}: {o.reason}\n"
            if o.reply:
                text += f"      {'答复' if zh else 'reply'}: {o.reply}\n"
    if publicity:
        verdict = (
            ("可以结束" if publicity.can_close else "不能结束")
            if zh
            else ("may close" if publicity.can_close else "cannot close")
        )
        text += (
            f"{'公示期' if zh else 'publicity'}: {publicity.start} + {publicity.working_days} "
            f"{'个工作日，至' if zh else 'working days, through'} {publicity.last_day}; {verdict}\n"
        )
        for line in publicity.reasons_zh if zh else publicity.reasons_en:
            text += f"  - {line}\n"
    _out(text)
    return 0


def cmd_negotiate(args: argparse.Namespace) -> int:
    from elevator.core.money import money_str
    from elevator.documents.tables import text_table
    from elevator.model.io import load_project
    from elevator.plan.negotiate import (
        constraint_label,
        describe,
        load_constraints,
        sharing_yaml,
        solve,
    )

    project = load_project(args.project)
    constraints = load_constraints(args.constraints)
    n = solve(project, constraints)
    zh = args.lang == "zh"

    def words(i: int) -> str:
        c = constraints[i]
        if c.text:
            return c.text
        return describe(c)[0 if zh else 1]

    if args.format in ("json", "yaml"):
        data = {
            "solved": n.solved,
            "conflict": [
                {"constraint": constraint_label(constraints[i], i), "text": words(i)}
                for i in n.conflict
            ],
        }
        if n.solved:
            data.update(sharing_yaml(n))
            data["spread"] = money_str(n.spread)
            data["spread_exact"] = str(n.spread)
            data["pays"] = {f: money_str(v) for f, v in n.pays.items()}
            data["pays_exact"] = {f: str(v) for f, v in n.pays.items()}
            data["checks"] = [
                {
                    "constraint": c.label,
                    "text": c.zh if zh else c.en,
                    "holds": c.holds,
                    "holds_rounded": c.holds_rounded,
                }
                for c in n.checks
            ]
            data["fairness"] = [
                {"kind": v.kind, "zh": v.zh, "en": v.en}
                for v in (n.fairness.violations if n.fairness else ())
            ]
            data["households"] = [
                {"id": h.id, "floor": h.floor, "share": money_str(h.share), "exact": str(h.exact)}
                for h in n.result.households
            ]
        if args.format == "yaml":
            import yaml

            _out(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        else:
            _out(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0 if n.solved else 1
    if not n.solved:
        _out(
            "约束相互冲突，无解。以下约束不能同时满足（去掉其中任一条即可求解）：\n"
            if zh
            else "The constraints conflict; these cannot all hold (drop any one of them and the "
            "rest can be met):\n"
        )
        for i in n.conflict:
            _out(f"  {constraint_label(constraints[i], i)}: {words(i)}\n")
        return 1
    rows = [
        [
            str(f),
            str(n.coefficients[f]),
            money_str(n.pays[f]) if f in n.pays else "",
            f"{float(n.coefficients[f]):.4f}",
        ]
        for f in sorted(n.coefficients)
    ]
    headers = (
        ["楼层", "系数（精确）", "每户应付", "系数≈"]
        if zh
        else ["floor", "coefficient (exact)", "pays per household", "≈"]
    )
    text = text_table(headers, rows) + "\n"
    text += (
        f"{'层间差距（最高与最低每户应付之差，已取最小）' if zh else 'spread (highest minus lowest pay per household, minimised)'}: "
        f"{money_str(n.spread)}\n"
    )
    for c in n.checks:
        ok = ("满足" if zh else "holds") if c.holds else ("不满足" if zh else "FAILS")
        note = (
            ""
            if c.holds_rounded
            else (
                "（舍入后的金额不严格满足，精确份额满足）"
                if zh
                else " (not strictly on the rounded amounts; exact on the exact shares)"
            )
        )
        text += f"  {c.label}: {c.zh if zh else c.en} — {ok}{note}\n"
    fair = n.fairness
    if fair is not None:
        for v in fair.violations:
            text += f"  ! {v.zh if zh else v.en}\n"
        if not fair.violations:
            text += "公平性检查：无问题\n" if zh else "fairness checks: no problems\n"
    import yaml

    text += "\n可粘贴到项目文件 / paste into the project file:\n" + yaml.safe_dump(
        sharing_yaml(n), allow_unicode=True, sort_keys=False
    )
    _out(text)
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    from elevator.documents.tables import text_table
    from elevator.model.io import load_project
    from elevator.plan.join import join_json, late_join

    r = late_join(load_project(args.project), args.household, args.rate, args.years)
    data = join_json(r)
    if args.format == "json":
        _out(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    zh = args.lang == "zh"
    headers = (
        ["户号", "已付", "重算份额", "退款", "最终"]
        if zh
        else ["room", "paid", "recomputed", "refund", "final"]
    )
    rows = [
        [h["id"], h["paid"], h["recomputed"], h["refund"] or "", h["final"]]
        for h in data["households"]
    ]
    text = text_table(headers, rows) + "\n"
    if zh:
        text += f"{r.household} 补交 {data['buy_in']} 元"
        if r.years:
            text += f"，按年利率 {r.rate} 复利 {r.years} 年折算为 {data['buy_in_indexed']} 元"
    else:
        text += f"{r.household} pays {data['buy_in']} yuan"
        if r.years:
            text += (
                f", indexed at {r.rate} a year over {r.years} years to "
                f"{data['buy_in_indexed']} yuan"
            )
    text += "\n" + "".join(f"  ! {w}\n" for w in r.warnings)
    _out(text)
    return 0


def cmd_leave(args: argparse.Namespace) -> int:
    from elevator.documents.tables import text_table
    from elevator.model.io import load_project
    from elevator.plan.join import leave, leave_json

    data = leave_json(leave(load_project(args.project), args.household))
    if args.format == "json":
        _out(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    zh = args.lang == "zh"
    headers = ["户号", "原份额", "新份额", "增加"] if zh else ["room", "before", "after", "extra"]
    rows = [[h["id"], h["before"], h["after"], h["extra"] or ""] for h in data["households"]]
    _out(text_table(headers, rows) + "\n")
    return 0
