"""Consent results as JSON (the mediator's and a resident's view) and as a text table."""

from __future__ import annotations

import datetime as dt

from elevator.consent.applied import law_name
from elevator.consent.evaluation import (
    ConsentResult,
    HouseholdDecision,
    counting_rule,
    exact_str,
)
from elevator.core.text import Msg, t
from elevator.documents.words import citation

# area conditions in m², headcount conditions in owners (法释〔2009〕7号 art. 9), the
# special conditions (no_opposition, occupied_space, unanimity) in households
BASIS_WORDS = {"area": "area", "headcount": "owners", None: "headcount"}


def _at_str(at: dt.date | dt.datetime | None) -> str | None:
    return at.isoformat() if at else None


def consent_json(result: ConsentResult, named: bool = True, viewer: str | None = None) -> dict:
    """The JSON of `elevator consent --format json` (named=True, the mediator's view).

    named=False is what a resident's page may show: counts and conditions, no
    household named, no reasons, no recorders; `viewer` adds that household's own
    decision and history.
    """
    verdict = result.verdict if named else _public_verdict(result)
    rule = result.rule
    out = {
        "rule": result.rule_id,
        "rule_label": _words(result.rule_name),
        "rule_source": result.rule_source,
        "confidence": rule.confidence if rule else None,
        "confidence_mark": rule.mark if rule else "",
        "reference": [r.model_dump(exclude_none=True) for r in rule.reference] if rule else [],
        **_law_json(result),
        "version": result.version,
        "passed": result.passed,
        "missing": _words(verdict),
        "smallest_change": None
        if result.change is None
        else {
            "households": result.change.households,
            "area_m2": exact_str(result.change.area) if result.change.area is not None else None,
            **({"example": list(result.change.example)} if named else {}),
        },
        "conditions": [c.as_dict(named) for c in result.conditions],
        "counts": result.counts(),
        "headcount": _headcount_json(result, named),
        "stale": len(result.stale),
        "history_entries": result.history_entries,
    }
    if named:
        out["households"] = [_household_json(h) for h in result.households]
    if viewer is not None:
        own = [h for h in result.households if h.id == viewer]
        out["viewer"] = _household_json(own[0]) if own else None
    return out


def _words(m: Msg) -> dict:
    return {"zh": m.zh, "en": m.en}


def _public_verdict(result: ConsentResult) -> Msg:
    if not result.conditions:
        return Msg("consent.change.no_rule")
    from elevator.consent.evaluation import change_msg  # noqa: PLC0415

    return change_msg(result.change, False)


def _law_json(result: ConsentResult) -> dict:
    """Which national law applied, why (the decision date), and the local rule it adds to."""
    applied = result.applied
    law = applied.law
    return {
        "law": None
        if law is None
        else {
            "id": law.id,
            "label": _words(law_name(law)),
            "in_force": {
                "from": law.in_force.from_.isoformat(),
                "until": law.in_force.until.isoformat() if law.in_force.until else None,
            },
            "reference": [r.model_dump(exclude_none=True) for r in law.reference],
            "confidence": law.confidence,
            "confidence_mark": law.mark,
        },
        "local_rule": applied.local.id if applied.local else None,
        "decided_on": applied.day.isoformat(),
        "decided_on_source": applied.day_source,
        "why": _words(applied.why),
        "adds": _words(applied.adds) if applied.adds else None,
    }


def _headcount_json(result: ConsentResult, named: bool) -> dict:
    """Units (area counts per unit) and owners (headcount counts each owner once)."""
    rule = counting_rule()
    out = {
        "units": len(result.households),
        "owners": len(result.owners),
        "mixed_owners": len(result.mixed_owners),
        "reference": [r.model_dump(exclude_none=True) for r in rule.reference],
        "confidence_mark": rule.mark,
    }
    if named:
        out["owners_of_several_units"] = [
            {"units": list(o.units), "mixed": o.mixed} for o in result.owners if len(o.units) > 1
        ]
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
    applied = result.applied
    rule_words = t("doc.consent.rule", lang)
    law = applied.law
    tail = f" {law.mark}" if law else ""
    lines = [f"{rule_words}: {_lang(applied.why, zh)}{tail}"]
    if applied.local is not None:
        lines.append(
            f"{rule_words}: {_lang(applied.local.name, zh)} "
            f"{applied.local.mark} — {_lang(applied.adds, zh)}"
        )
    lines.append(
        t(
            "doc.consent.headcount",
            lang,
            units=len(result.households),
            owners=len(result.owners),
            mixed=len(result.mixed_owners),
        )
    )
    if result.version:
        lines.append(f"{t('doc.consent.version', lang)}: {result.version}")
    lines.append(_condition_table(result, lang))
    for c in result.conditions:
        if not c.holds:
            lines.append(f"- {c.missing_zh if zh else c.missing_en}")
    verdict = t("doc.consent.passed" if result.passed else "doc.consent.not_passed", lang)
    lines.append(f"{t('doc.consent.result', lang)}: {verdict}. {_lang(result.verdict, zh)}")
    lines.append(_household_table(result, lang))
    lines.append(f"{t('doc.consent.source', lang)}:")
    for rule in (applied.law, applied.local):
        if rule is not None:
            for r in rule.reference:
                lines.append(
                    f"- {citation(r.title)} {rule.mark}" + (f" <{r.href}>" if r.href else "")
                )
    rule = counting_rule()
    for r in rule.reference:
        lines.append(f"- {citation(r.title)} {rule.mark}" + (f" <{r.href}>" if r.href else ""))
    return "\n".join(lines) + "\n"


def _lang(m: Msg, zh: bool) -> str:
    return m.zh if zh else m.en


def _condition_table(result: ConsentResult, lang: str) -> str:
    """Each condition of the rule: its basis, what it needs, what it has, whether it holds."""
    from elevator.documents.tables import text_table  # noqa: PLC0415

    zh = lang == "zh"
    headers = [
        t(f"doc.consent.col.{k}", lang)
        for k in ("condition", "basis", "needed", "have", "holds", "rule_source")
    ]
    rows = [
        [
            c.name_zh if zh else c.name_en,
            t(f"doc.consent.basis.{BASIS_WORDS[c.basis]}", lang),
            exact_str(c.needed),
            exact_str(c.have),
            t("doc.consent.holds.yes" if c.holds else "doc.consent.holds.no", lang),
            ", ".join(f"{_lang(s.name, zh)} {s.mark}" for s in c.sources),
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
