"""A checklist result as JSON, table rows and text (elevator check, the report, the app)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from elevator.core.money import money_str
from elevator.core.text import Msg, pair, t
from elevator.documents.words import citation, policy_name, rule_question
from elevator.feasibility.checklist import Assessment, Finding, _fact_label, _num
from elevator.feasibility.workflow import workflow_status

CONFIDENCES = ("source", "weak", "unverified")  # the marks [S], [W], [U]


def marks_legend(lang: str = "zh") -> str:
    """ "[S] 有出处  [W] …": what the confidence marks mean, in one language, or with
    lang="both" each mark's words in Chinese and English side by side."""
    if lang == "both":
        words = {k: " ".join(pair(f"confidence.{k}")) for k in CONFIDENCES}
        return t("doc.marks", "zh", **words)
    return t("doc.marks", lang, **{k: Msg(f"confidence.{k}") for k in CONFIDENCES})


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
    zh, en = pair(f"verdict.{a.verdict}")
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


def fact_label(name: str, lang: str = "zh") -> str:
    """A site fact's name for the reader (its key only when the catalogue lacks it)."""
    return _fact_label(name, lang)


def item_words(a: Assessment, rule_ids, lang: str = "zh") -> list[str]:
    """Checklist items by their questions (threshold filled in), not their ids."""
    asked = {f.rule: (f.question_zh if lang == "zh" else f.question_en) for f in a.findings}
    return [asked.get(r) or rule_question(a.policy, a.date, r, lang) for r in rule_ids]


def uncosted_words(a: Assessment, lang: str = "zh") -> str:
    """The conditions whose cost is still to be quoted, in words."""
    texts = {c.cost_key: (c.text_zh if lang == "zh" else c.text_en) for c in a.conditions}
    return t("doc.sep.list", lang).join(texts.get(k) or k for k in a.uncosted)


def finding_rows(a: Assessment, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    zh = lang == "zh"
    headers = [t(f"doc.check.col.{k}", lang) for k in ("area", "item", "result", "message")]
    headers.append(t("doc.check.col.source", lang))
    rows = [
        [
            t(f"area.{f.area}", lang),
            f.question_zh if zh else f.question_en,
            t(f"result.{f.result}", lang),
            f.message_zh if zh else f.message_en,
            citation(f.source),
        ]
        for f in a.findings
    ]
    return headers, rows


def assessment_text(a: Assessment, lang: str = "zh") -> str:
    from elevator.documents.tables import text_table  # noqa: PLC0415

    headers, rows = finding_rows(a, lang)
    lines = [
        f"{a.name or ''}",
        t(
            "doc.check.verdict",
            lang,
            verdict=Msg(f"verdict.{a.verdict}"),
            policy=policy_name(a.policy, lang),
            date=a.date,
        ),
        "",
        text_table(headers[:4], [r[:4] for r in rows]),
    ]
    lines += _conditions_text(a, lang)
    lines += _still_open_text(a, lang)
    lines += ["", t("doc.check.sources", lang) + t("doc.sep.colon_end", lang)]
    lines += [f"  {s}" for s in sorted({citation(f.source) for f in a.findings})]
    lines.append(marks_legend("both"))
    return "\n".join(lines) + "\n"


def _conditions_text(a: Assessment, lang: str) -> list[str]:
    """Blocking items, then each condition with its cost (a cost key counted once)."""
    colon = t("doc.sep.colon", lang)
    lines = []
    if a.blocking:
        blocking = t("doc.sep.list", lang).join(item_words(a, a.blocking, lang))
        lines += ["", t("doc.check.blocking", lang) + colon + blocking]
    if not a.conditions:
        return lines
    lines += ["", t("doc.check.conditions", lang) + t("doc.sep.colon_end", lang)]
    seen = set()
    for c in a.conditions:
        if c.cost is None:
            amount = t("doc.check.to_quote", lang)
        elif c.cost_key in seen:
            amount = t("doc.parens", lang, text=Msg("doc.check.counted"))
        else:
            amount = f"{t('doc.yuan', lang, amount=money_str(c.cost))} [{citation(c.cost_source)}]"
        seen.add(c.cost_key)
        lines.append(f"  - {c.text_zh if lang == 'zh' else c.text_en}: {amount}")
    uncosted = ""
    if a.uncosted:
        uncosted = f" (+ {uncosted_words(a, lang)} {t('doc.check.to_quote', lang)})"
    total = t("doc.check.condition_total", lang)
    lines.append(f"  {total}: {money_str(a.condition_cost)}{uncosted}")
    return lines


def _still_open_text(a: Assessment, lang: str) -> list[str]:
    """Facts still needed, optional facts not given, and the fallbacks."""
    zh = lang == "zh"
    colon = t("doc.sep.colon", lang)
    lines = []
    if a.missing:
        facts = t("doc.sep.list", lang).join(_fact_label(m, lang) for m in a.missing)
        lines += ["", t("doc.check.missing", lang) + colon + facts]
    if a.not_checked:
        items = t("doc.sep.list", lang).join(item_words(a, a.not_checked, lang))
        lines += ["", t("doc.check.not_checked", lang) + colon + items]
    if a.fallbacks:
        lines += ["", t("doc.check.fallbacks", lang) + t("doc.sep.colon_end", lang)]
        lines += [
            f"  - {b.name_zh if zh else b.name_en}: {b.note_zh if zh else b.note_en} "
            f"[{citation(b.source)}]"
            for b in a.fallbacks
        ]
    return lines
