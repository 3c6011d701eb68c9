"""The one place where the engines meet: checklist conditions that add cost items, then the
split; consent judged on the plan version of that split.

Everything above the engines (documents, CLI, store, app) asks here for a project's shares,
so a project with `costs.include_conditions` is priced the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from elevator.consent.evaluation import ConsentResult, evaluate, resolve_rule
from elevator.feasibility.checklist import assess
from elevator.model.consent import Decision
from elevator.model.project import Project, Sharing
from elevator.plan.versions import plan_version
from elevator.sharing.engine import ShareResult, compute_shares


def condition_cost_items(project: Project) -> tuple[tuple[str, Fraction, str | None], ...]:
    """Costed conditions of the feasibility checklist (name, amount, source), each once."""
    return tuple(
        (i["name"], i["amount"], i.get("source")) for i in assess(project).condition_items()
    )


def shares(
    project: Project, scheme: str | None = None, sharing: Sharing | None = None
) -> ShareResult:
    """The project's split (its scheme, or `scheme`), with the costed conditions of its
    checklist added to the cost when the project asks for that."""
    extra = condition_cost_items(project) if project.costs.include_conditions else ()
    return compute_shares(project, scheme, sharing, extra)


def project_plan_version(project: Project) -> str:
    return plan_version(shares(project))


def consent(
    project: Project, rule: str | None = None, decisions: Sequence[Decision] | None = None
) -> ConsentResult:
    """Consent on the project's current plan version (older decisions shown, not counted)."""
    resolve_rule(project, rule)  # a bad rule is reported before any pricing
    return evaluate(project, project_plan_version(project), rule, decisions)


__all__ = ["condition_cost_items", "consent", "project_plan_version", "shares"]
