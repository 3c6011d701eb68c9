"""Whole communities: run the checklist on every stairwell and sum up.

A community comes as
  - a folder of project files (each a stairwell; community files and sheets inside are
    expanded too),
  - one community file (YAML/JSON with `buildings:`; defaults → building → unit, each
    level overriding site facts key by key), or
  - a CSV/XLSX sheet with one row per stairwell (columns: building, unit, floors,
    households, policy, date, stage, cost_total, cost_fixed, cost_per_floor, and any
    `site` fact; an empty cell is a missing fact).

The summary gives the verdict per stairwell, counts per verdict, the total cost of the
conditions, and the subsidy the feasible stairwells would draw under their own policy
(computed by elevator.sharing.funding_lines, the same code as a cost table).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError

from elevator.core.errors import Problem, ProjectError, problem, problems_from_validation
from elevator.core.text import Msg, t
from elevator.core.types import FIRST_DAY, LAST_DAY, Day, Reference, Strict
from elevator.feasibility.checklist import VERDICTS, Assessment, compile_rules, evaluate_facts
from elevator.model.project import Costs
from elevator.model.sheets import read_rows
from elevator.model.site import STAGES, Site, StageName, site_fact_info

PROJECT_SUFFIXES = (".yaml", ".yml", ".json")
SHEET_SUFFIXES = (".csv", ".xlsx")


# --- the community file ---------------------------------------------------


def _unit_name(number: int) -> str:
    """A stairwell's default name, "1单元": data, the same whatever the reader's language."""
    return t("community.unit_name", "zh", number=number)


class _Level(Strict):
    floors: int | None = Field(None, ge=1, le=40)
    households: int | None = Field(None, ge=1, le=1000, description="households in each stairwell")
    households_per_floor: int | None = Field(None, ge=1, le=20)
    policy: str | None = Field(None, max_length=64)
    stage: StageName | None = None
    costs: Costs | None = None
    site: dict[str, Any] | None = Field(None, description="site facts; override key by key")


class UnitSpec(_Level):
    name: str | None = Field(None, max_length=80)


class BuildingSpec(_Level):
    name: str = Field(min_length=1, max_length=80)
    # a building has a handful of stairwells; the limit keeps a typo from making millions
    units: (
        Annotated[int, Field(ge=1, le=100)] | Annotated[list[UnitSpec], Field(max_length=100)]
    ) = Field(
        1,
        description=f"a count ({_unit_name(1)}, {_unit_name(2)} …) or a list",
    )


class CommunityFile(Strict):
    community: str = Field(min_length=1, max_length=200)
    policy: str | None = Field(None, max_length=64)
    date: Day | None = None
    illustrative: bool = Field(False, description="true: the per-building facts are invented")
    note: str | None = None
    source: Reference | None = None
    expected: dict[str, int] | None = Field(
        None, description="published totals to check against: buildings, elevators, households"
    )
    defaults: _Level = Field(default_factory=_Level)
    buildings: list[BuildingSpec] = Field(min_length=1, max_length=5000)


# --- one stairwell, whatever it came from ---------------------------------


@dataclass(kw_only=True)
class Stairwell:
    building: str
    unit: str
    where: str  # file, "row 7" or "buildings[2].units[0]"
    facts: dict[str, Any]
    floors: int | None = None
    households: int | None = None
    policy: str | None = None
    date: dt.date | None = None
    stage: str | None = None
    costs: Costs | None = None
    project: Any = None  # the Project when read from a project file

    @property
    def key(self) -> str:
        return f"{self.building} {self.unit}".strip()


@dataclass
class StairwellResult:
    stairwell: Stairwell
    assessment: Assessment
    subsidy: Fraction | None  # None: no cost known, so no subsidy computed


@dataclass(kw_only=True)
class CommunityResult:
    name: str
    source: str
    rows: list[StairwellResult]
    illustrative: bool = False
    note: str | None = None
    expected: dict[str, int] | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = {v: 0 for v in VERDICTS}
        self._subsidy = {v: Fraction(0) for v in VERDICTS}
        self._unknown = {v: 0 for v in VERDICTS}
        self._condition_cost = Fraction(0)
        for r in self.rows:
            v = r.assessment.verdict
            self.counts[v] += 1
            if r.subsidy is None:
                self._unknown[v] += 1
            else:
                self._subsidy[v] += r.subsidy
            if v == "conditional":
                self._condition_cost += r.assessment.condition_cost

    @property
    def households(self) -> int:
        return sum(r.stairwell.households or 0 for r in self.rows)

    @property
    def buildings(self) -> int:
        return len({r.stairwell.building for r in self.rows})

    @property
    def condition_cost(self) -> Fraction:
        """Cost of the conditions of the conditional stairwells (costed ones only)."""
        return self._condition_cost

    def subsidy(self, verdict: str) -> Fraction:
        return self._subsidy[verdict]

    def subsidy_unknown(self, verdict: str) -> int:
        return self._unknown[verdict]


# --- reading --------------------------------------------------------------


def _site_facts(data: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        return Site.model_validate(data).facts()
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=where)) from None


def stairwells_from_community(
    data: dict[str, Any], source: str = ""
) -> tuple[CommunityFile, list[Stairwell]]:
    try:
        spec = CommunityFile.model_validate(data)
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e)) from None
    d = spec.defaults
    out: list[Stairwell] = []
    problems: list[Problem] = []
    for bi, b in enumerate(spec.buildings):
        units = b.units if isinstance(b.units, list) else [UnitSpec() for _ in range(b.units)]
        for ui, u in enumerate(units):
            where = f"buildings[{bi}]" + (f".units[{ui}]" if isinstance(b.units, list) else "")

            def pick(name: str):
                for level in (u, b, d):
                    value = getattr(level, name)
                    if value is not None:
                        return value
                return None

            site = {**(d.site or {}), **(b.site or {}), **(u.site or {})}
            floors = pick("floors")
            if floors is not None:
                site.setdefault("storeys", floors)
            try:
                facts = _site_facts(site, f"{where}.site")
            except ProjectError as e:
                problems += e.problems
                continue
            per_floor = pick("households_per_floor")
            households = (
                u.households
                or b.households
                or (per_floor * floors if per_floor and floors else d.households)
            )
            out.append(
                Stairwell(
                    building=b.name,
                    unit=u.name or _unit_name(ui + 1),
                    where=where,
                    facts=facts,
                    floors=floors,
                    households=households,
                    policy=pick("policy") or spec.policy,
                    date=spec.date,
                    stage=pick("stage"),
                    costs=pick("costs"),
                )
            )
    if problems:
        raise ProjectError(problems)
    return spec, out


# words accepted in a sheet's cells (input vocabulary, not text shown)
_TRUE = {"true", "yes", "y", "1", "是", "有", "对", "t"}  # zh-ok
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "f"}  # zh-ok
_NONE_LIST = {"none", "无", "没有", "-", "—", "[]"}  # zh-ok
_LIST_SEPARATORS = r"[,;、，；/|\s]+"  # zh-ok
_SHEET_COLUMNS = (
    "building",
    "unit",
    "floors",
    "households",
    "policy",
    "date",
    "stage",
    "cost_total",
    "cost_fixed",
    "cost_per_floor",
)
_FACTS = site_fact_info()
_BOOL_FACTS = {n for n, f in Site.model_fields.items() if f.annotation == (bool | None)}


def _column(header: str) -> str | None:
    """'fire_lane_width_after_m' or '加装后消防车道净宽 fire_lane_width_after_m' or '… (name)'."""
    text = str(header or "").strip().lower()
    if not text:
        return None
    m = re.search(r"([a-z][a-z0-9_]*)\)?\s*$", text)
    name = m.group(1) if m else text
    return name


_PLAIN = (float,)  # spreadsheet numbers pass through untouched


def _cell(name: str, value: Any, where: str) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if name in _BOOL_FACTS and isinstance(value, (str, int)) and not isinstance(value, bool):
        low = str(value).lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise problem(f"{where}.{name}", "community.error.yes_no", value=repr(value))
    if name == "pipelines_in_footprint" and isinstance(value, str):
        if value.lower() in _NONE_LIST:
            return []
        return [p for p in re.split(_LIST_SEPARATORS, value.lower()) if p]
    return value


def _zh_en(key: str) -> str:
    """A place named in both languages, as the field of a problem ("第 1 行 row 1")."""
    return f"{t(key, 'zh')} {t(key, 'en')}"


def sheet_rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) for a CSV or XLSX sheet (elevator.sheets)."""
    try:
        content = path.read_bytes()
    except OSError:
        raise problem(str(path), "community.error.unreadable") from None
    rows = read_rows(content, str(path))
    header = None
    first_row = f"{path.name}: {_zh_en('community.where.first_row')}"
    for n, row in enumerate(rows, start=1):
        if header is None:
            header = [_column(h) for h in row]
            known = set(_SHEET_COLUMNS) | set(_FACTS) | {"note"}
            bad = [h for h in header if h is not None and h not in known]
            if bad:
                raise problem(first_row, "community.error.unknown_columns", columns=", ".join(bad))
            if "building" not in header:
                raise problem(first_row, "community.error.no_building_column")
            continue
        if not any(v not in (None, "") for v in row):
            continue
        yield n, {h: v for h, v in zip(header, row) if h is not None}
    if header is None:
        raise problem(str(path), "community.error.empty_sheet")


def stairwells_from_sheet(path: Path) -> list[Stairwell]:
    out, problems = [], []
    headers: dict[tuple, _Level] = {}
    for n, row in sheet_rows(path):
        where = f"row {n}"
        try:
            out.append(_sheet_stairwell(row, where, headers))
        except ValidationError as e:
            problems += problems_from_validation(e, prefix=where)
        except ValueError:
            problems.append(Problem(f"{where}.date", Msg("community.error.date")))
        except ProjectError as e:
            problems += e.problems
        if len(problems) > 50:
            break
    if problems:
        raise ProjectError(problems[:50])
    return out


_SHEET_COSTS = {"cost_total": "total", "cost_fixed": "fixed", "cost_per_floor": "per_floor"}


def _sheet_stairwell(row: dict[str, Any], where: str, headers: dict[tuple, _Level]) -> Stairwell:
    """One sheet row; `headers` caches the validated header values shared by many rows."""
    values = {
        k: (v if v is None or v.__class__ in _PLAIN else _cell(k, v, where)) for k, v in row.items()
    }
    floors = values.pop("floors", None)
    meta = {k: values.pop(k, None) for k in _SHEET_COLUMNS if k != "floors"}
    cost_data = {v: meta[k] for k, v in _SHEET_COSTS.items() if meta[k] is not None}
    # rows of a district repeat the same few headers: validate each once
    hkey = (
        floors,
        meta["households"],
        meta["policy"],
        meta["stage"],
        tuple(sorted(cost_data.items())),
    )
    header = headers.get(hkey)
    if header is None:
        header = headers[hkey] = _Level.model_validate(
            {
                "floors": floors,
                "households": meta["households"],
                "policy": meta["policy"],
                "stage": meta["stage"],
                "costs": cost_data or None,
            }
        )
    if floors is not None:
        values.setdefault("storeys", header.floors)
    facts = _site_facts({k: v for k, v in values.items() if v is not None}, where)
    date = dt.date.fromisoformat(str(meta["date"])[:10]) if meta["date"] else None
    if date is not None and not FIRST_DAY <= date <= LAST_DAY:
        raise ValueError("a date outside 1990-2100")  # as every project date
    return Stairwell(
        building=str(meta["building"] or "?"),
        unit=str(meta["unit"] or ""),
        where=where,
        facts=facts,
        floors=header.floors,
        households=header.households,
        policy=header.policy,
        date=date,
        stage=header.stage,
        costs=header.costs,
    )


def stairwell_from_project(project, where: str) -> Stairwell:
    from elevator.feasibility.checklist import facts_of  # noqa: PLC0415

    building = project.building.name or project.name
    unit = project.name if project.building.name else ""
    return Stairwell(
        building=building,
        unit=unit,
        where=where,
        facts=facts_of(project),
        floors=project.building.floors,
        households=len(project.building.households),
        policy=project.policy,
        date=project.date,
        stage=project.evaluation.stage if project.evaluation else None,
        costs=project.costs,
        project=project,
    )


def _load_folder(p: Path) -> tuple[dict[str, Any], list[Stairwell]]:
    """Every project, community file and sheet under a folder, as one community."""
    files = sorted(
        f
        for f in p.rglob("*")
        if f.is_file()
        and not f.name.startswith(".")
        and f.suffix.lower() in PROJECT_SUFFIXES + SHEET_SUFFIXES
    )
    if not files:
        raise problem(str(p), "community.error.empty_folder")
    info: dict[str, Any] = {"name": p.name, "source": str(p)}
    out, problems = [], []
    for f in files:
        try:
            sub_info, sub = load_community(f)
        except ProjectError as e:
            problems += [
                Problem(f"{f.name}: {q.field}" if q.field != str(f) else q.field, q.message)
                for q in e.problems
            ]
            continue
        for key in ("illustrative", "note", "expected"):
            if sub_info.get(key):
                info[key] = sub_info[key]
        if sub_info.get("community"):
            info["name"] = sub_info["community"]
        out += sub
    if problems:
        raise ProjectError(problems)
    return info, out


def load_community(path: str | Path) -> tuple[dict[str, Any], list[Stairwell]]:
    """(description, stairwells) of a folder, community file or sheet."""
    from elevator.model.io import parse_project, read_data  # noqa: PLC0415

    p = Path(path)
    if p.is_dir():
        return _load_folder(p)
    if p.suffix.lower() in SHEET_SUFFIXES:
        if not p.is_file():
            raise problem(str(p), "community.error.not_found")
        return {"name": p.stem, "source": str(p)}, stairwells_from_sheet(p)
    data = read_data(p)
    if isinstance(data, dict) and "buildings" in data:
        spec, rows = stairwells_from_community(data, str(p))
        return (
            {
                "name": spec.community,
                "community": spec.community,
                "source": str(p),
                "illustrative": spec.illustrative,
                "note": spec.note,
                "expected": spec.expected,
            },
            rows,
        )
    try:
        project = parse_project(data)
    except ProjectError as e:
        raise ProjectError(
            [Problem(f"{p.name}: {q.field}" if q.field else p.name, q.message) for q in e.problems]
        ) from None
    return {"name": project.community or project.name, "source": str(p), "single": True}, [
        stairwell_from_project(project, p.name)
    ]


def is_community(path: str | Path) -> bool:
    """True unless the path is one project file."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() in SHEET_SUFFIXES:
        return True
    from elevator.model.io import read_data  # noqa: PLC0415

    data = read_data(p)
    return isinstance(data, dict) and "buildings" in data


# --- subsidy under the stairwell's policy ---------------------------------


def subsidy_of(s: Stairwell, cache: dict | None = None) -> Fraction | None:
    """Subsidy the stairwell would draw (elevator.sharing.funding_lines), None if no cost."""
    from elevator.sharing.engine import construction_cost, funding_lines  # noqa: PLC0415

    if s.project is not None:
        cost, _ = construction_cost(s.project)
        return sum(
            (x.amount for x in funding_lines(s.project, cost) if x.kind == "subsidy"), Fraction(0)
        )
    if s.costs is None or s.floors is None:
        return None
    # keyed by the Costs object's identity: stairwells of one sheet or community file
    # share one object per distinct cost, and the cache lives only for one check
    cache = {} if cache is None else cache
    key = (s.policy, s.date, s.floors, id(s.costs))
    if key not in cache:
        from elevator.model.io import parse_project  # noqa: PLC0415

        # One placeholder household per floor: funding depends on the cost, the policy and
        # the number of stops, never on the households.
        project = parse_project(
            {
                "name": s.key or "stairwell",
                "policy": s.policy,
                "date": s.date,
                "building": {
                    "floors": s.floors,
                    "households": [
                        {"id": str(f), "floor": f, "area_m2": 1} for f in range(1, s.floors + 1)
                    ],
                },
                "costs": s.costs.model_dump(mode="json", exclude_none=True),
            }
        )
        cost, _ = construction_cost(project)
        cache[key] = sum(
            (x.amount for x in funding_lines(project, cost) if x.kind == "subsidy"), Fraction(0)
        )
    return cache[key]


# --- checking -------------------------------------------------------------


def check_stairwells(
    stairwells: list[Stairwell], info: dict[str, Any] | None = None
) -> CommunityResult:
    info = info or {}
    today = dt.date.today()
    rows, subsidies = [], {}
    for s in stairwells:
        a = evaluate_facts(s.facts, compile_rules(s.policy, s.date or today), s.key)
        rows.append(StairwellResult(s, a, subsidy_of(s, subsidies)))
    return CommunityResult(
        name=info.get("name") or "",
        source=info.get("source") or "",
        rows=rows,
        illustrative=bool(info.get("illustrative")),
        note=info.get("note"),
        expected=info.get("expected"),
    )


def check_community(path: str | Path) -> CommunityResult:
    info, stairwells = load_community(path)
    return check_stairwells(stairwells, info)


__all__ = [
    "CommunityFile",
    "CommunityResult",
    "Stairwell",
    "StairwellResult",
    "check_community",
    "check_stairwells",
    "is_community",
    "load_community",
    "subsidy_of",
    "STAGES",
]
