"""A portfolio: one row per stairwell, read from CSV, XLSX or Parquet and checked column by
column.  A bad cell refuses its row (reported by row number and column, in both
languages); the other rows still run.

Columns (the first seven are required):
    id, community, district, floors, households_per_floor, area_m2 (each flat), cost_yuan,
    policy, scheme, ground_floor_participates, date (the policy in force on that date),
    cost_fixed_yuan + cost_per_floor_yuan (c_f = F + v·(f − 1), for the airport rules),
    coefficients ("0,0.3,0.6,…": floor 1 first, for floor_coefficients),
    and any site fact named as in the project file's `site` section.
Or one row per household: `household`, `floor`, `participates` instead of
households_per_floor, `area_m2` the household's own, the stairwell's columns repeated.

Every distinct value of a column is validated once (a district repeats the same few
values), with the same models as a project file (`Site`, the policy files, the schemes).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from elevator.core.errors import Problem, ProjectError, problem, problems_from_validation
from elevator.core.money import to_fraction
from elevator.core.text import Msg
from elevator.model.site import Site, site_fact_info

REQUIRED = (
    "id",
    "community",
    "district",
    "floors",
    "households_per_floor",
    "area_m2",
    "cost_yuan",
)
OPTIONAL = (
    "policy",
    "scheme",
    "ground_floor_participates",
    "date",
    "cost_fixed_yuan",
    "cost_per_floor_yuan",
    "coefficients",
)
FACTS = tuple(n for n in site_fact_info() if n != "storeys")
# one row per household: these columns instead of households_per_floor
DETAILED = ("household", "floor", "participates")
REQUIRED_DETAILED = tuple(n for n in REQUIRED if n != "households_per_floor") + (
    "household",
    "floor",
)
MAX_FLOORS = 40  # Building.floors
MAX_PER_FLOOR = 20  # households_per_floor of a community file
MAX_REPORTED = 200  # refusals listed one by one; the count is always complete

# words accepted in a yes/no cell (input vocabulary, the same as a community sheet)
_TRUE = {"true", "yes", "y", "1", "是", "有", "对", "t"}  # zh-ok
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "f"}  # zh-ok
_NONE_LIST = {"none", "无", "没有", "-", "—", "[]"}  # zh-ok
_LIST_SEPARATORS = r"[,;、，；/|\s]+"  # zh-ok
_FEN = re.compile(r"^\s*\d+(\.\d{0,2})?\s*$")


@dataclass(frozen=True)
class _Bad:
    message: Msg


@dataclass(frozen=True)
class Refusal:
    row: int  # the sheet's row number (the header is row 1)
    column: str
    message: Msg


@dataclass
class Portfolio:
    """The rows that passed (`frame`, cleaned) and every refusal."""

    frame: pd.DataFrame
    refused: list[Refusal] = field(default_factory=list)
    rows_read: int = 0

    @property
    def refused_rows(self) -> int:
        return len({r.row for r in self.refused})

    def refusal_counts(self) -> dict[tuple[str, str], int]:
        """(column, message key) → rows refused for it."""
        out: dict[tuple[str, str], int] = {}
        for r in self.refused:
            k = (r.column, r.message.key)
            out[k] = out.get(k, 0) + 1
        return out


# --- reading ---------------------------------------------------------------


def read_frame(path: str | Path) -> pd.DataFrame:
    """The sheet as text cells (CSV: UTF-8 or GB18030), or as typed cells (XLSX, Parquet)."""
    p = Path(path)
    if not p.is_file():
        raise problem(str(p), "community.error.not_found")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(p)
    if suffix == ".xlsx":
        return pd.read_excel(p, dtype=object)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(p, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise problem(str(p), "error.sheet.encoding")


def read_portfolio(path: str | Path) -> Portfolio:
    return validate(read_frame(path), source=Path(path).name)


# --- checking ----------------------------------------------------------------


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == ""


def _codes(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code of each cell, its distinct values); missing cells get −1."""
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def per_value(s: pd.Series, fn, flag=None):
    """fn applied once to each distinct value (None for a missing cell), as an object array;
    with `flag`, also flag(result) per row as a bool array."""
    codes, uniques = _codes(s)
    table = np.empty(len(uniques) + 1, dtype=object)
    for k, v in enumerate(uniques):
        table[k] = fn(v)
    table[-1] = fn(None)
    if flag is None:
        return table[codes]
    flags = np.fromiter((flag(v) for v in table), bool, len(table))
    return table[codes], flags[codes]


def _blank(s: pd.Series) -> np.ndarray:
    return per_value(s, _is_blank, bool)[1]


class _Checker:
    def __init__(self, raw: pd.DataFrame):
        self.raw = raw
        self.rows = np.arange(len(raw)) + 2  # header is row 1
        self.bad = np.zeros(len(raw), dtype=bool)
        self.refused: list[Refusal] = []

    def refuse(self, mask: np.ndarray, column: str, message: Msg | list[Msg]) -> None:
        """Refuse the rows in `mask` (message: one for all, or one per masked row)."""
        idx = np.flatnonzero(mask)
        messages = message if isinstance(message, list) else [message] * len(idx)
        for i, m in zip(idx, messages):
            self.refused.append(Refusal(int(self.rows[i]), column, m))
        self.bad |= mask

    def by_value(self, column: str, parse) -> pd.Series:
        """Each distinct value parsed once: parse(value) → parsed, or raises ProjectError."""

        def one(v: Any) -> Any:
            if _is_blank(v):
                return None
            try:
                return parse(v)
            except ProjectError as e:
                return _Bad(e.problems[0].message)

        parsed, bad = per_value(self.raw[column], one, lambda v: isinstance(v, _Bad))
        if bad.any():
            self.refuse(bad, column, [v.message for v in parsed[bad]])
            parsed[bad] = None
        return pd.Series(parsed, index=self.raw.index, dtype=object)

    def categorical(self, column: str, parse) -> pd.Series:
        """by_value kept as a pandas Categorical: each distinct fact once, a code per row
        (the checklist evaluates a rule once per distinct value)."""
        values = self.by_value(column, parse)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        cats = np.empty(len(uniques), dtype=object)
        for k, v in enumerate(uniques):
            cats[k] = v
        dtype = pd.CategoricalDtype(pd.Index(cats, dtype=object, tupleize_cols=False))
        return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=values.index)

    def required(self, column: str) -> np.ndarray:
        blank = _blank(self.raw[column])
        self.refuse(blank, column, Msg("district.error.required"))
        return blank


def _int_in(low: int, high: int):
    def parse(v: Any) -> int:
        try:
            f = to_fraction(v)
        except (TypeError, ValueError, ArithmeticError):
            raise problem("", "district.error.not_integer", value=str(v)) from None
        if f.denominator != 1 or not low <= f <= high:
            raise problem("", "district.error.integer_range", value=str(v), low=low, high=high)
        return int(f)

    return parse


def _positive(v: Any) -> str:
    try:
        f = to_fraction(v)
    except (TypeError, ValueError, ArithmeticError):
        raise problem("", "district.error.not_number", value=str(v)) from None
    if f <= 0:
        raise problem("", "error.area.positive")
    return str(f)


def _yes_no(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    low = str(v).strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise problem("", "community.error.yes_no", value=repr(v))


def _date(v: Any) -> dt.date:
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        raise problem("", "community.error.date") from None


def _policy(v: Any) -> str:
    from elevator.policy.parameters import load_policy  # noqa: PLC0415

    load_policy(str(v).strip())
    return str(v).strip()


def _scheme(v: Any) -> str:
    from elevator.sharing.schemes import SCHEMES  # noqa: PLC0415

    name = str(v).strip()
    if name not in SCHEMES:
        raise problem("", "sharing.error.unknown_scheme", scheme=name, choices=", ".join(SCHEMES))
    return name


def parse_coefficients(v: Any) -> tuple[Fraction, ...]:
    """ "0,0.3,0.6": floor 1's coefficient first."""
    try:
        values = tuple(to_fraction(x) for x in re.split(r"[,;\s]+", str(v).strip()) if x)
    except (TypeError, ValueError, ArithmeticError):
        raise problem("", "district.error.coefficients", value=str(v)) from None
    if not values:
        raise problem("", "district.error.coefficients", value=str(v))
    return values


def _fact(name: str):
    bool_fact = Site.model_fields[name].annotation == (bool | None)

    def parse(v: Any) -> Any:
        if isinstance(v, str) and bool_fact:
            v = _yes_no(v)
        elif isinstance(v, str) and name == "pipelines_in_footprint":
            v = [] if v.lower() in _NONE_LIST else [p for p in re.split(_LIST_SEPARATORS, v) if p]
        elif isinstance(v, (np.generic,)):
            v = v.item()
        if isinstance(v, float) and v.is_integer() and name in ("year_built",):
            v = int(v)
        try:
            value = getattr(Site.model_validate({name: v}), name)
        except ValidationError as e:
            raise ProjectError(problems_from_validation(e)) from None
        return tuple(value) if isinstance(value, list) else value

    return parse


def _fen_of(v: Any) -> int | None:
    """Yuan with at most two decimals → integer fen, exactly (None: not such an amount)."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return int(v) * 100 if v >= 0 else None
    if isinstance(v, (float, np.floating)):
        if v != v or v < 0:
            return None
        scaled = round(float(v) * 100)
        return scaled if abs(float(v) * 100 - scaled) < 1e-6 else None
    text = str(v).strip().replace(",", "")
    if not _FEN.match(text):
        return None
    whole, _, dec = text.partition(".")
    return int(whole) * 100 + int(dec.ljust(2, "0"))


def _fen(c: _Checker, column: str, blank: np.ndarray) -> np.ndarray:
    """A money column in integer fen (0 where blank); bad cells refuse their rows."""
    values, missing = per_value(
        c.raw[column], lambda v: None if _is_blank(v) else _fen_of(v), lambda v: v is None
    )
    bad = ~blank & missing
    c.refuse(bad, column, Msg("district.error.money", column=column))
    values[blank | bad] = 0
    return values.astype(np.int64)


def validate(raw: pd.DataFrame, source: str = "") -> Portfolio:
    """The clean frame (refused rows left out) and the refusals.  With `household` and
    `floor` columns the portfolio has one row per household (see `_detailed`)."""
    raw = raw.rename(columns=lambda h: str(h).strip())
    detailed = "household" in raw.columns or "floor" in raw.columns
    required = REQUIRED_DETAILED if detailed else REQUIRED
    known = REQUIRED + OPTIONAL + FACTS + (DETAILED if detailed else ())
    unknown = [h for h in raw.columns if h not in known]
    where = f"{source}: row 1" if source else "row 1"
    if unknown:
        raise problem(where, "community.error.unknown_columns", columns=", ".join(unknown))
    missing = [h for h in required if h not in raw.columns]
    if missing:
        raise problem(where, "district.error.missing_columns", columns=", ".join(missing))
    raw = raw.reset_index(drop=True)
    c = _Checker(raw)
    out = pd.DataFrame(index=raw.index)
    out["row"] = c.rows
    for name in required:
        c.required(name)
    ids = raw["id"].astype(str).str.strip()
    if not detailed:
        dup = ids.duplicated().to_numpy()
        c.refuse(dup & ~c.bad, "id", Msg("district.error.duplicate_id"))
    out["id"] = ids
    out["community"] = raw["community"].astype(str).str.strip()
    out["district"] = raw["district"].astype(str).str.strip()
    out["floors"] = c.by_value("floors", _int_in(1, MAX_FLOORS))
    if detailed:
        out["households_per_floor"] = 1
    else:
        out["households_per_floor"] = c.by_value("households_per_floor", _int_in(1, MAX_PER_FLOOR))
    out["area_m2"] = c.by_value("area_m2", _positive)
    out["cost_fen"] = _fen(c, "cost_yuan", _blank(raw["cost_yuan"]))
    _linear_costs(c, raw, out)
    out["policy"] = c.by_value("policy", _policy) if "policy" in raw else None
    out["scheme"] = c.by_value("scheme", _scheme) if "scheme" in raw else None
    out["date"] = c.by_value("date", _date) if "date" in raw else None
    gfp = "ground_floor_participates"
    out[gfp] = c.by_value(gfp, _yes_no).fillna(False).astype(bool) if gfp in raw else False
    if "coefficients" in raw:
        out["coefficients"] = c.by_value("coefficients", parse_coefficients)
    else:
        out["coefficients"] = None
    for name in FACTS:
        if name in raw:
            out[name] = c.categorical(name, _fact(name))
    out["detail"] = None
    if detailed:
        out = _detailed(c, raw, out)
    keep = ~c.bad[out.index] if detailed else ~c.bad
    frame = out[keep].copy()
    for name in ("floors", "households_per_floor"):
        frame[name] = frame[name].astype("int64")
    frame = frame.reset_index(drop=True)
    refused = sorted(c.refused, key=lambda r: (r.row, r.column))
    return Portfolio(frame=frame, refused=refused, rows_read=len(raw))


def _detailed(c: _Checker, raw: pd.DataFrame, out: pd.DataFrame) -> pd.DataFrame:
    """One row per household → one row per stairwell (its first row's stairwell columns)
    with `detail`: (household, floor, area, participates) in the file's order.  A
    stairwell with any refused row is refused whole."""
    floor = c.by_value("floor", _int_in(1, MAX_FLOORS))
    joins = c.by_value("participates", _yes_no) if "participates" in raw else None
    hid = raw["household"].astype(str).str.strip()
    floors = out["floors"]
    above = floor.notna() & floors.notna() & (floor.fillna(0) > floors.fillna(MAX_FLOORS))
    messages = [
        Msg("error.household.floor_above", household=h, floor=f, floors=n)
        for h, f, n in zip(hid[above], floor[above], floors[above])
    ]
    c.refuse(above.to_numpy() & ~c.bad, "floor", messages)
    dup = pd.Series(list(zip(out["id"], hid))).duplicated().to_numpy()
    c.refuse(dup & ~c.bad, "household", Msg("district.error.duplicate_household"))
    bad_ids = set(out["id"][c.bad])
    spoiled = out["id"].isin(bad_ids).to_numpy() & ~c.bad
    c.refuse(spoiled, "id", Msg("district.error.stairwell_refused"))
    first = ~out["id"].duplicated().to_numpy()
    detail: dict[str, list] = {}
    for i in np.flatnonzero(~c.bad):
        joined = True if joins is None or joins[i] is None else joins[i]
        detail.setdefault(out.at[i, "id"], []).append(
            (hid[i], int(floor[i]), out.at[i, "area_m2"], joined)
        )
    stairwells = out[first].copy()
    stairwells["detail"] = [tuple(detail.get(k, ())) for k in stairwells["id"]]
    stairwells["households_per_floor"] = [
        max([sum(1 for h in d if h[1] == f) for f in {h[1] for h in d}] or [1])
        for d in stairwells["detail"]
    ]
    return stairwells


def _linear_costs(c: _Checker, raw: pd.DataFrame, out: pd.DataFrame) -> None:
    """cost_fixed_yuan and cost_per_floor_yuan come together, and add up to cost_yuan."""
    have = [n for n in ("cost_fixed_yuan", "cost_per_floor_yuan") if n in raw]
    if not have:
        out["fixed_fen"] = pd.array([pd.NA] * len(raw), dtype="Int64")
        out["per_floor_fen"] = pd.array([pd.NA] * len(raw), dtype="Int64")
        return
    blanks = {n: _blank(raw[n]) if n in raw else np.ones(len(raw), bool) for n in have}
    fixed_blank = blanks.get("cost_fixed_yuan", np.ones(len(raw), bool))
    per_blank = blanks.get("cost_per_floor_yuan", np.ones(len(raw), bool))
    fixed = _fen(c, "cost_fixed_yuan", fixed_blank) if "cost_fixed_yuan" in raw else None
    per = _fen(c, "cost_per_floor_yuan", per_blank) if "cost_per_floor_yuan" in raw else None
    c.refuse(fixed_blank != per_blank, "cost_fixed_yuan", Msg("error.costs.fixed_pair"))
    given = ~fixed_blank & ~per_blank
    out["fixed_fen"] = pd.Series(np.where(given, fixed, 0), dtype="Int64").where(given)
    out["per_floor_fen"] = pd.Series(np.where(given, per, 0), dtype="Int64").where(given)
    floors = pd.to_numeric(out["floors"], errors="coerce").fillna(1).to_numpy(dtype=np.int64)
    if fixed is not None and per is not None:
        linear = fixed + per * (floors - 1)
        differs = given & ~c.bad & (linear != out["cost_fen"].to_numpy())
        messages = [
            Msg(
                "sharing.error.linear_differs",
                linear=_yuan(int(a)),
                cost=_yuan(int(b)),
            )
            for a, b in zip(linear[differs], out["cost_fen"].to_numpy()[differs])
        ]
        c.refuse(differs, "cost_fixed_yuan", messages)


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def refusal_problems(portfolio: Portfolio, limit: int = MAX_REPORTED) -> list[Problem]:
    """The refusals as problems named "row 7.cost_yuan"."""
    return [Problem(f"row {r.row}.{r.column}", r.message) for r in portfolio.refused[:limit]]
