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

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

from pydantic import Field, ValidationError

from .errors import Problem, ProjectError, problems_from_validation
from .feasibility import VERDICTS, VERDICT_LABELS, Assessment, compile_rules, evaluate_facts
from .model import Costs
from .money import money_str
from .site import STAGES, Site, StageName, site_fact_info
from .sheets import read_rows
from .types import Reference, Strict

PROJECT_SUFFIXES = (".yaml", ".yml", ".json")
SHEET_SUFFIXES = (".csv", ".xlsx")


# --- the community file ---------------------------------------------------

class _Level(Strict):
    floors: int | None = Field(None, ge=1, le=40)
    households: int | None = Field(None, ge=1, description="households in each stairwell")
    households_per_floor: int | None = Field(None, ge=1, le=20)
    policy: str | None = None
    stage: StageName | None = None
    costs: Costs | None = None
    site: dict[str, Any] | None = Field(None, description="site facts; override key by key")


class UnitSpec(_Level):
    name: str | None = Field(None, max_length=80)


class BuildingSpec(_Level):
    name: str = Field(min_length=1, max_length=80)
    units: int | list[UnitSpec] = Field(1, description="a count (1单元, 2单元 …) or a list")


class CommunityFile(Strict):
    community: str = Field(min_length=1, max_length=200)
    policy: str | None = None
    date: dt.date | None = None
    illustrative: bool = Field(False, description="true: the per-building facts are invented")
    note: str | None = None
    source: Reference | None = None
    expected: dict[str, int] | None = Field(
        None, description="published totals to check against: buildings, elevators, households")
    defaults: _Level = Field(default_factory=_Level)
    buildings: list[BuildingSpec] = Field(min_length=1)


# --- one stairwell, whatever it came from ---------------------------------

@dataclass
class Stairwell:
    building: str
    unit: str
    where: str                        # file, "row 7" or "buildings[2].units[0]"
    facts: dict[str, Any]
    floors: int | None = None
    households: int | None = None
    policy: str | None = None
    date: dt.date | None = None
    stage: str | None = None
    costs: Costs | None = None
    project: Any = None               # the Project when read from a project file

    @property
    def key(self) -> str:
        return f"{self.building} {self.unit}".strip()


@dataclass
class StairwellResult:
    stairwell: Stairwell
    assessment: Assessment
    subsidy: Fraction | None          # None: no cost known, so no subsidy computed


@dataclass
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


def stairwells_from_community(data: dict[str, Any], source: str = "") -> tuple[CommunityFile, list[Stairwell]]:
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
            households = u.households or b.households or (
                per_floor * floors if per_floor and floors else d.households)
            out.append(Stairwell(b.name, u.name or f"{ui + 1}单元", where, facts, floors,
                                 households, pick("policy") or spec.policy, spec.date,
                                 pick("stage"), pick("costs")))
    if problems:
        raise ProjectError(problems)
    return spec, out


_TRUE = {"true", "yes", "y", "1", "是", "有", "对", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "f"}
_NONE_LIST = {"none", "无", "没有", "-", "—", "[]"}
_SHEET_COLUMNS = ("building", "unit", "floors", "households", "policy", "date", "stage",
                  "cost_total", "cost_fixed", "cost_per_floor")
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


_PLAIN = (float,)    # spreadsheet numbers pass through untouched


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
        raise ProjectError([Problem(f"{where}.{name}", f"应为 是/否（不是 {value!r}）",
                                    f"must be yes or no (not {value!r})")])
    if name == "pipelines_in_footprint" and isinstance(value, str):
        if value.lower() in _NONE_LIST:
            return []
        return [p for p in re.split(r"[,;、，；/|\s]+", value.lower()) if p]
    return value


def sheet_rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) for a CSV or XLSX sheet (elevator.sheets)."""
    try:
        content = path.read_bytes()
    except OSError:
        raise ProjectError([Problem(str(path), "无法读取文件", "cannot read the file")]) from None
    rows = read_rows(content, str(path))
    header = None
    for n, row in enumerate(rows, start=1):
        if header is None:
            header = [_column(h) for h in row]
            known = set(_SHEET_COLUMNS) | set(_FACTS) | {"note"}
            bad = [h for h in header if h is not None and h not in known]
            if bad:
                raise ProjectError([Problem(f"{path.name}: 第 1 行 row 1", f"未知列：{', '.join(bad)}",
                                            f"unknown column(s): {', '.join(bad)}")])
            if "building" not in header:
                raise ProjectError([Problem(f"{path.name}: 第 1 行 row 1", "缺少 building 列",
                                            "the sheet needs a building column")])
            continue
        if not any(v not in (None, "") for v in row):
            continue
        yield n, {h: v for h, v in zip(header, row) if h is not None}
    if header is None:
        raise ProjectError([Problem(str(path), "表格为空", "the sheet is empty")])


def stairwells_from_sheet(path: Path) -> list[Stairwell]:
    out, problems = [], []
    headers: dict[tuple, _Level] = {}
    for n, row in sheet_rows(path):
        where = f"row {n}"
        try:
            values = {k: (v if v is None or v.__class__ in _PLAIN else _cell(k, v, where))
                      for k, v in row.items()}
            floors = values.pop("floors", None)
            meta = {k: values.pop(k, None) for k in _SHEET_COLUMNS if k != "floors"}
            cost_keys = {"cost_total": "total", "cost_fixed": "fixed", "cost_per_floor": "per_floor"}
            cost_data = {v: meta[k] for k, v in cost_keys.items() if meta[k] is not None}
            # rows of a district repeat the same few headers: validate each once
            hkey = (floors, meta["households"], meta["policy"], meta["stage"],
                    tuple(sorted(cost_data.items())))
            header = headers.get(hkey)
            if header is None:
                header = headers[hkey] = _Level.model_validate({
                    "floors": floors, "households": meta["households"],
                    "policy": meta["policy"], "stage": meta["stage"], "costs": cost_data or None})
            if floors is not None:
                values.setdefault("storeys", header.floors)
            facts = _site_facts({k: v for k, v in values.items() if v is not None}, where)
            date = dt.date.fromisoformat(str(meta["date"])[:10]) if meta["date"] else None
        except ValidationError as e:
            problems += problems_from_validation(e, prefix=where)
            continue
        except ValueError:
            problems.append(Problem(f"{where}.date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD"))
            continue
        except ProjectError as e:
            problems += e.problems
            continue
        if len(problems) > 50:
            break
        out.append(Stairwell(str(meta["building"] or "?"), str(meta["unit"] or ""), where, facts,
                             header.floors, header.households, header.policy, date,
                             header.stage, header.costs))
    if problems:
        raise ProjectError(problems[:50])
    return out


def stairwell_from_project(project, where: str) -> Stairwell:
    from .feasibility import facts_of   # noqa: PLC0415
    building = project.building.name or project.name
    unit = project.name if project.building.name else ""
    return Stairwell(building, unit, where, facts_of(project), project.building.floors,
                     len(project.building.households), project.policy, project.date,
                     project.evaluation.stage if project.evaluation else None, project.costs,
                     project)


def load_community(path: str | Path) -> tuple[dict[str, Any], list[Stairwell]]:
    """(description, stairwells) of a folder, community file or sheet."""
    from .io import parse_project, read_data   # noqa: PLC0415
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                       and f.suffix.lower() in PROJECT_SUFFIXES + SHEET_SUFFIXES)
        if not files:
            raise ProjectError([Problem(str(p), "文件夹中没有项目文件", "no project files in the folder")])
        info: dict[str, Any] = {"name": p.name, "source": str(p)}
        out, problems = [], []
        for f in files:
            try:
                sub_info, sub = load_community(f)
            except ProjectError as e:
                problems += [Problem(f"{f.name}: {q.field}" if q.field != str(f) else q.field,
                                     q.zh, q.en) for q in e.problems]
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
    if p.suffix.lower() in SHEET_SUFFIXES:
        if not p.is_file():
            raise ProjectError([Problem(str(p), "找不到文件或无法读取", "file not found or unreadable")])
        return {"name": p.stem, "source": str(p)}, stairwells_from_sheet(p)
    data = read_data(p)
    if isinstance(data, dict) and "buildings" in data:
        spec, rows = stairwells_from_community(data, str(p))
        return ({"name": spec.community, "community": spec.community, "source": str(p),
                 "illustrative": spec.illustrative, "note": spec.note,
                 "expected": spec.expected}, rows)
    try:
        project = parse_project(data)
    except ProjectError as e:
        raise ProjectError([Problem(f"{p.name}: {q.field}" if q.field else p.name, q.zh, q.en)
                            for q in e.problems]) from None
    return {"name": project.community or project.name, "source": str(p), "single": True}, \
        [stairwell_from_project(project, p.name)]


def is_community(path: str | Path) -> bool:
    """True unless the path is one project file."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() in SHEET_SUFFIXES:
        return True
    from .io import read_data   # noqa: PLC0415
    data = read_data(p)
    return isinstance(data, dict) and "buildings" in data


# --- subsidy under the stairwell's policy ---------------------------------

def subsidy_of(s: Stairwell, cache: dict | None = None) -> Fraction | None:
    """Subsidy the stairwell would draw (elevator.sharing.funding_lines), None if no cost."""
    from .sharing import construction_cost, funding_lines   # noqa: PLC0415
    if s.project is not None:
        cost, _, _ = construction_cost(s.project)
        return sum((x.amount for x in funding_lines(s.project, cost) if x.kind == "subsidy"),
                   Fraction(0))
    if s.costs is None or s.floors is None:
        return None
    # keyed by the Costs object's identity: stairwells of one sheet or community file
    # share one object per distinct cost, and the cache lives only for one check
    cache = {} if cache is None else cache
    key = (s.policy, s.date, s.floors, id(s.costs))
    if key not in cache:
        from .io import parse_project   # noqa: PLC0415
        # One placeholder household per floor: funding depends on the cost, the policy and
        # the number of stops, never on the households.
        project = parse_project({
            "name": s.key or "stairwell", "policy": s.policy, "date": s.date,
            "building": {"floors": s.floors,
                         "households": [{"id": str(f), "floor": f, "area_m2": 1}
                                        for f in range(1, s.floors + 1)]},
            "costs": s.costs.model_dump(mode="json", exclude_none=True)})
        cost, _, _ = construction_cost(project)
        cache[key] = sum((x.amount for x in funding_lines(project, cost)
                          if x.kind == "subsidy"), Fraction(0))
    return cache[key]


# --- checking -------------------------------------------------------------

def check_stairwells(stairwells: list[Stairwell], info: dict[str, Any] | None = None) -> CommunityResult:
    info = info or {}
    today = dt.date.today()
    rows, subsidies = [], {}
    for s in stairwells:
        a = evaluate_facts(s.facts, compile_rules(s.policy, s.date or today), s.key)
        rows.append(StairwellResult(s, a, subsidy_of(s, subsidies)))
    return CommunityResult(info.get("name") or "", info.get("source") or "", rows,
                           bool(info.get("illustrative")), info.get("note"), info.get("expected"))


def check_community(path: str | Path) -> CommunityResult:
    info, stairwells = load_community(path)
    return check_stairwells(stairwells, info)


# --- output ---------------------------------------------------------------

def _m(x: Fraction | None) -> str:
    return "—" if x is None else money_str(x)


def summary_rows(result: CommunityResult, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    i = 0 if lang == "zh" else 1
    headers = [("楼栋", "Building"), ("单元", "Unit"), ("层数", "Floors"), ("户数", "Households"),
               ("结论", "Verdict"), ("阻断项 / 条件 / 缺少", "Blocking / conditions / missing"),
               ("条件费用", "Condition cost"), ("补贴", "Subsidy"), ("阶段", "Stage")]
    from .site import stage_checklists   # noqa: PLC0415
    stage_names = {k: v["name"]["zh" if lang == "zh" else "en"] for k, v in stage_checklists().items()}
    quote = "待报价" if lang == "zh" else "to be quoted"
    rows = []
    for r in result.rows:
        s, a = r.stairwell, r.assessment
        cost = ""
        if a.conditions:
            cost = money_str(a.condition_cost) if a.condition_cost or not a.uncosted else quote
            if a.condition_cost and a.uncosted:
                cost += f" + {quote}"
        if a.blocking:
            detail = ", ".join(a.blocking)
        elif a.missing:
            detail = ("缺 " if lang == "zh" else "missing ") + ", ".join(a.missing)
        else:
            detail = ", ".join(c.rule for c in a.conditions)
        rows.append([s.building, s.unit, str(s.floors or "—"), str(s.households or "—"),
                     VERDICT_LABELS[a.verdict][i], detail,
                     cost, _m(r.subsidy), stage_names.get(s.stage, "")])
    return [h[i] for h in headers], rows


def community_text(result: CommunityResult, lang: str = "zh") -> str:
    from .report import text_table   # noqa: PLC0415
    zh = lang == "zh"
    i = 0 if zh else 1
    lines = [result.name]
    if result.illustrative:
        lines.append("【示例数据】各楼栋资料为示意，并非实测。" if zh else
                     "[ILLUSTRATIVE] per-building facts are invented, not measured.")
    if result.note:
        lines.append(result.note.strip())
    lines.append("")
    headers, rows = summary_rows(result, lang)
    lines.append(text_table(headers, rows))
    lines.append("")
    counts = "  ".join((f"{VERDICT_LABELS[v][0]} {v}" if zh else v) + f": {n}"
                       for v, n in result.counts.items())
    lines.append(("各结论数量：" if zh else "Counts: ") + counts)
    lines.append(("楼栋 / 单元（电梯）/ 户数：" if zh else "Buildings / stairwells (elevators) / households: ")
                 + f"{result.buildings} / {len(result.rows)} / {result.households}")
    uncosted = sum(1 for r in result.rows if r.assessment.verdict == "conditional"
                   and r.assessment.uncosted)
    lines.append(("有条件可行单元的条件费用合计：" if zh else "Total condition cost (conditional stairwells): ")
                 + money_str(result.condition_cost)
                 + (f"（另有 {uncosted} 个单元的条件待报价）" if zh and uncosted else "")
                 + (f" (+ {uncosted} stairwell(s) with conditions to be quoted)"
                    if not zh and uncosted else ""))
    for verdict in ("feasible", "conditional"):
        unknown = result.subsidy_unknown(verdict)
        label = VERDICT_LABELS[verdict][i]
        lines.append((f"{label}单元按各自政策所需补贴合计：" if zh else
                      f"Subsidy the {label} stairwells would need under their policy: ")
                     + money_str(result.subsidy(verdict))
                     + ((f"（{unknown} 个单元缺造价，未计）" if zh else
                         f" ({unknown} without a cost, not counted)") if unknown else ""))
    if result.expected:
        lines.append(("公开数据：" if zh else "Published figures: ")
                     + ", ".join(f"{k} {v}" for k, v in result.expected.items()))
    return "\n".join(lines) + "\n"


def community_json(result: CommunityResult, details: bool = False) -> dict[str, Any]:
    from .feasibility import assessment_json   # noqa: PLC0415
    rows = []
    for r in result.rows:
        s, a = r.stairwell, r.assessment
        row = {"building": s.building, "unit": s.unit, "where": s.where, "floors": s.floors,
               "households": s.households, "policy": a.policy, "stage": s.stage,
               "verdict": a.verdict, "blocking": list(a.blocking),
               "conditions": [c.rule for c in a.conditions],
               "condition_cost": money_str(a.condition_cost), "uncosted": list(a.uncosted),
               "missing": list(a.missing),
               "subsidy": None if r.subsidy is None else money_str(r.subsidy)}
        if details:
            row["assessment"] = assessment_json(a, s.project)
        rows.append(row)
    return {
        "community": result.name, "source": result.source, "illustrative": result.illustrative,
        "note": result.note, "expected": result.expected,
        "stairwells": rows, "counts": result.counts,
        "totals": {"buildings": result.buildings, "stairwells": len(result.rows),
                   "households": result.households,
                   "condition_cost": money_str(result.condition_cost),
                   "subsidy_feasible": money_str(result.subsidy("feasible")),
                   "subsidy_conditional": money_str(result.subsidy("conditional")),
                   "subsidy_unknown": {v: result.subsidy_unknown(v) for v in
                                       ("feasible", "conditional")}},
    }


def sheet_template(lang_both: bool = True) -> str:
    """A CSV header (and one example row) evaluators can fill, one row per stairwell."""
    info = site_fact_info()
    names = list(_SHEET_COLUMNS) + [n for n in info if n != "storeys"]
    labels = {"building": "楼栋", "unit": "单元", "floors": "层数", "households": "户数",
              "policy": "政策", "date": "日期", "stage": "阶段", "cost_total": "造价",
              "cost_fixed": "固定费用", "cost_per_floor": "每层费用"}
    header = [f"{labels.get(n) or info[n]['zh']} {n}" if lang_both else n for n in names]
    buf = io.StringIO()
    csv.writer(buf).writerow(header)
    return buf.getvalue()


__all__ = ["CommunityFile", "CommunityResult", "Stairwell", "StairwellResult", "check_community",
           "check_stairwells", "community_json", "community_text", "is_community",
           "load_community", "sheet_template", "subsidy_of", "summary_rows", "STAGES"]
