"""A comparison of schemes laid out: each household's net per scheme, the fairness marks."""

from __future__ import annotations

from fractions import Fraction

from elevator.core.money import money_str
from elevator.core.text import pick, t
from elevator.plan.compare import Comparison
from elevator.sharing.fairness import PROPERTY_LABELS

# "×" not "✗": Noto Sans CJK SC, the font every PDF embeds, has no U+2717
MARKS = {None: "—", True: "✓", False: "×"}


MARKS_LEGEND = (
    "✓ 满足  × 不满足  — 无法检查（无费用阶梯）",
    "✓ holds  × fails  — cannot check (no cost ladder)",
)


def share_rows(c: Comparison, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """Each household's rounded net under each scheme, and the totals (which all close)."""
    headers = [t("label.room", lang), t("label.floor", lang)] + [
        pick((r.scheme.zh, r.scheme.en), lang) for r in c.results
    ]
    rows = [
        [h.id, str(h.floor)] + [money_str(r.households[i].share) for r in c.results]
        for i, h in enumerate(c.project.building.households)
    ]
    rows.append(
        [t("label.total", lang), ""]
        + [money_str(sum((x.share for x in r.households), Fraction(0))) for r in c.results]
    )
    return headers, rows


def property_rows(c: Comparison, lang: str = "zh") -> list[list[str]]:
    """✓ / × / — for each fairness property of each scheme, under the shares."""
    return [
        [pick(labels, lang).split("（")[0].split(" (")[0], ""]
        + [MARKS[rep.properties()[key]] for rep in c.reports]
        for key, labels in PROPERTY_LABELS.items()
    ]


def skipped_text(c: Comparison, lang: str = "zh") -> list[tuple[str, str]]:
    return [(name, pick((p.zh, p.en), lang)) for name, p in c.skipped]
