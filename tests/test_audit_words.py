"""The audit log's stored keys in words: every action the store writes has its words, and
the details whose form is known are put into words in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elevator.core.text import t
from elevator.documents.audit_words import (
    action_word,
    actor_word,
    detail_words,
    grant_word,
    role_word,
    scope_word,
)
from elevator.store.accounts import ROLES

ROOT = Path(__file__).resolve().parents[1]
# the action keys in the store's audit(db, actor, pid, "project.save", …) lines and the
# objection actions passed on to audit()
_KEY = re.compile(r'"([a-z]+(?:\.[a-z]+)?)"')


def written_actions() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "elevator" / "store").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "audit(db" in line or '"objection.' in line:
                found.update(k for k in _KEY.findall(line) if "." in k or k == "login")
    return found


def test_every_action_the_store_writes_has_words() -> None:
    actions = written_actions()
    assert {"login", "project.save", "consent.decision", "objection.reply"} <= actions
    other = t("audit.action.other")
    for action in sorted(actions):
        for lang in ("zh", "en"):
            word = action_word(action, lang)
            assert word != other and action not in word, (action, lang, word)


def test_settings_unknown_actions_and_roles() -> None:
    assert action_word("setting.public_url") == t(
        "audit.action.setting", name=t("setting.public_url")
    )
    assert action_word("setting.colour", "en") == t("audit.action.setting", "en", name="colour")
    assert action_word("something.new") == t("audit.action.other")
    assert {role_word(r) for r in ROLES} == {t(f"role.{r}") for r in ROLES}
    assert role_word("auditor") == "auditor"  # not known: shown as stored, never hidden


def test_scopes_grants_and_actors() -> None:
    assert scope_word("*") == t("scope.all")
    assert scope_word("project:12", "en") == "project 12"
    assert scope_word("community:兴发小区") == t("scope.community", name="兴发小区")
    assert grant_word("mediator", "project:3") == t(
        "grant.words", role=t("role.mediator"), scope=t("scope.project", id="3")
    )
    assert actor_word("link:201", "en") == "household 201 (own link)"
    assert actor_word("wang") == "wang"


@pytest.mark.parametrize(
    "action, detail, en",
    [
        ("project.save", "3 -> 4", "version 3 → 4"),
        ("project.restore", "5 -> 6 (2)", "version 5 → 6 (restored from version 2)"),
        ("consent.decision", "201 agree (own_link)", "201: agree (own link)"),
        (
            "consent.decision",
            "301 withdrawn (paper)",
            "301: withdrawn (paper signature, recorded by the mediator)",
        ),
        ("role.grant", "li mediator project:3", "li: mediator (project 3)"),
        ("link.rotate", "402", "402"),
        ("project.save", "not the usual form", "not the usual form"),
    ],
)
def test_details_in_words(action: str, detail: str, en: str) -> None:
    assert detail_words(action, detail, "en").lower() == en.lower()
    zh = detail_words(action, detail, "zh")
    assert "own_link" not in zh and "withdrawn" not in zh and ("->" not in zh or "->" in en)
