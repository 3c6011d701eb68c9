"""The text catalogue: every word a user reads, Chinese first, English second.

The words live in gettext catalogues, one per language
(elevator/locale/<lang>/LC_MESSAGES/elevator.po, msgid = a dotted key such as
"verdict.conditional"), compiled to elevator.mo with Babel (`make messages`) and read
here with the standard library.  Code names a key and its parameters; it never holds
the words.  `docs/glossary.md` and elevator/locale/glossary.yaml give one word per
concept.

    t("verdict.conditional", "en")         -> "conditional"
    both("error.area_positive")            -> "面积应大于 0 / area must be greater than 0"
    Msg("sharing.odd_to", household="302") -> a value; .zh, .en, .text(lang) render it

Computation returns `Msg` values (a key and its parameters), never text; documents and
the app render them in the reader's language.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from typing import Any

from elevator.core.paths import PACKAGE

LANGS = ("zh", "en")
LOCALE = PACKAGE / "locale"
DOMAIN = "elevator"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """key -> text for one language (the compiled .mo)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with open(path, "rb") as fh:
        return {k: v for k, v in gettext.GNUTranslations(fh)._catalog.items() if k}


def _render(value: Any, lang: str) -> Any:
    return value.text(lang) if isinstance(value, Msg) else value


def t(key: str, lang: str = "zh", /, **params: Any) -> str:
    """The words for `key` in `lang`, with {placeholders} filled (Msg values rendered)."""
    words = catalogue(lang)[key]
    if params:
        return words.format(**{k: _render(v, lang) for k, v in params.items()})
    return words


def pair(key: str, /, **params: Any) -> tuple[str, str]:
    return t(key, "zh", **params), t(key, "en", **params)


def pick(pair: tuple[str, str], lang: str = "zh") -> str:
    """The Chinese or the English half of a (zh, en) pair that comes with data (a policy's
    name, a reference), not from the catalogue."""
    return pair[0] if lang == "zh" else pair[1]


def both(key: str, /, **params: Any) -> str:
    """Chinese / English on one line (messages about the user's input)."""
    zh, en = pair(key, **params)
    return f"{zh} / {en}"


@dataclass(frozen=True)
class Msg:
    """A message as a value: its key and parameters, rendered when someone reads it."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", tuple(params.items()))

    def text(self, lang: str = "zh") -> str:
        return t(self.key, lang, **dict(self.params))

    @property
    def zh(self) -> str:
        return self.text("zh")

    @property
    def en(self) -> str:
        return self.text("en")

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"
