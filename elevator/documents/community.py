"""A community's checklist summary as rows, text and JSON, and the blank sheet template."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Any

from elevator.core.money import money_str
from elevator.documents.feasibility import assessment_json
from elevator.documents.tables import text_table
from elevator.feasibility.checklist import VERDICT_LABELS
from elevator.model.site import site_fact_info, stage_checklists
from elevator.plan.community import _SHEET_COLUMNS, CommunityResult


def _m(x: Fraction | None) -> str:
    return "—" if x is None else money_str(x)


def summary_rows(result: CommunityResult, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    i = 0 if lang == "zh" else 1
    headers = [
        ("楼栋", "Building"),
        ("单元", "Unit"),
        ("层数", "Floors"),
        ("户数", "Households"),
        ("结论", "Verdict"),
        ("阻断项 / 条件 / 缺少", "Blocking / conditions / missing"),
        ("条件费用", "Condition cost"),
        ("补贴", "Subsidy"),
        ("阶段", "Stage"),
    ]
    stage_names = {
        k: v["name"]["zh" if lang == "zh" else "en"] for k, v in stage_checklists().items()
    }
    quote = "待报价" if lang == "zh" else "to be quoted"
    rows = []
    for r in result.rows:
        s, a = r.stairwell, r.assessment
        cost = ""
        if a.conditions:
            cost = money_str(a.condition_cost) if a.condition_cost or not a.uncosted else quote
            if a.condition_cost and a.uncosted:
                cost += f" + {quote}"
        if a.blocking:
            detail = ", ".join(a.blocking)
        elif a.missing:
            detail = ("缺 " if lang == "zh" else "missing ") + ", ".join(a.missing)
        else:
            detail = ", ".join(c.rule for c in a.conditions)
        rows.append(
            [
                s.building,
                s.unit,
                str(s.floors or "—"),
                str(s.households or "—"),
                VERDICT_LABELS[a.verdict][i],
                detail,
                cost,
                _m(r.subsidy),
                stage_names.get(s.stage, ""),
            ]
        )
    return [h[i] for h in headers], rows


def community_text(result: CommunityResult, lang: str = "zh") -> str:
    zh = lang == "zh"
    i = 0 if zh else 1
    lines = [result.name]
    if result.illustrative:
        lines.append(
            "【示例数据】各楼栋资料为示意，并非实测。"
            if zh
            else "[ILLUSTRATIVE] per-building facts are invented, not measured."
        )
    if result.note:
        lines.append(result.note.strip())
    lines.append("")
    headers, rows = summary_rows(result, lang)
    lines.append(text_table(headers, rows))
    lines.append("")
    counts = "  ".join(
        (f"{VERDICT_LABELS[v][0]} {v}" if zh else v) + f": {n}" for v, n in result.counts.items()
    )
    lines.append(("各结论数量：" if zh else "Counts: ") + counts)
    lines.append(
        (
            "楼栋 / 单元（电梯）/ 户数："
            if zh
            else "Buildings / stairwells (elevators) / households: "
        )
        + f"{result.buildings} / {len(result.rows)} / {result.households}"
    )
    uncosted = sum(
        1 for r in result.rows if r.assessment.verdict == "conditional" and r.assessment.uncosted
    )
    lines.append(
        (
            "有条件可行单元的条件费用合计："
            if zh
            else "Total condition cost (conditional stairwells): "
        )
        + money_str(result.condition_cost)
        + (f"（另有 {uncosted} 个单元的条件待报价）" if zh and uncosted else "")
        + (
            f" (+ {uncosted} stairwell(s) with conditions to be quoted)"
            if not zh and uncosted
            else ""
        )
    )
    for verdict in ("feasible", "conditional"):
        unknown = result.subsidy_unknown(verdict)
        label = VERDICT_LABELS[verdict][i]
        lines.append(
            (
                f"{label}单元按各自政策所需补贴合计："
                if zh
                else f"Subsidy the {label} stairwells would need under their policy: "
            )
            + money_str(result.subsidy(verdict))
            + (
                (
                    f"（{unknown} 个单元缺造价，未计）"
                    if zh
                    else f" ({unknown} without a cost, not counted)"
                )
                if unknown
                else ""
            )
        )
    if result.expected:
        lines.append(
            ("公开数据：" if zh else "Published figures: ")
            + ", ".join(f"{k} {v}" for k, v in result.expected.items())
        )
    return "\n".join(lines) + "\n"


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
    labels = {
        "building": "楼栋",
        "unit": "单元",
        "floors": "层数",
        "households": "户数",
        "policy": "政策",
        "date": "日期",
        "stage": "阶段",
        "cost_total": "造价",
        "cost_fixed": "固定费用",
        "cost_per_floor": "每层费用",
    }
    header = [f"{labels.get(n) or info[n]['zh']} {n}" if lang_both else n for n in names]
    buf = io.StringIO()
    csv.writer(buf).writerow(header)
    return buf.getvalue()
