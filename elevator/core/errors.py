"""Bilingual problems: every bad input is named by its field, in Chinese and English.

Validators raise `fail(zh, en)`; pydantic's own errors are translated here, so
the CLI and the app show the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import PydanticCustomError


@dataclass(frozen=True)
class Problem:
    field: str  # dotted path, e.g. "building.households[3].area_m2"
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.field or '(文件 file)'}: {self.zh} / {self.en}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "zh": self.zh, "en": self.en}


class ProjectError(Exception):
    """One or more problems with the input; nothing was computed or saved."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def fail(zh: str, en: str) -> PydanticCustomError:
    """Error to raise inside a pydantic validator; keeps both languages."""
    return PydanticCustomError("elevator", "{zh} / {en}", {"zh": zh, "en": en})


def problem(field: str, zh: str, en: str) -> ProjectError:
    return ProjectError([Problem(field, zh, en)])


# pydantic error type -> (zh, en) templates; {…} filled from the error context
_TRANSLATIONS: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填项", "required field is missing"),
    "extra_forbidden": ("未知字段（拼写错误？）", "unknown field (misspelt?)"),
    "int_parsing": ("应为整数", "must be a whole number"),
    "int_type": ("应为整数", "must be a whole number"),
    "int_from_float": ("应为整数", "must be a whole number"),
    "float_parsing": ("应为数字", "must be a number"),
    "float_type": ("应为数字", "must be a number"),
    "decimal_parsing": ("应为数字", "must be a number"),
    "bool_parsing": ("应为 true 或 false", "must be true or false"),
    "bool_type": ("应为 true 或 false", "must be true or false"),
    "string_type": ("应为文字", "must be text"),
    "list_type": ("应为列表", "must be a list"),
    "dict_type": ("应为键值表", "must be a mapping"),
    "model_type": ("应为键值表", "must be a mapping"),
    "model_attributes_type": ("应为键值表", "must be a mapping"),
    "date_parsing": ("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD"),
    "date_from_datetime_parsing": ("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD"),
    "date_type": ("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD"),
    "greater_than": ("应大于 {gt}", "must be greater than {gt}"),
    "greater_than_equal": ("应不小于 {ge}", "must be at least {ge}"),
    "less_than": ("应小于 {lt}", "must be less than {lt}"),
    "less_than_equal": ("应不大于 {le}", "must be at most {le}"),
    "too_short": ("至少需要 {min_length} 项", "needs at least {min_length} item(s)"),
    "too_long": ("最多 {max_length} 项", "at most {max_length} item(s)"),
    "string_too_short": ("不能为空", "must not be empty"),
    "string_too_long": ("文字过长（最多 {max_length} 字）", "text too long (at most {max_length})"),
    "literal_error": ("取值应为 {expected} 之一", "must be one of {expected}"),
    "enum": ("取值应为 {expected} 之一", "must be one of {expected}"),
    "string_pattern_mismatch": ("格式不符", "has the wrong format"),
}


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in (
            "function-after",
            "function-before",
            "function-plain",
            "lax-or-strict",
            "union",
            "tagged-union",
        ) or str(part).startswith(("function-", "is-instance")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def problems_from_validation(exc: ValidationError, prefix: str = "") -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        field = _loc(tuple(err["loc"]))
        if prefix:
            field = f"{prefix}.{field}" if field else prefix
        ctx = err.get("ctx") or {}
        if err["type"] == "elevator":
            zh, en = ctx["zh"], ctx["en"]
        elif err["type"] == "value_error" and isinstance(ctx.get("error"), PydanticCustomError):
            zh, en = ctx["error"].context["zh"], ctx["error"].context["en"]
        elif err["type"] in _TRANSLATIONS:
            tzh, ten = _TRANSLATIONS[err["type"]]
            zh, en = tzh.format(**{k: v for k, v in ctx.items()}), ten.format(**ctx)
        else:
            zh, en = "取值无效：" + err["msg"], err["msg"]
        if (field, zh) in seen:  # unions repeat the same complaint per branch
            continue
        seen.add((field, zh))
        problems.append(Problem(field, zh, en))
    return problems
