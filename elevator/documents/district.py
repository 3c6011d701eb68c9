"""A district's comparison in words: the summary table, each run's floors, the refusals
(rows of strings; the workbook and the app use the same rows)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from elevator.core.text import t
from elevator.district.checks import VERDICT_CODES
from elevator.district.portfolio import Portfolio
from elevator.district.simulate import Run, top_shares
from elevator.documents.tables import text_table
from elevator.documents.words import policy_name


def yuan(fen: Any) -> str:
    """Integer fen as a decimal string in yuan; empty for a missing amount."""
    if fen is None or pd.isna(fen):
        return ""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def run_label(policy: str | None, scheme: str | None, lang: str) -> str:
    p = policy_name(policy, lang) if policy else t("district.own_policy", lang)
    s = t(f"scheme.{scheme}", lang) if scheme else t("district.own_scheme", lang)
    return f"{p} / {s}"


SUMMARY_KEYS = (
    "district.col.run",
    "district.col.stairwells",
    *(f"verdict.{v}" for v in VERDICT_CODES),
    "district.col.refused",
    "district.col.scalar_rows",
    "district.col.budget",
    "district.col.households_served",
    "district.col.budget_per_household",
    "district.col.over_limit",
)


def summary_rows(table: pd.DataFrame, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    headers = [t(k, lang) for k in SUMMARY_KEYS]
    rows = []
    for _, s in table.iterrows():
        rows.append(
            [
                run_label(s["policy"], s["scheme"], lang),
                str(s["stairwells"]),
                *(str(s[v]) for v in VERDICT_CODES),
                str(s["refused"]),
                str(s["scalar_rows"]),
                yuan(s["budget_fen"]),
                str(s["households_served"]),
                yuan(s["budget_per_household_fen"]),
                str(s["over_limit"]),
            ]
        )
    return headers, rows


def floor_rows(floors: pd.DataFrame, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    keys = ("district.col.floor", "district.col.households", "district.col.median")
    keys += ("district.col.p90", "district.col.max")
    rows = [
        [t("chart.floor", lang, floor=int(r.floor)), str(r.households)]
        + [yuan(r.median), yuan(r.p90), yuan(r.max)]
        for r in floors.itertuples()
    ]
    return [t(k, lang) for k in keys], rows


STAIRWELL_KEYS = (
    "district.col.row",
    "district.col.stairwell",
    "district.col.community",
    "district.col.district",
    "district.col.policy",
    "district.col.scheme",
    "district.col.floors",
    "district.col.households",
    "district.col.verdict",
    "district.col.cost",
    "district.col.subsidy",
    "district.col.to_share",
    "district.col.top_share",
    "district.col.engine",
    "district.col.problem",
)


def stairwell_rows(r: Run, lang: str = "zh", limit: int | None = None) -> list[list[Any]]:
    """One row per stairwell of a run (amounts as decimal strings; numbers stay numbers)."""
    f = r.frame if limit is None else r.frame.head(limit)
    top = top_shares(r)
    out = []
    for i, x in enumerate(f.itertuples()):
        problem = "" if x.problem is None else x.problem.text(lang)
        out.append(
            [
                int(x.row),
                x.stairwell,
                x.community,
                x.district,
                policy_name(x.policy, lang),
                t(f"scheme.{x.scheme}", lang) if x.scheme else "",
                int(x.floors),
                int(x.households),
                t(f"verdict.{x.verdict}", lang) if x.verdict else "",
                yuan(x.cost_fen),
                yuan(x.subsidy_fen),
                yuan(x.to_share_fen),
                "" if problem else yuan(top[i]),
                t(f"district.engine.{x.engine}", lang),
                problem,
            ]
        )
    return out


def worst_off(r: Run, n: int = 10) -> Run:
    """The n stairwells whose top-floor households pay most (priced ones)."""
    f = r.frame
    top = top_shares(r).astype(float)
    top[f["problem"].notna().to_numpy()] = -1
    idx = top.argsort(kind="stable")[::-1][:n]
    detail = {k: r.detail[i] for k, i in enumerate(idx) if i in r.detail}
    frame = f.iloc[idx].reset_index(drop=True)
    return Run(r.policy, r.scheme, frame, r.q[idx], r.g[idx], detail)


def refusal_lines(portfolio: Portfolio, lang: str = "zh", limit: int = 20) -> list[str]:
    if not portfolio.refused:
        return []
    lines = [
        t(
            "district.refused.summary",
            lang,
            rows=portfolio.refused_rows,
            total=portfolio.rows_read,
        )
    ]
    for r in portfolio.refused[:limit]:
        lines.append(
            "  " + t("district.refused.row", lang, row=r.row, column=r.column, message=r.message)
        )
    if len(portfolio.refused) > limit:
        lines.append("  " + t("district.refused.more", lang, count=len(portfolio.refused) - limit))
    return lines


def run_problem_lines(r: Run, lang: str = "zh") -> list[str]:
    """Why rows of a run were not priced, counted by reason."""
    f = r.frame
    bad = f["problem"].dropna()
    if bad.empty:
        return []
    counts = bad.map(lambda m: m.text(lang)).value_counts()
    return [t("district.run.unpriced", lang, count=int(c), reason=k) for k, c in counts.items()]


def district_text(
    portfolio: Portfolio, runs: list[Run], table: pd.DataFrame, lang: str = "zh", limit=None
) -> str:
    out = [
        t("district.title", lang, stairwells=len(portfolio.frame), rows=portfolio.rows_read),
        "",
    ]
    out += refusal_lines(portfolio, lang)
    headers, rows = summary_rows(table, lang)
    out += ["", text_table(headers, rows)]
    for r, (_, s) in zip(runs, table.iterrows()):
        out += ["", run_label(r.policy, r.scheme, lang)]
        out += run_problem_lines(r, lang)
        if s["scalar_rows"]:
            out.append(t("district.note.scalar", lang, count=int(s["scalar_rows"])))
        h, fr = floor_rows(s["floors"], lang)
        if fr:
            out.append(text_table(h, fr))
    out += ["", t("district.note.served", lang)]
    if limit is not None:
        out.append(t("district.note.limit", lang, limit=_limit_words(limit)))
    out.append(t("district.note.rounding", lang))
    return "\n".join(out) + "\n"


def _limit_words(limit: dict[int, int] | int) -> str:
    if isinstance(limit, dict):
        return ", ".join(f"{f}: {yuan(v)}" for f, v in sorted(limit.items()))
    return yuan(limit)
