"""Bilingual problems: every bad input is named by its field, in Chinese and English.

One way to raise one:  `raise problem("costs.total", "error.money.whole_fen")` (a key
of the text catalogue and its parameters).  Inside a pydantic validator:
`raise fail("error.area.positive")`.  pydantic's own errors are translated here, so the
CLI and the app show the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from elevator.core.text import Msg, t


class _Words:
    """Words already in both languages (pydantic's untranslated message, data texts)."""

    __slots__ = ("zh", "en")

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Words) and (self.zh, self.en) == (other.zh, other.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))


class Problem:
    """A field (dotted path, e.g. "building.households[3].area_m2") and what is wrong."""

    __slots__ = ("field", "message")

    def __init__(self, field: str, message: Msg | str, en: str | None = None) -> None:
        # Problem(field, Msg(...)); Problem(field, zh, en) only for words that arrive in
        # both languages already (never for words written in code)
        self.field = field
        if isinstance(message, (Msg, _Words)):
            self.message = message
        else:
            self.message = _Words(message, en or message)

    @property
    def zh(self) -> str:
        return self.message.text("zh")

    @property
    def en(self) -> str:
        return self.message.text("en")

    def text(self, lang: str = "zh") -> str:
        return self.message.text(lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and (self.field, self.zh, self.en) == (
            other.field,
            other.zh,
            other.en,
        )

    def __hash__(self) -> int:
        return hash((self.field, self.zh, self.en))

    def __repr__(self) -> str:
        return f"Problem({self.field!r}, {self.zh!r}, {self.en!r})"

    def __str__(self) -> str:
        where = self.field or f"({t('error.where.file', 'zh')} {t('error.where.file', 'en')})"
        return f"{where}: {self.zh} / {self.en}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "zh": self.zh, "en": self.en}


class ProjectError(Exception):
    """One or more problems with the input; nothing was computed or saved."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def problem(field: str, key: str, en: str | None = None, /, **params: Any) -> ProjectError:
    """The error for one problem: `raise problem("costs", "error.costs.missing")`.

    (`problem(field, zh, en)` with two texts is the old form, kept only until every call
    names a key.)"""
    if en is not None:
        return ProjectError([Problem(field, key, en)])
    return ProjectError([Problem(field, Msg(key, **params))])


def fail(key: str, en: str | None = None, /, **params: Any) -> PydanticCustomError:
    """Error to raise inside a pydantic validator: `raise fail("error.area.positive")`.

    (`fail(zh, en)` with two texts is the old form, kept only until every call names a key.)"""
    if en is not None:
        return PydanticCustomError("elevator", "{zh} / {en}", {"zh": key, "en": en})
    m = Msg(key, **params)
    return PydanticCustomError("elevator", "{zh} / {en}", {"zh": m.zh, "en": m.en, "msg": m})


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
        message: Msg | _Words
        if err["type"] == "elevator":
            message = ctx.get("msg") or _Words(ctx["zh"], ctx["en"])
        elif err["type"] == "value_error" and isinstance(ctx.get("error"), PydanticCustomError):
            inner = ctx["error"].context
            message = inner.get("msg") or _Words(inner["zh"], inner["en"])
        elif err["type"] in _TRANSLATIONS:
            tzh, ten = _TRANSLATIONS[err["type"]]
            message = _Words(tzh.format(**{k: v for k, v in ctx.items()}), ten.format(**ctx))
        else:
            message = _Words("取值无效：" + err["msg"], err["msg"])
        problem_ = Problem(field, message)
        if (field, problem_.zh) in seen:  # unions repeat the same complaint per branch
            continue
        seen.add((field, problem_.zh))
        problems.append(problem_)
    return problems
