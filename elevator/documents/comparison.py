"""A comparison of schemes laid out: each household's net per scheme, the fairness marks."""

from __future__ import annotations

from fractions import Fraction

from elevator.core.money import money_str
from elevator.core.text import pair, t
from elevator.documents.tables import scheme_label
from elevator.plan.compare import Comparison

# "×" not "✗": Noto Sans CJK SC, the font every PDF embeds, has no U+2717
MARKS = {None: "—", True: "✓", False: "×"}

# the fairness properties, in the order they are listed under the shares
PROPERTIES = ("no_subsidy", "stand_alone", "equal_treatment", "monotone", "nonnegative")

# (zh, en) of the marks' legend; kept for the app (t("doc.compare.marks", lang) is the same)
MARKS_LEGEND = pair("doc.compare.marks")


def share_rows(c: Comparison, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """Each household's rounded net under each scheme, and the totals (which all close)."""
    headers = [t("label.room", lang), t("label.floor", lang)] + [
        scheme_label(r.scheme, lang) for r in c.results
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


def property_name(key: str, lang: str = "zh") -> str:
    """A fairness property's name without its explanation in brackets."""
    name = t(f"property.{key}", lang)
    for opener in pair("doc.sep.aside_open"):
        name = name.split(opener)[0]
    return name


def property_rows(c: Comparison, lang: str = "zh") -> list[list[str]]:
    """✓ / × / — for each fairness property of each scheme, under the shares."""
    return [
        [property_name(key, lang), ""] + [MARKS[rep.properties()[key]] for rep in c.reports]
        for key in PROPERTIES
    ]


def skipped_text(c: Comparison, lang: str = "zh") -> list[tuple[str, str]]:
    return [(name, p.text(lang)) for name, p in c.skipped]


# reasons a scheme cannot apply, said once for all the schemes they concern
_REASONS = {"sharing.error.needs_floor_costs": "doc.compare.reason.floor_costs"}


def skipped_groups(c: Comparison, lang: str = "zh") -> list[tuple[list[str], str]]:
    """The schemes not computed, grouped by reason: (their names, not their keys; the
    reason in words), in the order the schemes were asked for."""
    from elevator.sharing.schemes import SCHEMES  # noqa: PLC0415

    groups: dict[str, tuple[list[str], str]] = {}
    for name, p in c.skipped:
        key = getattr(p.message, "key", "")
        reason = t(_REASONS[key], lang) if key in _REASONS else p.text(lang)
        label = scheme_label(SCHEMES[name], lang) if name in SCHEMES else name
        groups.setdefault(_REASONS.get(key) or reason, ([], reason))[0].append(label)
    return list(groups.values())


def not_applicable_line(c: Comparison, lang: str = "zh") -> str:
    """One line that says which schemes do not apply to this project and why, each reason
    once ("" when every scheme asked for was computed)."""
    groups = skipped_groups(c, lang)
    if not groups:
        return ""
    names_sep = t("doc.compare.scheme_sep", lang)
    parts = [
        t("doc.compare.not_applicable.group", lang, schemes=names_sep.join(names), reason=reason)
        for names, reason in groups
    ]
    return t("doc.compare.not_applicable", lang, groups=t("doc.sep.list", lang).join(parts))


def skipped_lines(c: Comparison, lang: str = "zh") -> list[str]:
    """What the CLI and the PDF print under a comparison: the one line of
    `not_applicable_line`, or nothing."""
    line = not_applicable_line(c, lang)
    return [line] if line else []
