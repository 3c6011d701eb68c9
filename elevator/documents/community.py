"""A community's checklist summary as rows, text and JSON, and the blank sheet template."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Any

from elevator.core.money import money_str
from elevator.core.text import Msg, t
from elevator.documents.feasibility import assessment_json
from elevator.documents.tables import text_table
from elevator.model.site import site_fact_info, stage_checklists
from elevator.plan.community import _SHEET_COLUMNS, CommunityResult


def _m(x: Fraction | None) -> str:
    return "—" if x is None else money_str(x)


SUMMARY_COLUMNS = (
    "building",
    "unit",
    "floors",
    "households",
    "verdict",
    "detail",
    "condition_cost",
    "subsidy",
    "stage",
)


def summary_rows(result: CommunityResult, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    stage_names = {
        k: v["name"]["zh" if lang == "zh" else "en"] for k, v in stage_checklists().items()
    }
    quote = t("doc.check.to_quote", lang)
    rows = []
    for r in result.rows:
        s, a = r.stairwell, r.assessment
        cost = ""
        if a.conditions:
            cost = money_str(a.condition_cost) if a.condition_cost or not a.uncosted else quote
            if a.condition_cost and a.uncosted:
                cost += f" + {quote}"
        detail = reason_words(a, lang)
        rows.append(
            [
                s.building,
                s.unit,
                str(s.floors or "—"),
                str(s.households or "—"),
                t(f"verdict.{a.verdict}", lang),
                detail,
                cost,
                _m(r.subsidy),
                stage_names.get(s.stage, ""),
            ]
        )
    return [t(f"doc.community.col.{k}", lang) for k in SUMMARY_COLUMNS], rows


def reason_words(a, lang: str = "zh") -> str:
    """Why a stairwell has its verdict, in words: the blocking items' questions, the
    facts still needed, or the conditions."""
    from elevator.documents.feasibility import fact_label, item_words  # noqa: PLC0415

    sep = t("doc.sep.list", lang)
    if a.blocking:
        return sep.join(item_words(a, a.blocking, lang))
    if a.missing:
        facts = sep.join(fact_label(m, lang) for m in a.missing)
        return t("doc.community.missing", lang, facts=facts)
    return sep.join(c.text_zh if lang == "zh" else c.text_en for c in a.conditions)


def community_text(result: CommunityResult, lang: str = "zh") -> str:
    lines = [result.name]
    if result.illustrative:
        lines.append(t("doc.community.illustrative", lang))
    if result.note:
        lines.append(result.note.strip())
    lines.append("")
    headers, rows = summary_rows(result, lang)
    lines.append(text_table(headers, rows))
    lines.append("")
    lines += _totals_text(result, lang)
    return "\n".join(lines) + "\n"


def _totals_text(result: CommunityResult, lang: str) -> list[str]:
    """How many stairwells got each verdict, and what their conditions and subsidies cost."""
    colon = t("doc.sep.colon", lang)
    # the Chinese line names each verdict in words before its key
    counts = "  ".join(
        (f"{t(f'verdict.{v}', 'zh')} {v}" if lang == "zh" else v) + f": {n}"
        for v, n in result.counts.items()
    )
    lines = [
        t("doc.community.counts", lang) + colon + counts,
        t(
            "doc.community.totals",
            lang,
            buildings=result.buildings,
            stairwells=len(result.rows),
            households=result.households,
        ),
    ]
    uncosted = sum(
        1 for r in result.rows if r.assessment.verdict == "conditional" and r.assessment.uncosted
    )
    lines.append(
        t("doc.community.condition_cost", lang, amount=money_str(result.condition_cost))
        + (t("doc.community.uncosted", lang, count=uncosted) if uncosted else "")
    )
    for verdict in ("feasible", "conditional"):
        unknown = result.subsidy_unknown(verdict)
        lines.append(
            t(
                "doc.community.subsidy",
                lang,
                verdict=Msg(f"verdict.{verdict}"),
                amount=money_str(result.subsidy(verdict)),
            )
            + (t("doc.community.subsidy_unknown", lang, count=unknown) if unknown else "")
        )
    if result.expected:
        figures = ", ".join(f"{k} {v}" for k, v in result.expected.items())
        lines.append(t("doc.community.published", lang) + colon + figures)
    return lines


def community_json(result: CommunityResult, details: bool = False) -> dict[str, Any]:
    rows = []
    for r in result.rows:
        s, a = r.stairwell, r.assessment
        row = {
            "building": s.building,
            "unit": s.unit,
            "where": s.where,
            "floors": s.floors,
            "households": s.households,
            "policy": a.policy,
            "stage": s.stage,
            "verdict": a.verdict,
            "blocking": list(a.blocking),
            "conditions": [c.rule for c in a.conditions],
            "condition_cost": money_str(a.condition_cost),
            "uncosted": list(a.uncosted),
            "missing": list(a.missing),
            "subsidy": None if r.subsidy is None else money_str(r.subsidy),
        }
        if details:
            row["assessment"] = assessment_json(a, s.project)
        rows.append(row)
    return {
        "community": result.name,
        "source": result.source,
        "illustrative": result.illustrative,
        "note": result.note,
        "expected": result.expected,
        "stairwells": rows,
        "counts": result.counts,
        "totals": {
            "buildings": result.buildings,
            "stairwells": len(result.rows),
            "households": result.households,
            "condition_cost": money_str(result.condition_cost),
            "subsidy_feasible": money_str(result.subsidy("feasible")),
            "subsidy_conditional": money_str(result.subsidy("conditional")),
            "subsidy_unknown": {v: result.subsidy_unknown(v) for v in ("feasible", "conditional")},
        },
    }


def sheet_template(lang_both: bool = True) -> str:
    """A CSV header (and one example row) evaluators can fill, one row per stairwell."""
    info = site_fact_info()
    names = list(_SHEET_COLUMNS) + [n for n in info if n != "storeys"]
    # each column's Chinese name (ours, or the site fact's from the data) before its key
    header = [
        f"{t(f'doc.sheet.{n}', 'zh') if n in _SHEET_COLUMNS else info[n]['zh']} {n}"
        if lang_both
        else n
        for n in names
    ]
    buf = io.StringIO()
    csv.writer(buf).writerow(header)
    return buf.getvalue()
