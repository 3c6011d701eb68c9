"""Spreadsheets people bring: the first sheet of an XLSX, or a CSV in UTF-8 (with or
without BOM) or GB18030 (what Excel saves in China).  Rows come back as lists of cells."""

from __future__ import annotations

import csv
import io
from typing import Any

from elevator.core.errors import Problem, ProjectError
from elevator.core.text import Msg


def _refuse(name: str, key: str) -> ProjectError:
    return ProjectError([Problem(name, Msg(key))])


def read_rows(content: bytes, name: str, max_rows: int | None = None) -> list[list[Any]]:
    """All rows: at most a header and max_rows data rows, plus one more so a caller can
    tell the sheet is too long."""
    limit = None if max_rows is None else max_rows + 1
    if name.lower().endswith(".xlsx"):
        import openpyxl  # noqa: PLC0415 (only for workbooks)

        try:
            wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise _refuse(name, "error.sheet.xlsx") from None
        rows = []
        for row in wb.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if v is None else v for v in row])
            if limit is not None and len(rows) > limit:
                break
        wb.close()
        return rows
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(name, "error.sheet.encoding")
    rows = []
    for row in csv.reader(io.StringIO(text)):
        rows.append(row)
        if limit is not None and len(rows) > limit:
            break
    return rows
