"""`elevator consent | negotiate | join | leave` (consultation and negotiation)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from elevator.cli.output import option_help
from elevator.core.text import both, t


def _out(text: str) -> None:
    sys.stdout.write(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("consent", help=both("cli.consent.help"))
    p.add_argument("project")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--rule", help=option_help("cli.consent.rule"))
    p.add_argument("--today", help=option_help("cli.consent.today"))
    p.set_defaults(func=cmd_consent)

    p = sub.add_parser("negotiate", help=both("cli.negotiate.help"))
    p.add_argument("project")
    p.add_argument("--constraints", required=True, help=option_help("cli.negotiate.constraints"))
    p.add_argument("--format", choices=["table", "json", "yaml"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_negotiate)

    p = sub.add_parser("join", help=both("cli.join.help"))
    p.add_argument("project")
    p.add_argument("--household", required=True)
    p.add_argument("--rate", help=option_help("cli.join.rate"))
    p.add_argument("--years", type=int, help=option_help("cli.join.years"))
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_join)

    p = sub.add_parser("leave", help=both("cli.leave.help"))
    p.add_argument("project")
    p.add_argument("--household", required=True)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_leave)


def _today(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    from elevator.core.errors import problem
    from elevator.core.types import FIRST_DAY, LAST_DAY

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise problem("--today", "cli.error.date") from None
    if not FIRST_DAY <= day <= LAST_DAY:  # as every date of the project file
        raise problem("--today", "error.date.range", date=text, first=FIRST_DAY, last=LAST_DAY)
    return day


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
    text = consent_text(result, args.lang)
    if section and section.objections:
        text += _objections_text(section.objections, args.lang)
    if publicity:
        text += _publicity_text(publicity, args.lang)
    _out(text)
    return 0


def _objections_text(objections, lang: str) -> str:
    text = t("cli.consent.objections", lang) + "\n"
    for o in objections:
        text += f"  {o.id} [{t(f'objection.{o.status}', lang)}] {o.household}: {o.reason}\n"
        if o.reply:
            text += f"      {t('cli.consent.reply', lang)}: {o.reply}\n"
    return text


def _publicity_text(publicity, lang: str) -> str:
    verdict = t(
        "cli.consent.may_close" if publicity.can_close else "cli.consent.cannot_close", lang
    )
    text = (
        t(
            "cli.consent.publicity",
            lang,
            start=publicity.start,
            days=publicity.working_days,
            last=publicity.last_day,
            verdict=verdict,
        )
        + "\n"
    )
    for line in publicity.reasons_zh if lang == "zh" else publicity.reasons_en:
        text += f"  - {line}\n"
    return text


def cmd_negotiate(args: argparse.Namespace) -> int:
    from elevator.model.io import load_project
    from elevator.plan.negotiate import describe, load_constraints, solve

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
        _out(_negotiation_data(n, constraints, words, args))
    elif not n.solved:
        _out(_conflict_text(n, constraints, words, args.lang))
    else:
        _out(_negotiation_text(n, args.lang))
    return 0 if n.solved else 1


def _negotiation_data(n, constraints, words, args: argparse.Namespace) -> str:
    """The negotiation as JSON or YAML: the coefficients and what each household pays,
    or the constraints that conflict."""
    from elevator.core.money import money_str
    from elevator.plan.negotiate import constraint_label, sharing_yaml

    zh = args.lang == "zh"
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

        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _conflict_text(n, constraints, words, lang: str) -> str:
    """No solution: the constraints that cannot all hold."""
    from elevator.plan.negotiate import constraint_label

    text = t("cli.negotiate.conflict", lang) + "\n"
    for i in n.conflict:
        text += f"  {constraint_label(constraints[i], i)}: {words(i)}\n"
    return text


def _negotiation_text(n, lang: str) -> str:
    """The coefficients per floor, the spread, each constraint checked, the fairness
    checks, and the sharing section to paste into the project file."""
    import yaml

    from elevator.core.money import money_str
    from elevator.documents.tables import text_table
    from elevator.plan.negotiate import sharing_yaml

    zh = lang == "zh"
    rows = [
        [
            str(f),
            str(n.coefficients[f]),
            money_str(n.pays[f]) if f in n.pays else "",
            f"{float(n.coefficients[f]):.4f}",
        ]
        for f in sorted(n.coefficients)
    ]
    headers = [t(f"cli.negotiate.col.{k}", lang) for k in ("floor", "exact", "pays", "approx")]
    text = text_table(headers, rows) + "\n"
    text += f"{t('cli.negotiate.spread', lang)}: {money_str(n.spread)}\n"
    for c in n.checks:
        ok = t("cli.negotiate.holds" if c.holds else "cli.negotiate.fails", lang)
        note = "" if c.holds_rounded else t("cli.negotiate.rounded_note", lang)
        text += f"  {c.label}: {c.zh if zh else c.en} — {ok}{note}\n"
    fair = n.fairness
    if fair is not None:
        for v in fair.violations:
            text += f"  ! {v.zh if zh else v.en}\n"
        if not fair.violations:
            text += t("cli.negotiate.fair", lang) + "\n"
    text += f"\n{both('cli.negotiate.paste')}:\n"
    return text + yaml.safe_dump(sharing_yaml(n), allow_unicode=True, sort_keys=False)


def cmd_join(args: argparse.Namespace) -> int:
    from elevator.documents.tables import text_table
    from elevator.model.io import load_project
    from elevator.plan.join import join_json, late_join

    r = late_join(load_project(args.project), args.household, args.rate, args.years)
    data = join_json(r)
    if args.format == "json":
        _out(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    lang = args.lang
    headers = [t("doc.col.room", lang)] + [
        t(f"cli.join.col.{k}", lang) for k in ("paid", "recomputed", "refund", "final")
    ]
    rows = [
        [h["id"], h["paid"], h["recomputed"], h["refund"] or "", h["final"]]
        for h in data["households"]
    ]
    text = text_table(headers, rows) + "\n"
    text += t("cli.join.buy_in", lang, household=r.household, amount=data["buy_in"])
    if r.years:
        text += t(
            "cli.join.indexed", lang, rate=r.rate, years=r.years, amount=data["buy_in_indexed"]
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
    headers = [t("doc.col.room", args.lang)] + [
        t(f"cli.leave.col.{k}", args.lang) for k in ("before", "after", "extra")
    ]
    rows = [[h["id"], h["before"], h["after"], h["extra"] or ""] for h in data["households"]]
    _out(text_table(headers, rows) + "\n")
    return 0
