"""The district workbook: a summary sheet (one row per policy × scheme, then each run's
floors) and one sheet per run with its stairwell rows (openpyxl, write-only so a large
portfolio streams).  Amounts are decimal strings in yuan, exact to the fen."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from elevator.core.text import t
from elevator.district.portfolio import Portfolio
from elevator.district.simulate import Run
from elevator.documents.district import (
    STAIRWELL_KEYS,
    floor_rows,
    refusal_lines,
    run_label,
    stairwell_rows,
    summary_rows,
)

EXCEL_ROWS = 1_048_576  # a sheet's last row in Excel


def _sheet_title(i: int, r: Run) -> str:
    """Unique, at most 31 characters, none of Excel's forbidden ones."""
    name = f"{i + 1} {r.policy or '*'} {r.scheme or '*'}"
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return name[:31]


def district_workbook(
    portfolio: Portfolio, runs: list[Run], table: pd.DataFrame, lang: str = "zh", limit=None
) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("district.sheet.summary", lang))
    ws.append(
        [t("district.title", lang, stairwells=len(portfolio.frame), rows=portfolio.rows_read)]
    )
    for line in refusal_lines(portfolio, lang, limit=100):
        ws.append([line])
    ws.append([])
    headers, rows = summary_rows(table, lang)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for r, (_, s) in zip(runs, table.iterrows()):
        ws.append([])
        ws.append([run_label(r.policy, r.scheme, lang)])
        h, fr = floor_rows(s["floors"], lang)
        ws.append(h)
        for row in fr:
            ws.append(row)
    ws.append([])
    ws.append([t("district.note.served", lang)])
    ws.append([t("district.note.rounding", lang)])
    for i, r in enumerate(runs):
        sheet = wb.create_sheet(_sheet_title(i, r))
        sheet.append([t(k, lang) for k in STAIRWELL_KEYS])
        for row in stairwell_rows(r, lang, limit=EXCEL_ROWS - 2):
            sheet.append(row)
        if len(r.frame) > EXCEL_ROWS - 2:
            sheet.append([t("district.sheet.truncated", lang, rows=len(r.frame))])
    return wb
