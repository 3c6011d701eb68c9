"""City policy parameter files (cases/policies/*.yaml), OpenFisca style.

Every number carries the date it applies from, a reference and a confidence
mark; a value without a source is refused by the loader.  A city file names
a `parent` (normally `national`) whose thresholds and consent rule it inherits.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from elevator.core.errors import Given, Problem, ProjectError, fail, problems_from_validation
from elevator.core.paths import policies_dir, policy_names
from elevator.core.text import Msg
from elevator.core.types import Confidence, Exact, Reference, Strict, confidence_mark
from elevator.model.project import Subsidy


class Bilingual(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Sourced(Strict):
    """Anything that states a fact must say where it comes from and how sure we are."""

    reference: list[Reference] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None

    @property
    def mark(self) -> str:
        return confidence_mark(self.confidence)


def _value_at(values: dict, date: dt.date, what: str):
    dates = sorted(d for d in values if d <= date)
    if not dates:
        raise ProjectError([Problem(what, Msg("error.policy.no_value", date=date))])
    return values[dates[-1]]


class Parameter(Sourced):
    description: str | None = None
    unit: str | None = None
    values: dict[dt.date, Exact] = Field(min_length=1)

    def at(self, date: dt.date) -> object:
        return _value_at(self.values, date, self.description or "parameter")


class TextParameter(Sourced):
    description: str | None = None
    values: dict[dt.date, str] = Field(min_length=1)

    def at(self, date: dt.date) -> str:
        return _value_at(self.values, date, self.description or "parameter")


class PolicySubsidy(Sourced):
    id: str
    name: Bilingual
    shape: Literal["per_elevator", "percent", "per_stop"]
    # None: the source states the rule but not the amount (e.g. Beijing); the note
    # must say so, and a project under this policy has to enter the amount itself.
    values: dict[dt.date, Exact] | None = Field(None, min_length=1)
    cap: dict[dt.date, Exact] | None = None
    earmarked_for: str | None = None
    paid_on: Literal["approval", "completion", "inspection"] | None = None

    @model_validator(mode="after")
    def _cap_shape(self) -> "PolicySubsidy":
        if self.cap and self.shape != "percent":
            raise fail("error.subsidy.cap_percent")
        if self.values is None and not self.note:
            raise fail("error.policy.note_needed")
        return self

    def at(self, date: dt.date) -> Subsidy:
        if self.values is None:
            raise ProjectError(
                [
                    Problem(
                        f"policy subsidy {self.id}",
                        Msg("error.policy.no_amount", name=Given(self.name.zh, self.name.en)),
                    )
                ]
            )
        value = _value_at(self.values, date, self.id)
        cap = _value_at(self.cap, date, self.id) if self.cap else None
        ref = self.reference[0]
        return Subsidy(
            name=f"{self.name.zh} / {self.name.en}",
            **{self.shape: value},
            cap=cap,
            earmarked_for=self.earmarked_for,
            paid_on=self.paid_on,
            reference=ref,
            confidence=self.confidence,
        )


class PolicyNote(Sourced):
    """A sourced rule with no number to compute with (hardship aid, payment timing …)."""

    id: str
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Policy(Strict):
    id: str
    name: Bilingual
    parent: str | None = None
    description: str | None = None
    subsidies: list[PolicySubsidy] = Field(default_factory=list)
    consent_rule: TextParameter | None = None
    # scheme name (elevator.schemes) that applies when owners agree nothing else
    sharing_default: TextParameter | None = None
    feasibility: dict[str, Parameter] = Field(default_factory=dict)
    typical_costs: dict[str, Parameter] = Field(default_factory=dict)
    # figures seen in practice (e.g. low-floor compensation paid), not rules
    precedents: dict[str, Parameter] = Field(default_factory=dict)
    notes: list[PolicyNote] = Field(default_factory=list)

    def subsidies_at(self, date: dt.date) -> list[Subsidy]:
        return [s.at(date) for s in self.subsidies]

    def threshold(self, name: str) -> Parameter | None:
        """A feasibility threshold, from this policy or the first ancestor that has it."""
        if name in self.feasibility:
            return self.feasibility[name]
        return load_policy(self.parent).threshold(name) if self.parent else None

    def consent(self) -> TextParameter | None:
        if self.consent_rule is not None:
            return self.consent_rule
        return load_policy(self.parent).consent() if self.parent else None

    def default_sharing(self) -> TextParameter | None:
        if self.sharing_default is not None:
            return self.sharing_default
        return load_policy(self.parent).default_sharing() if self.parent else None


def list_policies() -> list[str]:
    """The registry: names of the packaged policy files (no path is ever a policy)."""
    return policy_names()


@lru_cache(maxsize=64)
def load_policy(policy_id: str) -> Policy:
    import yaml  # noqa: PLC0415 (kept local: policies are read only when a project names one)

    # a name from the registry, never a path: "../../x" must not read files elsewhere
    known = list_policies()
    path = policies_dir() / f"{policy_id}.yaml"
    if policy_id not in known:
        raise ProjectError(
            [
                Problem(
                    "policy",
                    Msg(
                        "error.policy.not_found",
                        policy=policy_id,
                        available=", ".join(known),
                    ),
                )
            ]
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        policy = Policy.model_validate(data)
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=f"policy {policy_id}")) from None
    if policy.id != policy_id:
        raise ProjectError([Problem(f"policy {policy_id}.id", Msg("error.policy.id_mismatch"))])
    if policy.parent:
        load_policy(policy.parent)  # fail early on a broken parent
    return policy
