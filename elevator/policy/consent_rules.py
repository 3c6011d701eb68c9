"""Consent rules (policy data, elevator/data/consent_rules.yaml): conditions with their sources,
and the default publicity period."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import Field, ValidationError, model_validator

from elevator.core.errors import Problem, ProjectError, fail, problems_from_validation
from elevator.core.paths import data_file
from elevator.core.types import Confidence, Exact, Reference, Strict, confidence_mark

if TYPE_CHECKING:
    from elevator.model.project import Project


RULES_FILE = data_file("consent_rules.yaml")


DEFAULT_RULE = "civil_code_278"


class Names(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class RuleCondition(Strict):
    id: str
    name: Names
    kind: Literal["share", "no_opposition", "occupied_space"] = "share"
    basis: Literal["area", "headcount"] | None = None
    count: Literal["participating", "agreeing", "opposing"] | None = None
    of: Literal["all", "participating"] | None = None
    at_least: Exact | None = Field(None, description="以上: the boundary itself meets it")
    more_than: Exact | None = Field(None, description="超过: strictly more")
    at_most: Exact | None = Field(None, description="以下: the boundary itself meets it")

    @model_validator(mode="after")
    def _shape(self) -> "RuleCondition":
        bounds = [b for b in ("at_least", "more_than", "at_most") if getattr(self, b) is not None]
        if self.kind == "share":
            if None in (self.basis, self.count, self.of) or len(bounds) != 1:
                raise fail(
                    "share 条件须给出 basis、count、of 与一个界限",
                    "a share condition needs basis, count, of and exactly one bound",
                )
            value = getattr(self, bounds[0])
            if not 0 <= value <= 1:
                raise fail("比例应在 0 与 1 之间", "the fraction must be between 0 and 1")
        elif bounds or self.basis or self.count or self.of:
            raise fail(f"{self.kind} 条件不带比例", f"a {self.kind} condition takes no fraction")
        return self

    @property
    def fraction(self) -> Fraction | None:
        for b in ("at_least", "more_than", "at_most"):
            if getattr(self, b) is not None:
                return getattr(self, b)
        return None


class ConsentRule(Strict):
    name: Names
    reference: list[Reference] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None
    conditions: list[RuleCondition] = Field(min_length=1)

    @property
    def mark(self) -> str:
        return confidence_mark(self.confidence)


class PublicityDefault(Strict):
    working_days: int = Field(ge=1)
    description: str | None = None
    reference: list[Reference] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None


class RulesFile(Strict):
    rules: dict[str, ConsentRule] = Field(min_length=1)
    publicity: PublicityDefault


@lru_cache(maxsize=1)
def _rules_file() -> RulesFile:
    import yaml  # noqa: PLC0415

    try:
        return RulesFile.model_validate(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix="consent_rules.yaml")) from None


def consent_rules() -> dict[str, ConsentRule]:
    return dict(_rules_file().rules)


def publicity_default() -> PublicityDefault:
    return _rules_file().publicity


def get_rule(rule_id: str, field_name: str = "consent.rule") -> ConsentRule:
    rules = _rules_file().rules
    if rule_id not in rules:
        raise ProjectError(
            [
                Problem(
                    field_name,
                    f"未知表决规则 {rule_id}（可选：{', '.join(rules)}）",
                    f"unknown consent rule {rule_id} (choose from {', '.join(rules)})",
                )
            ]
        )
    return rules[rule_id]


def rule_id_for(project: "Project") -> tuple[str, str]:
    """(rule id, where it came from): the project's own, its policy's, or the national default."""
    if project.consent and project.consent.rule:
        return project.consent.rule, "project"
    if project.policy:
        from elevator.policy.parameters import load_policy  # noqa: PLC0415

        param = load_policy(project.policy).consent()
        if param is not None:
            return param.at(project.date or dt.date.today()), f"policy {project.policy}"
    return DEFAULT_RULE, "default"
