"""Several schemes side by side: the one place that computes and lays out a comparison
(CLI `compare`, the compare PDF and workbook, the app's compare page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from elevator.core.errors import Problem, ProjectError
from elevator.model.project import Project
from elevator.plan.compose import shares as compute_shares
from elevator.sharing.engine import ShareResult
from elevator.sharing.fairness import FairnessReport, check


@dataclass(frozen=True)
class Comparison:
    project: Project
    results: tuple[ShareResult, ...]
    skipped: tuple[tuple[str, Problem], ...]  # schemes that cannot apply, with the reason
    reports: tuple[FairnessReport, ...]  # fairness of each result, same order


def compare(project: Project, names: Sequence[str], skip_inapplicable: bool = True) -> Comparison:
    """Compute each named scheme; one that cannot apply is skipped with its reason
    (or, with skip_inapplicable=False, its error is raised)."""
    results, skipped = [], []
    for name in names:
        try:
            results.append(compute_shares(project, name))
        except ProjectError as e:
            if not skip_inapplicable:
                raise
            skipped.append((name, e.problems[0]))
    return Comparison(
        project, tuple(results), tuple(skipped), tuple(check(r, project) for r in results)
    )
