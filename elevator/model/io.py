"""Reading and writing project files (YAML or JSON, one schema)."""

from __future__ import annotations

import json
import re
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
    if p.is_dir():
        raise ProjectError([Problem(str(p), Msg("error.file.is_directory"))])
    try:
        with open(p, "rb") as fh:  # at most the limit + 1 bytes: /dev/zero or a pipe too
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        raise ProjectError([Problem(str(p), Msg("error.file.unreadable"))])
    if len(raw) > MAX_FILE_BYTES:
        raise ProjectError(
            [Problem(str(p), Msg("error.file.too_large", limit=MAX_FILE_BYTES // 1000))]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError([Problem(str(p), Msg("error.file.not_utf8"))])
    return parse_text(text, json_hint=p.suffix.lower() == ".json", source=str(p))


MAX_DEPTH = 24  # the deepest project section is 5 levels; JSON/YAML bombs are far deeper
MAX_NODES = 200_000  # values in one file (YAML aliases can repeat a part many times)
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]{0,29})")


class _Loader(yaml.SafeLoader):
    """YAML as people mean it: a repeated key is an error; 0101, 0x1F, 1_000 or 1:20 are
    kept as the text written (YAML 1.1 would read the id 0101 as the octal 65); dates
    stay text (read, and bounded, by the model)."""


def _int_or_text(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    text = loader.construct_scalar(node)
    return int(text) if _PLAIN_INT.fullmatch(text) else text


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            if key in seen:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            seen[key] = 1
        except TypeError:  # an unhashable key: the constructor's own error follows
            pass
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        self.key, self.line = key, line


_Loader.add_constructor("tag:yaml.org,2002:int", _int_or_text)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
_Loader.construct_mapping = _mapping  # type: ignore[method-assign]


def _no_binary(loader: _Loader, node: yaml.Node) -> None:
    # bytes would pass as text past every check of the model (NUL included)
    raise yaml.constructor.ConstructorError(None, None, "binary data", node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:binary", _no_binary)


def _json_pairs(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key, 0)
        out[key] = value
    return out


def _json_int(text: str) -> int | str:
    # 5,000 digits would stop Python's int(); the model refuses the text with a message
    return int(text) if len(text) <= 30 else text


# PyYAML's scanner works in time quadratic in the nesting of [ and {: 10,000 levels take
# seconds, a 2 MB file of them hours.  Brackets are counted (quotes ignored: a note may
# make the count too high, never too low) and a file far past MAX_DEPTH refused first.
_BRACKETS_LIMIT = 200


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}" and depth:
            depth -= 1
    return deepest


def _load(text: str, json_hint: bool) -> Any:
    if not json_hint and _bracket_depth(text) > _BRACKETS_LIMIT:
        raise RecursionError("nested too deeply")
    if json_hint:
        return json.loads(text, object_pairs_hook=_json_pairs, parse_int=_json_int)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)


def parse_text(text: str, json_hint: bool = False, source: str = "") -> Any:
    try:
        data = _load(text, json_hint)
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
    except _DuplicateKey as e:
        message = (
            Msg("error.file.duplicate_key_at", key=str(e.key)[:80], line=e.line)
            if e.line
            else Msg("error.file.duplicate_key", key=str(e.key)[:80])
        )
        raise ProjectError([Problem(source, message)]) from None
    except RecursionError:
        raise ProjectError([Problem(source, Msg("error.file.too_deep", limit=MAX_DEPTH))]) from None
    except ValueError:  # e.g. a YAML float or date that no calendar holds
        raise ProjectError([Problem(source, Msg("error.file.yaml_syntax"))]) from None
    _check_shape(data, source)
    return data


def _check_shape(data: Any, source: str) -> None:
    """Refuse data nested deeper than MAX_DEPTH or with more than MAX_NODES values,
    walked without recursion (aliases are counted each time they are used)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise ProjectError([Problem(source, Msg("error.file.too_deep", limit=MAX_DEPTH))])
        if nodes > MAX_NODES:
            raise ProjectError([Problem(source, Msg("error.file.too_many", limit=MAX_NODES))])
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def parse_project(data: Any) -> Project:
    """Validate plain data as a project; all problems at once, each with its field."""
    if not isinstance(data, dict):
        raise ProjectError([Problem("", Msg("error.file.not_mapping"))])
    controls = control_characters(data)
    if controls:
        raise ProjectError(controls)
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


def control_characters(data: Any) -> list[Problem]:
    """Every text of the file (keys too) without control characters other than tab and
    line breaks: NUL and the like break workbooks and terminals later (ids and names
    are stricter still: elevator.core.types.Id)."""
    out: list[Problem] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack and len(out) < 20:
        where, value = stack.pop()
        items = (
            value.items()
            if isinstance(value, dict)
            else enumerate(value)
            if isinstance(value, list)
            else ()
        )
        for key, item in items:
            path = f"{where}[{key}]" if isinstance(value, list) else _join(where, key)
            for text in (key, item):
                bad = _control(text) if isinstance(text, str) else None
                if bad:
                    out.append(Problem(path, Msg("error.text.invisible", char=bad)))
                    break
            stack.append((path, item))
    return sorted(set(out), key=lambda p: p.field)


def _join(where: str, key: object) -> str:
    return f"{where}.{key}" if where else str(key)


def _control(text: str) -> str | None:
    for ch in text:
        if (ch < " " and ch not in "\t\n\r") or "\x7f" <= ch <= "\x9f":
            return f"U+{ord(ch):04X}"
    return None


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
