"""Turning uploaded files into project data (used by the app's Projects page): project
YAML/JSON, or a household sheet (CSV/XLSX) plus a few form values.  Files over MAX_UPLOAD_BYTES are refused.

The result is always validated by the library (`parse_project`); problems come
back as ProjectError, each naming its field (or sheet row) in both languages.
"""

from __future__ import annotations

from typing import Any

from elevator.core.errors import Problem, ProjectError
from elevator.core.text import Msg, both
from elevator.model.io import parse_project, parse_text, project_to_data
from elevator.model.sheets import read_rows

MAX_UPLOAD_BYTES = 1_000_000  # 1 MB: a stairwell file or sheet is a few KB
MAX_SHEET_ROWS = 500
PROJECT_SUFFIXES = (".yaml", ".yml", ".json")
SHEET_SUFFIXES = (".csv", ".xlsx")

# words accepted in a sheet's header row and in its participates column (input, not text
# shown)
COLUMNS = {
    "id": ("id", "room", "户号", "房号", "室号"),  # zh-ok
    "floor": ("floor", "楼层", "层"),  # zh-ok
    "area_m2": ("area_m2", "area", "面积", "面积(m²)", "面积(m2)", "面积（m²）"),  # zh-ok
    "participates": ("participates", "参与", "是否参与"),  # zh-ok
    "owner": ("owner", "业主", "姓名"),  # zh-ok
    "note": ("note", "备注"),  # zh-ok
}
_TRUE = {"true", "1", "yes", "y", "是", "参与", "t"}  # zh-ok
_FALSE = {"false", "0", "no", "n", "否", "退出", "不参与", "f"}  # zh-ok


def _problem(field: str, key: str, **params: Any) -> ProjectError:
    return ProjectError([Problem(field, Msg(key, **params))])


def _row(name: str, n: int) -> str:
    """The field a sheet row's problem is reported at: "<file>: 第 n 行 / row n"."""
    return f"{name}: {both('model.sheet.row', row=n)}"


def check_size(name: str, size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise _problem(
            name, "error.upload.too_large", size=size // 1000, limit=MAX_UPLOAD_BYTES // 1000
        )


def project_from_file(name: str, content: bytes) -> dict[str, Any]:
    """A whole project file (YAML or JSON) → validated project data."""
    check_size(name, len(content))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _problem(name, "error.file.not_utf8") from None
    data = parse_text(text, json_hint=name.lower().endswith(".json"), source=name)
    return project_to_data(parse_project(data))


def households_from_sheet(name: str, content: bytes) -> list[dict[str, Any]]:
    """A household sheet: a header row (id/户号, floor/楼层, area_m2/面积, …), one row per flat."""
    check_size(name, len(content))
    rows = read_rows(content, name, MAX_SHEET_ROWS)
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise _problem(name, "error.sheet.empty")
    if len(rows) > MAX_SHEET_ROWS + 1:
        raise _problem(name, "error.sheet.too_many_rows", limit=MAX_SHEET_ROWS)
    header = [str(c).strip().lower() for c in rows[0]]
    keys: list[str | None] = []
    problems = []
    for col, h in enumerate(header):
        key = next((k for k, names in COLUMNS.items() if h in names), None)
        if key is None and h:
            problems.append(Problem(_row(name, 1), Msg("error.sheet.unknown_column", column=h)))
        keys.append(key)
    for need in ("id", "floor", "area_m2"):
        if need not in keys:
            problems.append(
                Problem(
                    _row(name, 1),
                    Msg("error.sheet.missing_column", column=Msg(f"model.sheet.column.{need}")),
                )
            )
    if problems:
        raise ProjectError(problems)
    out = []
    for n, row in enumerate(rows[1:], start=2):
        h: dict[str, Any] = {}
        for key, cell in zip(keys, row):
            if key is None:
                continue
            text = cell.strip() if isinstance(cell, str) else cell
            if text == "" or text is None:
                continue
            if key == "participates":
                word = str(text).strip().lower()
                if word in _TRUE:
                    text = True
                elif word in _FALSE:
                    text = False
                else:
                    raise _problem(_row(name, n), "error.sheet.participates", word=word)
            elif key == "id" and isinstance(text, float) and text.is_integer():
                text = str(int(text))
            elif key == "floor" and isinstance(text, float) and text.is_integer():
                text = int(text)
            elif key == "floor" and isinstance(text, str) and text.isdigit():
                text = int(text)
            elif key == "area_m2" and isinstance(text, float):
                text = repr(text)
            h[key] = text
        out.append(h)
    return out


def blank_project(
    name: str,
    floors: Any,
    units_per_floor: Any,
    area: Any,
    total: Any,
    households: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A new stairwell from the blank form (or the form plus an imported sheet), validated."""
    problems = []

    def whole(field: str, value: Any, low: int, high: int) -> int:
        try:
            n = int(str(value).strip())
        except ValueError:
            problems.append(Problem(field, Msg("error.pydantic.int_type")))
            return low
        if not low <= n <= high:
            problems.append(Problem(field, Msg("error.value.between", low=low, high=high)))
        return n

    if households is None:
        n_floors = whole("building.floors", floors, 1, 40)
        units = whole("units_per_floor", units_per_floor, 1, 12)
        if problems:
            raise ProjectError(problems)
        households = [
            {"id": f"{f}{u:02d}", "floor": f, "area_m2": area}
            for f in range(1, n_floors + 1)
            for u in range(1, units + 1)
        ]
    else:
        top = [h.get("floor") for h in households if isinstance(h.get("floor"), int)]
        n_floors = max(top) if top else 1
        if str(floors).strip():
            n_floors = whole("building.floors", floors, 1, 40)
        if problems:
            raise ProjectError(problems)
    data = {
        "name": name,
        "building": {"floors": n_floors, "households": households},
        "costs": {"total": total},
        "sharing": {"scheme": "area"},
    }
    return project_to_data(parse_project(data))
