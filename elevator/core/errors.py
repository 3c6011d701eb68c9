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

from elevator.core.text import Msg, pick, t


class Given(Msg):
    """Words that arrive in both languages with data (a policy's name, a rule's name in a
    data file), as a value that can fill a Msg's parameter: it renders the half in the
    reader's language.  Never for words written in code."""

    def __init__(self, zh: str, en: str) -> None:
        object.__setattr__(self, "key", "")
        object.__setattr__(self, "params", (("zh", zh), ("en", en)))

    def text(self, lang: str = "zh") -> str:
        params = dict(self.params)
        return pick((params["zh"], params["en"]), lang)


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


def problem(field: str, key: str, /, **params: Any) -> ProjectError:
    """The error for one problem: `raise problem("costs", "error.costs.missing")`."""
    return ProjectError([Problem(field, Msg(key, **params))])


def fail(key: str, /, **params: Any) -> PydanticCustomError:
    """Error to raise inside a pydantic validator: `raise fail("error.area.positive")`."""
    m = Msg(key, **params)
    return PydanticCustomError("elevator", "{zh} / {en}", {"zh": m.zh, "en": m.en, "msg": m})


# pydantic error type -> catalogue key; {…} filled from the error context
_TRANSLATIONS: dict[str, str] = {
    "missing": "error.pydantic.missing",
    "extra_forbidden": "error.pydantic.extra_forbidden",
    "int_parsing": "error.pydantic.int_type",
    "int_type": "error.pydantic.int_type",
    "int_from_float": "error.pydantic.int_type",
    "float_parsing": "error.pydantic.float_type",
    "float_type": "error.pydantic.float_type",
    "decimal_parsing": "error.pydantic.float_type",
    "bool_parsing": "error.pydantic.bool_type",
    "bool_type": "error.pydantic.bool_type",
    "string_type": "error.pydantic.string_type",
    "list_type": "error.pydantic.list_type",
    "dict_type": "error.pydantic.dict_type",
    "model_type": "error.pydantic.dict_type",
    "model_attributes_type": "error.pydantic.dict_type",
    "date_parsing": "error.pydantic.date_type",
    "date_from_datetime_parsing": "error.pydantic.date_type",
    "date_type": "error.pydantic.date_type",
    "greater_than": "error.pydantic.greater_than",
    "greater_than_equal": "error.pydantic.greater_than_equal",
    "less_than": "error.pydantic.less_than",
    "less_than_equal": "error.pydantic.less_than_equal",
    "too_short": "error.pydantic.too_short",
    "too_long": "error.pydantic.too_long",
    "string_too_short": "error.pydantic.string_too_short",
    "string_too_long": "error.pydantic.string_too_long",
    "literal_error": "error.pydantic.literal_error",
    "enum": "error.pydantic.literal_error",
    "string_pattern_mismatch": "error.pydantic.string_pattern_mismatch",
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
            message = Msg(_TRANSLATIONS[err["type"]], **ctx)
        else:
            message = Msg("error.pydantic.invalid", detail=err["msg"])
        problem_ = Problem(field, message)
        if (field, problem_.zh) in seen:  # unions repeat the same complaint per branch
            continue
        seen.add((field, problem_.zh))
        problems.append(problem_)
    return problems
