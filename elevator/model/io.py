"""Reading and writing project files (YAML or JSON, one schema)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from elevator.core.errors import Problem, ProjectError, problems_from_validation
from elevator.model.project import Project, cross_checks, household_problems

MAX_FILE_BYTES = 2_000_000  # a stairwell file is a few KB; refuse anything absurd


def read_data(path: str | Path) -> Any:
    """Parse a YAML or JSON file into plain data; errors become ProjectError."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        raise ProjectError(
            [Problem(str(p), "找不到文件或无法读取", "file not found or unreadable")]
        )
    if size > MAX_FILE_BYTES:
        raise ProjectError(
            [
                Problem(
                    str(p),
                    f"文件过大（上限 {MAX_FILE_BYTES // 1000} KB）",
                    f"file too large (limit {MAX_FILE_BYTES // 1000} KB)",
                )
            ]
        )
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError([Problem(str(p), "文件不是 UTF-8 文本", "file is not UTF-8 text")])
    return parse_text(text, json_hint=p.suffix.lower() == ".json", source=str(p))


def parse_text(text: str, json_hint: bool = False, source: str = "") -> Any:
    try:
        if json_hint:
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as e:
        raise ProjectError(
            [
                Problem(
                    source,
                    f"JSON 语法错误：第 {e.lineno} 行第 {e.colno} 列",
                    f"JSON syntax error at line {e.lineno}, column {e.colno}",
                )
            ]
        )
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where_zh = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        where_en = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ProjectError(
            [Problem(source, f"YAML 语法错误{where_zh}", f"YAML syntax error{where_en}")]
        )


def parse_project(data: Any) -> Project:
    """Validate plain data as a project; all problems at once, each with its field."""
    if not isinstance(data, dict):
        raise ProjectError([Problem("", "项目文件应为键值表", "a project file must be a mapping")])
    try:
        project = Project.model_validate(data)
    except ValidationError as e:
        found = problems_from_validation(e)
        known = {p.field for p in found}
        raise ProjectError(
            found + [p for p in _raw_household_problems(data) if p.field not in known]
        ) from None
    problems = cross_checks(project)
    if problems:
        raise ProjectError(problems)
    return project


def _raw_household_problems(data: dict) -> list[Problem]:
    building = data.get("building")
    if not isinstance(building, dict) or not isinstance(building.get("households"), list):
        return []
    pairs = [
        (h.get("id"), h.get("floor")) if isinstance(h, dict) else (None, None)
        for h in building["households"]
    ]
    return household_problems(building.get("floors"), pairs)


def load_project(path: str | Path) -> Project:
    return parse_project(read_data(path))


def project_to_data(project: Project) -> dict[str, Any]:
    """Plain data (numbers as strings where exact) ready for YAML or JSON."""
    return project.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def dump_project_yaml(project: Project) -> str:
    return yaml.safe_dump(project_to_data(project), allow_unicode=True, sort_keys=False)


def dump_project_json(project: Project) -> str:
    return json.dumps(project_to_data(project), ensure_ascii=False, indent=2)
