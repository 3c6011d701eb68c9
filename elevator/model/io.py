"""Reading and writing project files (YAML or JSON, one schema)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from elevator.core.errors import Problem, ProjectError, problems_from_validation
from elevator.core.text import Msg
from elevator.model.project import Project, cross_checks, household_problems

MAX_FILE_BYTES = 2_000_000  # a stairwell file is a few KB; refuse anything absurd


def read_data(path: str | Path) -> Any:
    """Parse a YAML or JSON file into plain data; errors become ProjectError."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        raise ProjectError([Problem(str(p), Msg("error.file.unreadable"))])
    if size > MAX_FILE_BYTES:
        raise ProjectError(
            [Problem(str(p), Msg("error.file.too_large", limit=MAX_FILE_BYTES // 1000))]
        )
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError([Problem(str(p), Msg("error.file.not_utf8"))])
    return parse_text(text, json_hint=p.suffix.lower() == ".json", source=str(p))


def parse_text(text: str, json_hint: bool = False, source: str = "") -> Any:
    try:
        if json_hint:
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as e:
        raise ProjectError(
            [Problem(source, Msg("error.file.json_syntax", line=e.lineno, column=e.colno))]
        )
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        message = (
            Msg("error.file.yaml_syntax_at", line=mark.line + 1, column=mark.column + 1)
            if mark
            else Msg("error.file.yaml_syntax")
        )
        raise ProjectError([Problem(source, message)])


def parse_project(data: Any) -> Project:
    """Validate plain data as a project; all problems at once, each with its field."""
    if not isinstance(data, dict):
        raise ProjectError([Problem("", Msg("error.file.not_mapping"))])
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
