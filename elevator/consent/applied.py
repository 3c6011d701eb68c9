"""Which rules apply to a decision, and their conditions composed.

The national law in force on the decision date always applies (Property Law art. 76
from 2007-10-01 to 2020-12-31, Civil Code art. 278 from 2021-01-01); a city's or
district's rule adds its conditions and never replaces the national ones (上海市城市更新条例
第三十三条 says so in words).  A condition that means the same as one already there is
kept once, with every rule that asks for it as its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from elevator.core.text import Msg
from elevator.policy.consent_rules import (
    ConsentRule,
    RuleCondition,
    decision_date,
    first_national_day,
    get_rule,
    national_law,
    rule_id_for,
)

DATE_SOURCES = ("consent", "project", "today", "given")


@dataclass(frozen=True)
class AppliedCondition:
    """One condition of the composed rule and every rule that asks for it."""

    key: str  # national: the condition's id; local: "<rule id>.<condition id>"
    condition: RuleCondition
    rules: tuple[ConsentRule, ...]  # the first one names it


@dataclass(frozen=True, kw_only=True)
class AppliedRules:
    law: ConsentRule | None  # the national law in force on `day` (None: none modelled)
    local: ConsentRule | None  # the city's or district's rule, if any
    local_source: str  # project | policy X | given | default
    day: dt.date
    day_source: str  # consent | project | today | given
    conditions: tuple[AppliedCondition, ...]

    @property
    def named(self) -> ConsentRule | None:
        """The rule a reader names the decision by: the local one, else the law."""
        return self.local or self.law

    @property
    def why(self) -> Msg:
        """Which law applied and why (the decision date), in words."""
        date_words = Msg(f"consent.law.date_source.{self.day_source}")
        if self.law is None:
            return Msg(
                "consent.law.none" if self.local else "consent.law.none.alone",
                date=self.day.isoformat(),
                source=date_words,
                first=first_national_day().isoformat(),
            )
        law = self.law.in_force
        until = law.until.isoformat() if law.until else ""
        key = "consent.law.why.until" if law.until else "consent.law.why"
        return Msg(
            key,
            law=law_name(self.law),
            date=self.day.isoformat(),
            source=date_words,
            start=law.from_.isoformat(),
            until=until,
        )

    @property
    def adds(self) -> Msg | None:
        """'The city rule adds its conditions to the national law', when there is one."""
        if self.local is None:
            return None
        return Msg("consent.law.adds", rule=self.local.name)


def law_name(rule: ConsentRule) -> Msg:
    """A national law's short name ("《民法典》第二百七十八条"); a local rule's own name."""
    return Msg(f"consent.law.name.{rule.id}") if rule.level == "national" else rule.name


def compose(law: ConsentRule | None, local: ConsentRule | None) -> tuple[AppliedCondition, ...]:
    out: list[AppliedCondition] = []
    for rule in (law, local):
        if rule is None:
            continue
        for c in rule.conditions:
            same = next((a for a in out if a.condition.meaning == c.meaning), None)
            if same is not None:
                i = out.index(same)
                out[i] = AppliedCondition(same.key, same.condition, (*same.rules, rule))
                continue
            key = c.id if rule.level == "national" else f"{rule.id}.{c.id}"
            out.append(AppliedCondition(key, c, (rule,)))
    return tuple(out)


def applied_rules(project, rule: str | None = None, day: dt.date | None = None) -> AppliedRules:
    """The rules for `project`: the law by the decision date, and the local rule.

    rule  a rule id that overrides the project's and its policy's (CLI --rule)
    day   the decision date that overrides the project's
    """
    day_source = "given"
    if day is None:
        day, day_source = decision_date(project)
    if rule:
        rule_id, source = rule, "given"
    else:
        rule_id, source = rule_id_for(project, day)
    local = None
    if rule_id is not None:
        field = "consent.rule" if source in ("project", "given") else f"{source}.consent_rule"
        local = get_rule(rule_id, field)
        if local.level == "national":  # naming a law adds nothing: the date chooses it
            local = None
    law = national_law(day)
    return AppliedRules(
        law=law,
        local=local,
        local_source=source,
        day=day,
        day_source=day_source,
        conditions=compose(law, local),
    )
