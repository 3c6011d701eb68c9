"""Several schemes side by side: the one place that computes and lays out a comparison
(CLI `compare`, the compare PDF and workbook, the app's compare page)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from .errors import Problem, ProjectError
from .fairness import PROPERTY_LABELS, FairnessReport, check
from .i18n import pick, t
from .model import Project
from .money import money_str
from .sharing import ShareResult, compute_shares

# "×" not "✗": Noto Sans CJK SC, the font every PDF embeds, has no U+2717
MARKS = {None: "—", True: "✓", False: "×"}
MARKS_LEGEND = ("✓ 满足  × 不满足  — 无法检查（无费用阶梯）",
                "✓ holds  × fails  — cannot check (no cost ladder)")


@dataclass(frozen=True)
class Comparison:
    project: Project
    results: tuple[ShareResult, ...]
    skipped: tuple[tuple[str, Problem], ...]     # schemes that cannot apply, with the reason
    reports: tuple[FairnessReport, ...]          # fairness of each result, same order


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
    return Comparison(project, tuple(results), tuple(skipped),
                      tuple(check(r, project) for r in results))


def share_rows(c: Comparison, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """Each household's rounded net under each scheme, and the totals (which all close)."""
    headers = [t("room", lang), t("floor", lang)] + [pick((r.scheme.zh, r.scheme.en), lang)
                                                     for r in c.results]
    rows = [[h.id, str(h.floor)] + [money_str(r.households[i].share) for r in c.results]
            for i, h in enumerate(c.project.building.households)]
    rows.append([t("total", lang), ""] + [money_str(sum((x.share for x in r.households), Fraction(0)))
                                          for r in c.results])
    return headers, rows


def property_rows(c: Comparison, lang: str = "zh") -> list[list[str]]:
    """✓ / × / — for each fairness property of each scheme, under the shares."""
    return [[pick(labels, lang).split("（")[0].split(" (")[0], ""]
            + [MARKS[rep.properties()[key]] for rep in c.reports]
            for key, labels in PROPERTY_LABELS.items()]


def skipped_text(c: Comparison, lang: str = "zh") -> list[tuple[str, str]]:
    return [(name, pick((p.zh, p.en), lang)) for name, p in c.skipped]
