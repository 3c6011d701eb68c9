"""Words for identifiers: what a document shows where the data holds a key.

Policy files are named by their own name (湖北省兴山县, not `xingshan`); a checklist item
by its question; a fact's value (`half_landing`) by catalogue words; a citation that
names a file of the repository (`policy-facts.md §7`) by its document title alone.
Documents and the app call these instead of printing the key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from elevator.core.text import Msg, pick, t

# a file of the repository named in a citation, with its sections ("policy-facts.md §2、§6");
# full-width brackets and separators written as escapes (no Chinese text in code)
_FILE = (
    r"(?:[\w-]+/)*[\w-]+\.(?:md|txt|yaml|json|csv)"
    r"(?:\s*§\s*[\d.]+(?:\s*[\u3001,\uff0c]\s*§\s*[\d.]+)*)?"
)
_FILE_ONLY = re.compile(rf"\s*[\uff08(]\s*{_FILE}\s*[\uff09)]")  # "(policy-facts.md §7)"
_FILE_AFTER = re.compile(rf"\s*[\uff0c,\uff1b;]\s*{_FILE}")  # "GB 50016, policy-facts.md §7"
_FILE_BEFORE = re.compile(
    rf"{_FILE}\s*[\uff0c,\uff1b;:\uff1a]\s*"
)  # "policy-facts.md §2: Shenzhen …"
_FILE_BARE = re.compile(rf"\s*{_FILE}")


def name_in(name: str, lang: str) -> str:
    """A name stored as 'Chinese / English' (a policy's subsidy becomes a project's so) in
    the reader's language; any other name as written."""
    parts = name.split(" / ")
    return pick((parts[0], parts[1]), lang) if len(parts) == 2 else name


# values of site facts that are keys, with their catalogue words
FACT_VALUES = {"entry": ("flat", "half_landing")}


def citation(text: str | None) -> str:
    """A source as readers see it: its title, without the repository file it was noted
    in ("井道不得遮挡安全出口（policy-facts.md §7）" → "井道不得遮挡安全出口")."""
    if not text:
        return ""
    out = _FILE_ONLY.sub("", text)
    out = _FILE_AFTER.sub("", out)
    out = _FILE_BEFORE.sub("", out)
    return _FILE_BARE.sub("", out).strip()


@lru_cache(maxsize=32)
def _policy_names(key: str) -> tuple[str, str] | None:
    try:
        from elevator.policy.parameters import load_policy  # noqa: PLC0415

        policy = load_policy(key)
    except Exception:  # a missing policy file must not stop a print-out
        return None
    return policy.name.zh, policy.name.en


def policy_name(key: str | None, lang: str = "zh") -> str:
    """A policy file's own name in the reader's language (湖北省兴山县 for `xingshan`);
    the key itself only when no such file can be read."""
    if not key:
        return ""
    names = _policy_names(key)
    return pick(names, lang) if names else key


def rule_question(policy: str | None, date, rule_id: str, lang: str = "zh") -> str:
    """A checklist item's question with its policy's threshold filled in."""
    from elevator.feasibility.checklist import compile_rules  # noqa: PLC0415

    for rule in compile_rules(policy, date).rules:
        if rule.id == rule_id:
            return rule.words("question").text(lang)
    return rule_id


def fact_value(fact: str, value: object, lang: str = "zh") -> str:
    """A site fact's value in words: yes / no, pipelines listed, `entry` values
    (flat / half_landing) from the catalogue; numbers and text as they are."""
    if fact in FACT_VALUES and value in FACT_VALUES[fact]:
        return t(f"fact.{fact}.{value}", lang)
    from elevator.feasibility.checklist import _shown  # noqa: PLC0415

    shown = _shown(value)
    return shown.text(lang) if isinstance(shown, Msg) else str(shown)


def fact_choices(fact: str, lang: str = "zh") -> list[tuple[str, str]]:
    """(value, words) of a fact whose values are keys, for a select box."""
    return [(v, t(f"fact.{fact}.{v}", lang)) for v in FACT_VALUES.get(fact, ())]


def policy_choices(lang: str = "zh") -> dict[str, str]:
    """Every policy file, key → its own name in the reader's language (a select box shows
    the name and keeps the key)."""
    from elevator.policy.parameters import list_policies  # noqa: PLC0415

    return {key: policy_name(key, lang) for key in list_policies()}
