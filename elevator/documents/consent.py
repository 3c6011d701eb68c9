"""Consent results as JSON (the mediator's and a resident's view) and as a text table."""

from __future__ import annotations

import datetime as dt

from elevator.consent.evaluation import (
    ConsentResult,
    HouseholdDecision,
    change_words,
    exact_str,
)
from elevator.core.text import t
from elevator.documents.words import citation


def _at_str(at: dt.date | dt.datetime | None) -> str | None:
    return at.isoformat() if at else None


def consent_json(result: ConsentResult, named: bool = True, viewer: str | None = None) -> dict:
    """The JSON of `elevator consent --format json` (named=True, the mediator's view).

    named=False is what a resident's page may show: counts and conditions, no
    household named, no reasons, no recorders; `viewer` adds that household's own
    decision and history.
    """
    change_zh, change_en = change_words(result.change, named)
    out = {
        "rule": result.rule_id,
        "rule_label": {"zh": result.rule.name.zh, "en": result.rule.name.en},
        "rule_source": result.rule_source,
        "confidence": result.rule.confidence,
        "confidence_mark": result.rule.mark,
        "reference": [r.model_dump(exclude_none=True) for r in result.rule.reference],
        "version": result.version,
        "passed": result.passed,
        "missing": {"zh": change_zh, "en": change_en},
        "smallest_change": None
        if result.change is None
        else {
            "households": result.change.households,
            "area_m2": exact_str(result.change.area) if result.change.area is not None else None,
            **({"example": list(result.change.example)} if named else {}),
        },
        "conditions": [c.as_dict(named) for c in result.conditions],
        "counts": result.counts(),
        "stale": len(result.stale),
        "history_entries": result.history_entries,
    }
    if named:
        out["households"] = [_household_json(h) for h in result.households]
    if viewer is not None:
        own = [h for h in result.households if h.id == viewer]
        out["viewer"] = _household_json(own[0]) if own else None
    return out


def _household_json(h: HouseholdDecision) -> dict:
    d = h.latest
    return {
        "id": h.id,
        "floor": h.floor,
        "area_m2": exact_str(h.area_m2),
        "occupied_by_shaft": h.occupied_by_shaft,
        "decision": h.decision,
        "stale": h.stale,
        "latest": None
        if d is None
        else {
            "decision": d.decision,
            "via": d.via,
            "at": _at_str(d.at),
            "recorded_by": d.recorded_by,
            "reason": d.reason,
            "version": d.version,
        },
        "entries": h.entries,
    }


def consent_text(result: ConsentResult, lang: str = "zh") -> str:
    zh = lang == "zh"
    rule = result.rule.name.zh if zh else result.rule.name.en
    lines = [f"{t('doc.consent.rule', lang)}: {rule} {result.rule.mark}"]
    if result.version:
        lines.append(f"{t('doc.consent.version', lang)}: {result.version}")
    lines.append(_condition_table(result, lang))
    for c in result.conditions:
        if not c.holds:
            lines.append(f"- {c.missing_zh if zh else c.missing_en}")
    change_zh, change_en = change_words(result.change, True)
    verdict = t("doc.consent.passed" if result.passed else "doc.consent.not_passed", lang)
    lines.append(f"{t('doc.consent.result', lang)}: {verdict}. {change_zh if zh else change_en}")
    lines.append(_household_table(result, lang))
    refs = "; ".join(citation(r.title) for r in result.rule.reference)
    lines.append(f"{t('doc.consent.source', lang)}: {refs} {result.rule.mark}")
    return "\n".join(lines) + "\n"


def _condition_table(result: ConsentResult, lang: str) -> str:
    """Each condition of the rule: its basis, what it needs, what it has, whether it holds."""
    from elevator.documents.tables import text_table  # noqa: PLC0415

    zh = lang == "zh"
    headers = [
        t(f"doc.consent.col.{k}", lang) for k in ("condition", "basis", "needed", "have", "holds")
    ]
    rows = [
        [
            c.name_zh if zh else c.name_en,
            t(
                "doc.consent.basis.area" if c.basis == "area" else "doc.consent.basis.headcount",
                lang,
            ),
            exact_str(c.needed),
            exact_str(c.have),
            t("doc.consent.holds.yes" if c.holds else "doc.consent.holds.no", lang),
        ]
        for c in result.conditions
    ]
    return text_table(headers, rows)


def _household_table(result: ConsentResult, lang: str) -> str:
    """Each household's latest decision, how it was recorded and when."""
    from elevator.documents.tables import text_table  # noqa: PLC0415

    headers = [t("doc.col.room", lang)] + [
        t(f"doc.consent.col.{k}", lang)
        for k in ("floor", "area", "decision", "via", "date", "note")
    ]
    rows = []
    for h in result.households:
        d = h.latest
        note = t("doc.consent.stale", lang, version=d.version) if h.stale else ""
        rows.append(
            [
                h.id,
                str(h.floor),
                exact_str(h.area_m2),
                t(f"decision.{d.decision if d else 'none'}", lang),
                t(f"via.{d.via}", lang) if d else "",
                _at_str(d.at) or "" if d else "",
                note,
            ]
        )
    return text_table(headers, rows)
