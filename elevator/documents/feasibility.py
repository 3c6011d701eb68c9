"""A checklist result as JSON, table rows and text (elevator check, the report, the app)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from elevator.core.money import money_str
from elevator.feasibility.checklist import (
    AREA_LABELS,
    RESULT_LABELS,
    VERDICT_LABELS,
    Assessment,
    Finding,
    _fact_label,
    _num,
)
from elevator.feasibility.workflow import workflow_status


def _money(x: Fraction | None) -> str | None:
    return None if x is None else money_str(x)


def finding_json(f: Finding) -> dict[str, Any]:
    out = {
        "rule": f.rule,
        "area": f.area,
        "result": f.result,
        "message": f.message,
        "message_zh": f.message_zh,
        "message_en": f.message_en,
        "question_zh": f.question_zh,
        "question_en": f.question_en,
        "source": f.source,
        "confidence": f.confidence,
    }
    if f.href:
        out["href"] = f.href
    if f.remedy_zh:
        out["remedy_zh"], out["remedy_en"] = f.remedy_zh, f.remedy_en
    if f.missing:
        out["missing"] = list(f.missing)
    if f.threshold:
        t = f.threshold
        out["threshold"] = {
            "name": t.name,
            "value": _num(t.value),
            "policy": t.policy,
            "source": t.source,
            "confidence": t.confidence,
        }
    return out


def assessment_json(a: Assessment, project=None) -> dict[str, Any]:
    zh, en = VERDICT_LABELS[a.verdict]
    out: dict[str, Any] = {
        "name": a.name,
        "policy": a.policy,
        "date": a.date.isoformat(),
        "verdict": a.verdict,
        "verdict_zh": zh,
        "verdict_en": en,
        "findings": [finding_json(f) for f in a.findings],
        "blocking": list(a.blocking),
        "conditions": [
            {
                "rule": c.rule,
                "condition_zh": c.text_zh,
                "condition_en": c.text_en,
                "cost_key": c.cost_key,
                "cost": _money(c.cost),
                "cost_source": c.cost_source,
            }
            for c in a.conditions
        ],
        "condition_cost": money_str(a.condition_cost),
        "uncosted": list(a.uncosted),
        "missing": list(a.missing),
        "missing_labels": [
            {"fact": m, "zh": _fact_label(m, "zh"), "en": _fact_label(m, "en")} for m in a.missing
        ],
        "not_checked": list(a.not_checked),
        "fallbacks": [
            {
                "id": b.id,
                "name_zh": b.name_zh,
                "name_en": b.name_en,
                "note_zh": b.note_zh,
                "note_en": b.note_en,
                "source": b.source,
                "confidence": b.confidence,
            }
            for b in a.fallbacks
        ],
    }
    if project is not None and project.evaluation is not None:
        out["evaluation"] = {
            "stage": project.evaluation.stage,
            "project_manager": project.evaluation.project_manager,
            "supervising_engineer": project.evaluation.supervising_engineer,
            "stages": workflow_status(project, a),
        }
    return out


def finding_rows(a: Assessment, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    i = 0 if lang == "zh" else 1
    headers = [
        ("领域", "area"),
        ("检查项", "item"),
        ("结果", "result"),
        ("说明", "message"),
        ("来源", "source"),
    ]
    rows = [
        [
            AREA_LABELS[f.area][i],
            f.rule,
            RESULT_LABELS[f.result][i],
            f.message_zh if lang == "zh" else f.message_en,
            f.source,
        ]
        for f in a.findings
    ]
    return [h[i] for h in headers], rows


def assessment_text(a: Assessment, lang: str = "zh") -> str:
    from elevator.documents.tables import text_table  # noqa: PLC0415

    i = 0 if lang == "zh" else 1
    zh = lang == "zh"
    lines = [
        f"{a.name or ''}",
        f"{'结论' if zh else 'Verdict'}: {VERDICT_LABELS[a.verdict][i]} ({a.verdict})"
        f"   {'政策' if zh else 'policy'}: {a.policy}   {'日期' if zh else 'date'}: {a.date}",
        "",
    ]
    headers, rows = finding_rows(a, lang)
    lines.append(text_table(headers[:4], [r[:4] for r in rows]))
    if a.blocking:
        lines += ["", ("阻断项：" if zh else "Blocking: ") + ", ".join(a.blocking)]
    if a.conditions:
        lines += ["", "条件及费用：" if zh else "Conditions and their cost:"]
        seen = set()
        for c in a.conditions:
            if c.cost is None:
                amount = "待报价" if zh else "to be quoted"
            elif c.cost_key in seen:
                amount = "（已计入上项）" if zh else "(counted above)"
            else:
                amount = f"{money_str(c.cost)} {'元' if zh else 'yuan'} [{c.cost_source}]"
            seen.add(c.cost_key)
            lines.append(f"  - {c.text_zh if zh else c.text_en}: {amount}")
        lines.append(
            f"  {'条件费用合计' if zh else 'Total'}: {money_str(a.condition_cost)}"
            + (
                f" (+ {', '.join(a.uncosted)} {'待报价' if zh else 'to be quoted'})"
                if a.uncosted
                else ""
            )
        )
    if a.missing:
        lines += [
            "",
            ("仍需资料：" if zh else "Facts still needed: ")
            + ", ".join(f"{_fact_label(m, lang)} ({m})" for m in a.missing),
        ]
    if a.not_checked:
        lines += [
            "",
            ("未检查（可选资料未提供）：" if zh else "Not checked (optional facts not given): ")
            + ", ".join(a.not_checked),
        ]
    if a.fallbacks:
        lines += ["", "替代措施：" if zh else "Fallbacks:"]
        lines += [
            f"  - {b.name_zh if zh else b.name_en}: {b.note_zh if zh else b.note_en} [{b.source}]"
            for b in a.fallbacks
        ]
    lines += ["", ("来源：" if zh else "Sources:")]
    for s in sorted({f.source for f in a.findings}):
        lines.append(f"  {s}")
    lines.append(
        "[S] 有出处 sourced  [W] 弱来源，非官方 weak source, not official  [U] 未核实 unverified"
    )
    return "\n".join(lines) + "\n"
