"""The project file's `consent` section: decisions (append-only), objections, publicity.

Data only; the rules they are judged by are policy data (elevator.policy.consent_rules)
and the judging is elevator.consent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from elevator.core.errors import Problem, fail
from elevator.core.text import Msg
from elevator.core.types import Day, Id, Moment, Name, Strict, Text

ObjectionStatus = Literal["open", "answered", "withdrawn"]


CalendarName = Literal["china", "weekdays"]


class Objection(Strict):
    id: Id = Field(min_length=1, max_length=40, description="e.g. O1")
    household: Id = Field(min_length=1, max_length=40, description="who objects")
    reason: Text = Field(min_length=1, max_length=2000)
    at: Moment | None = None
    reply: Text | None = Field(None, max_length=4000)
    replied_at: Moment | None = None
    replied_by: Name | None = Field(None, max_length=80)
    status: ObjectionStatus = "open"

    @model_validator(mode="after")
    def _reply_goes_with_status(self) -> "Objection":
        if self.status == "answered" and not self.reply:
            raise fail("error.objection.needs_reply")
        return self


class Publicity(Strict):
    start: Day = Field(description="day the scheme was posted (not counted)")
    working_days: int | None = Field(
        None, ge=1, le=100, description="default: consent_rules.yaml publicity"
    )
    calendar: CalendarName = "china"
    closed_on: Day | None = Field(None, description="day the mediator closed it")


DecisionValue = Literal["agree", "oppose", "abstain", "none"]


Via = Literal["link", "paper"]


class Decision(Strict):
    household: Id = Field(min_length=1, max_length=40)
    decision: DecisionValue
    via: Via = Field(
        "paper",
        description="link: the household's own link; paper: a signed form recorded by the mediator",
    )
    at: Moment | None = None
    recorded_by: Name | None = Field(
        None, max_length=80, description="mediator's name (paper) or the household (link)"
    )
    reason: Text | None = Field(None, max_length=2000)
    version: str | None = Field(
        None,
        max_length=64,
        description="plan version the decision was given on; omitted: the plan in this file",
    )

    @model_validator(mode="after")
    def _reason_only_with_words(self) -> "Decision":
        if self.via == "link" and self.recorded_by not in (None, self.household):
            raise fail("error.decision.link_self")
        return self


class ConsentSection(Strict):
    rule: str | None = Field(
        None,
        max_length=64,
        description="city or district consent rule id, added to the national law; "
        "omitted: the project's policy's",
    )
    date: Day | None = Field(
        None,
        description="day the owners' decision was taken (the vote closed): it chooses the "
        "national law (Property Law art. 76 before 2021-01-01, Civil Code art. 278 from then "
        "on); omitted: the project's date",
    )
    decisions: list[Decision] = Field(
        default_factory=list, max_length=10000, description="append-only history"
    )
    objections: list[Objection] = Field(default_factory=list, max_length=10000)
    publicity: Publicity | None = None


def section_problems(c: ConsentSection | None, ids: set[str]) -> list[Problem]:
    """Cross-checks of the project file: every entry names one of its households `ids`."""
    if c is None:
        return []
    out = []
    for i, d in enumerate(c.decisions):
        if d.household not in ids:
            out.append(
                Problem(
                    f"consent.decisions[{i}].household",
                    Msg("error.decision.no_household", household=d.household),
                )
            )
    seen = set()
    for i, o in enumerate(c.objections):
        if o.household not in ids:
            out.append(
                Problem(
                    f"consent.objections[{i}].household",
                    Msg("error.objection.no_household", household=o.household),
                )
            )
        if o.id in seen:
            out.append(
                Problem(
                    f"consent.objections[{i}].id", Msg("error.objection.duplicate", objection=o.id)
                )
            )
        seen.add(o.id)
    return out
