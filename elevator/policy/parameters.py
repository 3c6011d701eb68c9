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
from elevator.model.project import Eligibility, Subsidy


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


class PolicyEligibility(Eligibility):
    """The conditions, each with where it is written (the subsidy's reference holds it)."""


class PolicySubsidy(Sourced):
    id: str
    name: Bilingual
    # per_household / whole_share: hardship aid for the project's `hardship: true` households
    shape: Literal[
        "per_elevator",
        "percent",
        "per_stop",
        "per_served_household",
        "per_household",
        "whole_share",
    ]
    # None: the source states the rule but not the amount (e.g. Beijing); the note
    # must say so, and a project under this policy has to enter the amount itself.
    values: dict[dt.date, Exact] | None = Field(None, min_length=1)
    cap: dict[dt.date, Exact] | None = None
    cap_total: dict[dt.date, Exact] | None = Field(
        None, description="hardship aid: at most this per elevator, all households together"
    )
    # the amount is a maximum; the rule that decides it is not known (or not computable)
    up_to: bool = False
    eligibility: PolicyEligibility | None = None
    # not in force from this day on (a later subsidy of the same file replaces it)
    until: dt.date | None = None
    earmarked_for: str | None = None
    paid_on: Literal["approval", "completion", "inspection"] | None = None

    @model_validator(mode="after")
    def _cap_shape(self) -> "PolicySubsidy":
        if self.cap and self.shape not in ("percent", "per_stop", "per_served_household"):
            raise fail("error.subsidy.cap_shape")
        if self.cap_total and self.shape not in ("per_household", "whole_share"):
            raise fail("error.subsidy.cap_total_hardship")
        if self.values is None and self.shape != "whole_share" and not self.note:
            raise fail("error.policy.note_needed")
        return self

    @property
    def is_hardship_aid(self) -> bool:
        return self.shape in ("per_household", "whole_share")

    def in_force(self, date: dt.date) -> bool:
        """From its first dated value (or always, when the amount is unknown) until `until`."""
        dates = sorted(self.values or self.cap_total or {})
        started = not dates or dates[0] <= date
        return started and (self.until is None or date < self.until)

    def at(self, date: dt.date, hardship: list[str] | None = None) -> Subsidy:
        if self.values is None and self.shape != "whole_share":
            raise ProjectError(
                [
                    Problem(
                        f"policy subsidy {self.id}",
                        Msg("error.policy.no_amount", name=Given(self.name.zh, self.name.en)),
                    )
                ]
            )
        if self.shape == "whole_share":
            shape = {"whole_share": True}
        else:
            shape = {self.shape: _value_at(self.values, date, self.id)}
        cap = _value_at(self.cap, date, self.id) if self.cap else None
        cap_total = _value_at(self.cap_total, date, self.id) if self.cap_total else None
        ref = self.reference[0]
        return Subsidy(
            name=f"{self.name.zh} / {self.name.en}",
            **shape,
            cap=cap,
            cap_total=cap_total,
            households=list(hardship) if self.is_hardship_aid else None,
            up_to=self.up_to,
            eligibility=self.eligibility,
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
    # a district file inherits its city's subsidies except the ones it names here
    replaces: list[str] = Field(default_factory=list)
    consent_rule: TextParameter | None = None
    # scheme name (elevator.schemes) that applies when owners agree nothing else
    sharing_default: TextParameter | None = None
    feasibility: dict[str, Parameter] = Field(default_factory=dict)
    typical_costs: dict[str, Parameter] = Field(default_factory=dict)
    # figures seen in practice (e.g. low-floor compensation paid), not rules
    precedents: dict[str, Parameter] = Field(default_factory=dict)
    notes: list[PolicyNote] = Field(default_factory=list)

    def all_subsidies(self) -> list[PolicySubsidy]:
        """This file's subsidies after the ones inherited from its parent (minus `replaces`)."""
        inherited = load_policy(self.parent).all_subsidies() if self.parent else []
        own = {s.id for s in self.subsidies}
        keep = [s for s in inherited if s.id not in self.replaces and s.id not in own]
        return keep + list(self.subsidies)

    def subsidies_at(self, date: dt.date, hardship: list[str] | None = None) -> list[Subsidy]:
        """The subsidies in force at `date`; hardship aid only when some household is
        marked `hardship` (it goes to those households)."""
        return [
            s.at(date, hardship)
            for s in self.all_subsidies()
            if (hardship or not s.is_hardship_aid) and s.in_force(date)
        ]

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


def policy_for(project) -> Policy:
    """The policy a project is read under: `<policy>-<district>` when it names a district,
    which must be a district file of that city (its `parent`)."""
    pid = project.policy_id
    policy = load_policy(pid)
    if project.district and policy.parent != project.policy:
        raise ProjectError(
            [Problem("district", Msg("error.district.parent", policy=pid, city=project.policy))]
        )
    return policy


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
