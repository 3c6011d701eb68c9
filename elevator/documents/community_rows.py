"""A community's stairwells as the evaluator's workspace reads them: one row per
stairwell with its verdict, its reasons and its stage as catalogue words (the keys kept
beside them for filtering), the filters themselves, and the community workbook (XLSX).

Nothing is computed here that `elevator.plan.community` does not already say: a reason
is a blocking item (its question, threshold filled), a fact still needed, or a
condition — the same words as `documents.community.reason_words`.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from elevator.core.text import t
from elevator.documents.feasibility import fact_label, item_words
from elevator.feasibility.checklist import VERDICTS
from elevator.model.site import STAGES
from elevator.plan.community import CommunityResult, StairwellResult

NO_STAGE = "none"  # a stairwell that records no stage yet (filter key, never shown)


@dataclass(frozen=True, kw_only=True)
class WorkRow:
    index: int  # the stairwell's place in the result
    name: str  # "3栋 1单元"
    where: str  # where it was read from ("#12" for a project kept in the app)
    households: int | None
    verdict: str  # verdict key
    reasons: tuple[tuple[str, str], ...]  # (filter key, words)
    stage: str  # stage key, or NO_STAGE

    @property
    def reason_keys(self) -> frozenset[str]:
        return frozenset(k for k, _ in self.reasons)


def _reasons(r: StairwellResult, lang: str) -> tuple[tuple[str, str], ...]:
    a = r.assessment
    blocking = zip(a.blocking, item_words(a, a.blocking, lang), strict=True)
    out = [(f"blocking:{rule}", words) for rule, words in blocking]
    if not a.blocking:
        out += [
            (f"missing:{m}", t("doc.community.missing", lang, facts=fact_label(m, lang)))
            for m in a.missing
        ]
        if not a.missing:
            out += [
                (f"condition:{c.rule}", c.text_zh if lang == "zh" else c.text_en)
                for c in a.conditions
            ]
    return tuple(out)


def work_rows(result: CommunityResult, lang: str = "zh") -> list[WorkRow]:
    return [
        WorkRow(
            index=i,
            # a project is named by its own name ("兴发小区 5栋 2单元"), not building + name
            name=r.stairwell.project.name if r.stairwell.project is not None else r.stairwell.key,
            where=r.stairwell.where,
            households=r.stairwell.households,
            verdict=r.assessment.verdict,
            reasons=_reasons(r, lang),
            stage=r.stairwell.stage or NO_STAGE,
        )
        for i, r in enumerate(result.rows)
    ]


def stage_words(stage: str, lang: str = "zh") -> str:
    return t("community.work.no_stage" if stage == NO_STAGE else f"stage.{stage}", lang)


def verdict_options(rows: list[WorkRow], lang: str = "zh") -> dict[str, str]:
    """Verdicts present, in the checklist's order, with their counts."""
    n = Counter(r.verdict for r in rows)
    return {
        v: t("community.work.option", lang, words=t(f"verdict.{v}", lang), count=n[v])
        for v in VERDICTS
        if n[v]
    }


def reason_options(rows: list[WorkRow], lang: str = "zh") -> dict[str, str]:
    """Every reason some stairwell has, most frequent first, with its count."""
    n: Counter[str] = Counter()
    words: dict[str, str] = {}
    for r in rows:
        for key, w in r.reasons:
            n[key] += 1
            words.setdefault(key, w)
    return {
        k: t("community.work.option", lang, words=words[k], count=c) for k, c in n.most_common()
    }


def stage_options(rows: list[WorkRow], lang: str = "zh") -> dict[str, str]:
    """Stages present, in the workflow's order (no stage last), with their counts."""
    n = Counter(r.stage for r in rows)
    return {
        s: t("community.work.option", lang, words=stage_words(s, lang), count=n[s])
        for s in (*STAGES, NO_STAGE)
        if n[s]
    }


def filter_rows(
    rows: list[WorkRow],
    verdict: str | None = None,
    reason: str | None = None,
    stage: str | None = None,
) -> list[WorkRow]:
    """The rows with that verdict, that reason among theirs, at that stage (None: any)."""
    return [
        r
        for r in rows
        if (not verdict or r.verdict == verdict)
        and (not reason or reason in r.reason_keys)
        and (not stage or r.stage == stage)
    ]


def community_workbook(result: CommunityResult, lang: str = "zh") -> bytes:
    """The community's summary as an XLSX workbook: the name, the counts per verdict,
    then one row per stairwell (the same columns as the PDF and `elevator check`)."""
    from openpyxl import Workbook  # noqa: PLC0415 (only when a workbook is asked for)

    from elevator.documents.community import summary_rows  # noqa: PLC0415

    wb = Workbook()
    ws = wb.active
    ws.title = t("community.work.sheet", lang)
    ws.append([t("label.community", lang), result.name])
    for v in VERDICTS:
        ws.append([t(f"verdict.{v}", lang), result.counts[v]])
    if result.illustrative:
        ws.append([t("doc.community.illustrative", lang)])
    ws.append([])
    headers, rows = summary_rows(result, lang)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
