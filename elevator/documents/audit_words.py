"""Words for what the store keeps as keys: roles (`mediator`), scopes (`project:12`) and
the audit log's actors (`link:201`), actions (`project.save`) and details
(`201 agree (paper)`, `3 -> 4`).

The log stays as written (it is append-only and read by scripts); only what a person
sees is put into words.  Anything not recognised is shown as stored rather than hidden.
"""

from __future__ import annotations

import re

from elevator.core.text import catalogue, t

ROLE_PREFIX = "role."
_VERSIONS = re.compile(r"^(\d+) -> (\d+)(.*)$")
_DECISION = re.compile(r"^(\S+) (\w+) \((\w+)\)$")
_GRANT = re.compile(r"^(\S+) (\w+) (\S+)$")


def _known(key: str, lang: str) -> bool:
    return key in catalogue(lang)


def role_word(role: str, lang: str = "zh") -> str:
    key = ROLE_PREFIX + role
    return t(key, lang) if _known(key, lang) else role


def scope_word(scope: str, lang: str = "zh") -> str:
    if scope == "*":
        return t("scope.all", lang)
    kind, _, value = scope.partition(":")
    if kind == "project":
        return t("scope.project", lang, id=value)
    if kind == "community":
        return t("scope.community", lang, name=value)
    return scope


def grant_word(role: str, scope: str, lang: str = "zh") -> str:
    """One grant as a person reads it: 调解员（项目 12）."""
    return t("grant.words", lang, role=role_word(role, lang), scope=scope_word(scope, lang))


def actor_word(actor: str, lang: str = "zh") -> str:
    if actor.startswith("link:"):
        return t("audit.actor.link", lang, room=actor[len("link:") :])
    if actor == "migration":
        return t("audit.actor.migration", lang)
    return actor


def action_word(action: str, lang: str = "zh") -> str:
    key = "audit.action." + action
    if _known(key, lang):
        return t(key, lang)
    if action.startswith("setting."):
        name = action[len("setting.") :]
        word_key = "setting." + name
        word = t(word_key, lang) if _known(word_key, lang) else name
        return t("audit.action.setting", lang, name=word)
    return t("audit.action.other", lang)


def _via_word(via: str, lang: str) -> str:
    key = "via." + ("link" if via == "own_link" else via)
    return t(key, lang) if _known(key, lang) else via


def _decision_word(decision: str, lang: str) -> str:
    # the store writes a withdrawal as "withdrawn" (the model's "none")
    key = "ui.consent.withdrawn" if decision == "withdrawn" else "decision." + decision
    return t(key, lang) if _known(key, lang) else decision


def detail_words(action: str, detail: str, lang: str = "zh") -> str:
    """The stored detail of one audit row in words, where its form is known."""
    if action in ("project.save", "project.restore"):
        m = _VERSIONS.match(detail)
        if m:
            versions = t("audit.detail.versions", lang, old=m[1], new=m[2])
            source = re.fullmatch(r" \((\d+)\)", m[3])
            if source:
                return t("audit.detail.restored", lang, versions=versions, source=source[1])
            return versions + m[3]
    if action in ("role.grant", "role.revoke"):
        m = _GRANT.match(detail)
        if m:
            grant = grant_word(m[2], m[3], lang)
            return t("audit.detail.grant", lang, name=m[1], grant=grant)
    if action == "consent.decision":
        m = _DECISION.match(detail)
        if m:
            return t(
                "audit.detail.decision",
                lang,
                room=m[1],
                decision=_decision_word(m[2], lang),
                via=_via_word(m[3], lang),
            )
    return detail
