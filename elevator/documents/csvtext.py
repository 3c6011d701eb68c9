"""CSV that a spreadsheet opens as data, never as formulas.

Excel, WPS and LibreOffice run a cell that starts with =, +, -, @ (or a tab or carriage
return before one) as a formula, e.g. a household id `=cmd|' /C calc'!A0`.  Such text
gets a leading single quote (the OWASP advice), which the spreadsheet shows as text.
Plain numbers ("-12.50", a negative net) are data and stay as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:/\d+)?")


def csv_cell(value: object) -> object:
    """The value as a CSV cell: text that a spreadsheet would run is quoted with '."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()
