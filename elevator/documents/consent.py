"""Consent results as JSON (the mediator's and a resident's view) and as a text table."""

from __future__ import annotations

import datetime as dt

from elevator.consent.evaluation import (
    DECISION_WORDS,
    VIA_WORDS,
    ConsentResult,
    HouseholdDecision,
    change_words,
    exact_str,
)


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
    from elevator.documents.tables import text_table  # noqa: PLC0415

    zh = lang == "zh"
    lines = [
        f"{'表决规则' if zh else 'rule'}: {result.rule.name.zh if zh else result.rule.name.en} "
        f"{result.rule.mark} ({result.rule_id})"
    ]
    if result.version:
        lines.append(f"{'方案版本' if zh else 'plan version'}: {result.version}")
    headers = (
        ["条件", "依据", "需要", "现有", "满足"]
        if zh
        else ["condition", "basis", "needed", "have", "holds"]
    )
    basis = {
        "area": ("面积 m²", "area m²"),
        "headcount": ("户数", "households"),
        None: ("户数", "households"),
    }
    rows = [
        [
            c.name_zh if zh else c.name_en,
            basis[c.basis][0 if zh else 1],
            exact_str(c.needed),
            exact_str(c.have),
            ("是" if zh else "yes") if c.holds else ("否" if zh else "NO"),
        ]
        for c in result.conditions
    ]
    lines.append(text_table(headers, rows))
    for c in result.conditions:
        if not c.holds:
            lines.append(f"- {c.missing_zh if zh else c.missing_en}")
    change_zh, change_en = change_words(result.change, True)
    verdict = (
        ("通过" if result.passed else "未通过")
        if zh
        else ("PASSED" if result.passed else "NOT PASSED")
    )
    lines.append(f"{'结论' if zh else 'result'}: {verdict}. {change_zh if zh else change_en}")
    hh = (
        ["户号", "楼层", "面积", "表态", "方式", "日期", "备注"]
        if zh
        else ["room", "floor", "area", "decision", "via", "date", "note"]
    )
    rows = []
    for h in result.households:
        d = h.latest
        word = DECISION_WORDS[d.decision if d else "none"][0 if zh else 1]
        note = ""
        if h.stale:
            note = (
                f"旧方案 {d.version} 上的表态，不计入"
                if zh
                else f"given on older plan {d.version}; not counted"
            )
        rows.append(
            [
                h.id,
                str(h.floor),
                exact_str(h.area_m2),
                word,
                VIA_WORDS[d.via][0 if zh else 1] if d else "",
                _at_str(d.at) or "" if d else "",
                note,
            ]
        )
    lines.append(text_table(hh, rows))
    refs = "; ".join(r.title for r in result.rule.reference)
    lines.append(f"{'依据' if zh else 'source'}: {refs} {result.rule.mark}")
    return "\n".join(lines) + "\n"
