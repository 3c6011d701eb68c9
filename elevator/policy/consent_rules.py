"""Consent rules (policy data, elevator/data/consent_rules.yaml): conditions with their sources,
and the default publicity period."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from elevator.core.errors import Given, Problem, ProjectError, fail, problems_from_validation
from elevator.core.paths import data_file
from elevator.core.text import Msg, t
from elevator.core.types import Confidence, Exact, Reference, Strict, confidence_mark
from elevator.policy.parameters import Sourced

if TYPE_CHECKING:
    from elevator.model.project import Project


RULES_FILE = data_file("consent_rules.yaml")


class Names(Strict):
    """Names still written in consent_rules.yaml (while they move to the catalogue)."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


def _named(names: Names | None, key: str) -> Msg:
    # the data file's own words while it still has them, else the catalogue's
    return Given(names.zh, names.en) if names is not None else Msg(key)


ConditionKind = Literal["share", "no_opposition", "occupied_space", "unanimity"]
# a share condition a new `agree` can only help: what the search for the smallest
# change relies on (elevator.consent.search)
MONOTONE = {
    ("participating", "at_least"),
    ("participating", "more_than"),
    ("agreeing", "at_least"),
    ("agreeing", "more_than"),
    ("opposing", "at_most"),
}


class RuleCondition(Strict):
    id: str
    names: Names | None = Field(None, validation_alias="name")
    kind: ConditionKind = "share"
    households: Literal["all", "occupied_by_shaft"] | None = Field(
        None, description="no_opposition: whose opposition counts (default all)"
    )
    basis: Literal["area", "headcount"] | None = None
    count: Literal["participating", "agreeing", "opposing"] | None = None
    of: Literal["all", "participating"] | None = None
    at_least: Exact | None = Field(
        None, description=f"{t('policy.bound.at_least', 'zh')}: the boundary itself meets it"
    )
    more_than: Exact | None = Field(
        None, description=f"{t('policy.bound.more_than', 'zh')}: strictly more"
    )
    at_most: Exact | None = Field(
        None, description=f"{t('policy.bound.at_most', 'zh')}: the boundary itself meets it"
    )
    _rule: str = PrivateAttr("")  # id of the rule it belongs to (set by RulesFile)

    @property
    def name(self) -> Msg:
        """The condition's name (catalogue key consent_condition.<rule id>.<id>)."""
        return _named(self.names, f"consent_condition.{self._rule}.{self.id}")

    @model_validator(mode="after")
    def _shape(self) -> "RuleCondition":
        bounds = [b for b in ("at_least", "more_than", "at_most") if getattr(self, b) is not None]
        if self.kind == "share":
            if None in (self.basis, self.count, self.of) or len(bounds) != 1:
                raise fail("error.consent_rule.share_shape")
            value = getattr(self, bounds[0])
            if not 0 <= value <= 1:
                raise fail("error.consent_rule.fraction")
            if (self.count, bounds[0]) not in MONOTONE:
                raise fail("error.consent_rule.not_monotone", count=self.count, bound=bounds[0])
        elif bounds or self.basis or self.count or self.of:
            raise fail("error.consent_rule.no_fraction", kind=self.kind)
        if self.households is not None and self.kind != "no_opposition":
            raise fail("error.consent_rule.households_only_no_opposition")
        return self

    @property
    def bound(self) -> str | None:
        for b in ("at_least", "more_than", "at_most"):
            if getattr(self, b) is not None:
                return b
        return None

    @property
    def meaning(self) -> tuple:
        """What the condition requires, without its name: equal meanings are one condition."""
        who = self.households or "all" if self.kind == "no_opposition" else None
        return (self.kind, self.basis, self.count, self.of, self.bound, self.fraction, who)

    @property
    def fraction(self) -> Fraction | None:
        for b in ("at_least", "more_than", "at_most"):
            if getattr(self, b) is not None:
                return getattr(self, b)
        return None


class InForce(Strict):
    from_: dt.date = Field(validation_alias="from")
    until: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.until is None or day <= self.until)


class ConsentRule(Strict):
    names: Names | None = Field(None, validation_alias="name")
    level: Literal["national", "local"] = "local"
    in_force: InForce | None = Field(None, description="national laws: the days they govern")
    reference: list[Reference] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None
    conditions: list[RuleCondition] = Field(min_length=1)
    _id: str = PrivateAttr("")  # its key in consent_rules.yaml (set by RulesFile)

    @property
    def name(self) -> Msg:
        """The rule's name (catalogue key consent_rule.<id>)."""
        return _named(self.names, f"consent_rule.{self._id}")

    @property
    def mark(self) -> str:
        return confidence_mark(self.confidence)

    @property
    def id(self) -> str:
        return self._id

    @model_validator(mode="after")
    def _national_dated(self) -> "ConsentRule":
        if (self.level == "national") != (self.in_force is not None):
            raise fail("error.consent_rule.in_force")
        return self


class Counting(Sourced):
    """How owners and area are counted (法释〔2009〕7号 arts. 8, 9)."""


class PublicityDefault(Strict):
    working_days: int = Field(ge=1)
    description: str | None = None
    reference: list[Reference] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None


class RulesFile(Strict):
    counting: Counting
    rules: dict[str, ConsentRule] = Field(min_length=1)
    publicity: PublicityDefault

    @model_validator(mode="after")
    def _ids(self) -> "RulesFile":
        # a rule and its conditions know their ids, which name their words in the catalogue
        for rule_id, rule in self.rules.items():
            rule._id = rule_id
            for c in rule.conditions:
                c._rule = rule_id
        return self


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


def counting() -> Counting:
    return _rules_file().counting


def national_law(day: dt.date) -> ConsentRule | None:
    """The national law in force on `day` (None before the first one modelled)."""
    for rule in _rules_file().rules.values():
        if rule.in_force is not None and rule.in_force.covers(day):
            return rule
    return None


def first_national_day() -> dt.date:
    return min(r.in_force.from_ for r in _rules_file().rules.values() if r.in_force)


def get_rule(rule_id: str, field_name: str = "consent.rule") -> ConsentRule:
    rules = _rules_file().rules
    if rule_id not in rules:
        raise ProjectError(
            [
                Problem(
                    field_name,
                    Msg("error.consent_rule.unknown", rule=rule_id, available=", ".join(rules)),
                )
            ]
        )
    return rules[rule_id]


def decision_date(project: "Project") -> tuple[dt.date, str]:
    """(day, where it came from): the day the owners' decision is taken chooses the law.

    consent.date (the day the vote closed) → the project's date → today.
    """
    if project.consent and project.consent.date:
        return project.consent.date, "consent"
    if project.date:
        return project.date, "project"
    return dt.date.today(), "today"


def rule_id_for(project: "Project", day: dt.date | None = None) -> tuple[str | None, str]:
    """(rule id, where it came from): the project's own, its policy's on `day`, or none.

    None means no city or district rule: the national law alone applies.  A policy
    whose first rule starts after `day` has none on that day.
    """
    if project.consent and project.consent.rule:
        return project.consent.rule, "project"
    if project.policy:
        from elevator.policy.parameters import load_policy  # noqa: PLC0415

        param = load_policy(project.policy).consent()
        day = day or decision_date(project)[0]
        if param is not None and min(param.values) <= day:
            return param.at(day), f"policy {project.policy}"
    return None, "default"
