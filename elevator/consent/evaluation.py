"""Consent (表决): each household's current decision, and the rule's conditions judged.

project.consent.decisions   every entry ever recorded, oldest first; a change
                            or a withdrawal (`none`) is a new entry
current decision            a household's latest entry; it counts only when
                            it was given on the current plan version
                            (elevator.plan.versions)
rule                        conditions from elevator.policy.consent_rules,
                            compared exactly (Fractions); "at_least" is 以上
                            and includes the boundary (Civil Code art. 1259)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, product

from elevator.core.errors import Problem, ProjectError
from elevator.core.money import number_str
from elevator.model.consent import ConsentSection, Decision
from elevator.model.project import Household, Project
from elevator.policy.consent_rules import ConsentRule, RuleCondition, get_rule, rule_id_for

DECISION_WORDS = {
    "agree": ("同意", "agree"),
    "oppose": ("反对", "oppose"),
    "abstain": ("弃权", "abstain"),
    "none": ("未表态", "no decision"),
}
VIA_WORDS = {
    "link": ("本户链接", "own link"),
    "paper": ("纸质签字（调解员录入）", "paper signature, recorded by the mediator"),
}


# --- rules (policy data) ----------------------------------------------------


# --- plan versions ------------------------------------------------------------


# --- history ------------------------------------------------------------------


def record_decision(project: "Project", decision: Decision) -> "Project":
    """A copy of the project with one more history entry (nothing is overwritten)."""
    ids = {h.id for h in project.building.households}
    if decision.household not in ids:
        raise ProjectError(
            [
                Problem(
                    "household",
                    f"没有住户 {decision.household}",
                    f"no household {decision.household}",
                )
            ]
        )
    section = project.consent or ConsentSection()
    section = section.model_copy(update={"decisions": [*section.decisions, decision]})
    return project.model_copy(update={"consent": section})


def history(project: "Project", household: str | None = None) -> list[Decision]:
    entries = project.consent.decisions if project.consent else []
    return [d for d in entries if household is None or d.household == household]


@dataclass(frozen=True)
class HouseholdDecision:
    id: str
    floor: int
    area_m2: Fraction
    occupied_by_shaft: bool
    decision: str  # what counts now: agree | oppose | abstain | none
    latest: Decision | None  # the latest entry, current or stale
    stale: bool  # latest entry was given on another plan version
    entries: int  # history length for this household


def current_decisions(
    households: Sequence["Household"], decisions: Sequence[Decision], version: str | None
) -> list[HouseholdDecision]:
    """Each household's latest entry; one given on another plan version counts as none.

    An entry without a version belongs to the plan in the project file; with
    `version=None` every entry is taken as current.
    """
    latest: dict[str, Decision] = {}
    counts: dict[str, int] = {}
    for d in decisions:
        latest[d.household] = d
        counts[d.household] = counts.get(d.household, 0) + 1
    out = []
    for h in households:
        d = latest.get(h.id)
        stale = bool(d and version and d.version and d.version != version)
        value = "none" if d is None or stale else d.decision
        out.append(
            HouseholdDecision(
                h.id, h.floor, h.area_m2, h.occupied_by_shaft, value, d, stale, counts.get(h.id, 0)
            )
        )
    return out


# --- evaluation ------------------------------------------------------------------

PARTICIPATING = ("agree", "oppose", "abstain")


exact_str = number_str  # exact numbers in consent results: '2/3', '0.75', '130.5'


def _area_unit(households: Iterable[HouseholdDecision]) -> Fraction:
    """The finest unit the areas are written in (0.01 m² at least): sums are multiples of it."""
    den = 100
    for h in households:
        den = den * h.area_m2.denominator // math.gcd(den, h.area_m2.denominator)
    return Fraction(1, den)


def _matches(value: str, count: str) -> bool:
    if count == "participating":
        return value in PARTICIPATING
    return value == {"agreeing": "agree", "opposing": "oppose"}[count]


@dataclass(frozen=True)
class ConditionResult:
    id: str
    name_zh: str
    name_en: str
    kind: str
    basis: str | None  # area | headcount | None (no_opposition, occupied_space)
    holds: bool
    needed: Fraction  # smallest amount that meets the bound (m² or households)
    have: Fraction
    threshold: Fraction  # fraction × base, exact
    fraction: Fraction | None
    bound: str | None  # at_least | more_than | at_most
    base: Fraction  # the area or headcount the fraction is taken of
    households: tuple[str, ...]  # who blocks it (no_opposition, occupied_space)
    missing_zh: str
    missing_en: str

    def as_dict(self, named: bool = True) -> dict:
        out = {
            "name": self.id,
            "label": {"zh": self.name_zh, "en": self.name_en},
            "holds": self.holds,
            "needed": exact_str(self.needed),
            "have": exact_str(self.have),
            "basis": self.basis or "headcount",
            "kind": self.kind,
            "threshold": exact_str(self.threshold),
            "base": exact_str(self.base),
            "fraction": str(self.fraction) if self.fraction is not None else None,
            "bound": self.bound,
            "missing": {"zh": self.missing_zh, "en": self.missing_en},
        }
        if named:
            out["households"] = list(self.households)
        elif self.households:  # residents see how many, not who
            n = len(self.households)
            out["missing"] = (
                {
                    "zh": f"{n} 户反对，须撤回反对",
                    "en": f"{n} household(s) oppose and must withdraw the opposition",
                }
                if self.kind == "no_opposition"
                else {
                    "zh": f"井道占用其空间的 {n} 户须同意",
                    "en": f"{n} household(s) whose space the shaft occupies must agree",
                }
            )
        return out


def _share_condition(
    c: RuleCondition, rows: Sequence[HouseholdDecision], unit: Fraction
) -> ConditionResult:
    metric = (lambda h: h.area_m2) if c.basis == "area" else (lambda h: Fraction(1))
    step = unit if c.basis == "area" else Fraction(1)
    base_rows = rows if c.of == "all" else [h for h in rows if h.decision in PARTICIPATING]
    base = sum((metric(h) for h in base_rows), Fraction(0))
    have = sum((metric(h) for h in base_rows if _matches(h.decision, c.count)), Fraction(0))
    q = c.fraction
    threshold = q * base
    if c.at_least is not None:
        needed = math.ceil(threshold / step) * step
        holds = base > 0 and have >= threshold
    elif c.more_than is not None:
        needed = (math.floor(threshold / step) + 1) * step
        holds = base > 0 and have > threshold
    else:
        needed = math.floor(threshold / step) * step
        holds = have <= threshold
    zh, en = ("", "") if holds else _share_missing(c, have, needed, base, threshold, step)
    bound = (
        "at_least"
        if c.at_least is not None
        else "more_than"
        if c.more_than is not None
        else "at_most"
    )
    return ConditionResult(
        c.id,
        c.name.zh,
        c.name.en,
        c.kind,
        c.basis,
        holds,
        needed,
        have,
        threshold,
        q,
        bound,
        base,
        (),
        zh,
        en,
    )


def _amount(basis: str, x: Fraction) -> tuple[str, str]:
    if basis == "area":
        return f"{exact_str(x)} m²", f"{exact_str(x)} m²"
    return f"{exact_str(x)} 户", f"{exact_str(x)} household{'s' if x != 1 else ''}"


def _share_missing(
    c: RuleCondition,
    have: Fraction,
    needed: Fraction,
    base: Fraction,
    threshold: Fraction,
    step: Fraction,
) -> tuple[str, str]:
    verb_zh = {
        "participating": "参与表决（同意、反对或弃权）",
        "agreeing": "同意",
        "opposing": "反对",
    }[c.count]
    verb_en = {
        "participating": "take part (agree, oppose or abstain)",
        "agreeing": "agree",
        "opposing": "oppose",
    }[c.count]
    if c.at_most is not None:
        zh_n, en_n = _amount(c.basis, have - needed)
        return (
            f"反对方须减少 {zh_n}" if c.count == "opposing" else f"须减少 {zh_n}",
            f"{en_n} fewer must {verb_en}",
        )
    short = needed - have
    if c.basis == "area":
        zh = f"还须有合计至少 {exact_str(short)} m² 的住户{verb_zh}"
        en = f"households holding at least {exact_str(short)} m² more must {verb_en}"
    else:
        zh = f"还须 {exact_str(short)} 户{verb_zh}"
        en = f"{exact_str(short)} more household{'s' if short != 1 else ''} must {verb_en}"
    if c.of == "participating" and c.count == "agreeing":
        # newcomers who agree raise the base too: A + y ≥ q(P + y)  ⇒  y ≥ (qP − A)/(1 − q)
        q = c.fraction
        if q < 1:
            y = (threshold - have) / (1 - q)
            y = (
                math.ceil(y / step) * step
                if c.at_least is not None
                else (math.floor(y / step) + 1) * step
            )
            if c.basis == "area":
                zh += f"（指已参与表决者改为同意；若由尚未表决的住户新表态同意，则须合计至少 {exact_str(y)} m²）"
                en += (
                    f" (counting households already taking part who change to agree; "
                    f"households not yet taking part would need to hold at least "
                    f"{exact_str(y)} m²)"
                )
            else:
                zh += f"（指已参与表决者改为同意；若由尚未表决的住户新表态同意，则须 {exact_str(y)} 户）"
                en += (
                    f" (counting households already taking part who change to agree; "
                    f"from households not yet taking part it would take {exact_str(y)})"
                )
    return zh, en


def _list_zh(ids: Sequence[str]) -> str:
    return "、".join(ids)


def _special_condition(c: RuleCondition, rows: Sequence[HouseholdDecision]) -> ConditionResult:
    if c.kind == "no_opposition":
        blockers = tuple(h.id for h in rows if h.decision == "oppose")
        zh = en = ""
        if blockers:
            zh = f"{len(blockers)} 户反对（{_list_zh(blockers)}），须撤回反对（改为同意或弃权）"
            en = (
                f"{len(blockers)} household(s) oppose ({', '.join(blockers)}) and must withdraw "
                f"the opposition (agree or abstain)"
            )
        return ConditionResult(
            c.id,
            c.name.zh,
            c.name.en,
            c.kind,
            None,
            not blockers,
            Fraction(0),
            Fraction(len(blockers)),
            Fraction(0),
            None,
            "at_most",
            Fraction(len(rows)),
            blockers,
            zh,
            en,
        )
    occupied = [h for h in rows if h.occupied_by_shaft]
    blockers = tuple(h.id for h in occupied if h.decision != "agree")
    zh = en = ""
    if blockers:
        zh = f"井道占用其空间的 {len(blockers)} 户（{_list_zh(blockers)}）须同意"
        en = (
            f"the {len(blockers)} household(s) whose space the shaft occupies "
            f"({', '.join(blockers)}) must agree"
        )
    return ConditionResult(
        c.id,
        c.name.zh,
        c.name.en,
        c.kind,
        None,
        not blockers,
        Fraction(len(occupied)),
        Fraction(len(occupied) - len(blockers)),
        Fraction(len(occupied)),
        Fraction(1),
        "at_least",
        Fraction(len(occupied)),
        blockers,
        zh,
        en,
    )


def evaluate_conditions(
    rule: ConsentRule, rows: Sequence[HouseholdDecision]
) -> list[ConditionResult]:
    unit = _area_unit(rows)
    return [
        _share_condition(c, rows, unit) if c.kind == "share" else _special_condition(c, rows)
        for c in rule.conditions
    ]


def _passes(rule: ConsentRule, rows: Sequence[HouseholdDecision]) -> bool:
    return all(r.holds for r in evaluate_conditions(rule, rows))


@dataclass(frozen=True)
class SmallestChange:
    households: int  # fewest more households that must agree
    area: Fraction | None  # least area those households hold together (None: not searched)
    example: tuple[str, ...]  # one such set (mediator only)


MAX_SUBSETS = 20_000  # beyond this the least area is not searched (the count stays exact)


def smallest_change(rule: ConsentRule, rows: Sequence[HouseholdDecision]) -> SmallestChange | None:
    """Fewest households that must change to `agree` for every condition to hold.

    Every condition gets no worse when a household changes to agree, and within
    a group of households alike in their current decision and shaft occupation
    a larger area never hurts, so trying group counts with the largest areas
    first finds the exact minimum; the least area for that count is then
    searched over all sets of that size when there are not too many.
    """
    if _passes(rule, rows):
        return SmallestChange(0, Fraction(0), ())
    others = [h for h in rows if h.decision != "agree"]
    groups: dict[tuple[str, bool], list[HouseholdDecision]] = {}
    for h in others:
        groups.setdefault((h.decision, h.occupied_by_shaft), []).append(h)
    keys = list(groups)
    for members in groups.values():
        members.sort(key=lambda h: -h.area_m2)

    def flipped(chosen: Iterable[HouseholdDecision]) -> list[HouseholdDecision]:
        ids = {h.id for h in chosen}
        return [
            HouseholdDecision(
                h.id, h.floor, h.area_m2, h.occupied_by_shaft, "agree", h.latest, h.stale, h.entries
            )
            if h.id in ids
            else h
            for h in rows
        ]

    best_k = None
    for k in range(1, len(others) + 1):
        for counts in product(*(range(len(groups[g]) + 1) for g in keys)):
            if sum(counts) != k:
                continue
            chosen = [h for g, n in zip(keys, counts) for h in groups[g][:n]]
            if _passes(rule, flipped(chosen)):
                best_k, example = k, tuple(h.id for h in chosen)
                break
        if best_k is not None:
            break
    if best_k is None:
        return None
    if math.comb(len(others), best_k) > MAX_SUBSETS:
        return SmallestChange(best_k, None, example)
    least, least_set = None, example
    for subset in combinations(others, best_k):
        area = sum((h.area_m2 for h in subset), Fraction(0))
        if (least is None or area < least) and _passes(rule, flipped(subset)):
            least, least_set = area, tuple(h.id for h in subset)
    return SmallestChange(best_k, least, least_set)


_NUMBERS_ZH = "零一两三四五六七八九十"
_NUMBERS_EN = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _count_zh(n: int) -> str:
    return _NUMBERS_ZH[n] if n <= 10 else str(n)


def _count_en(n: int) -> str:
    return _NUMBERS_EN[n] if n <= 10 else str(n)


def change_words(change: SmallestChange | None, named: bool) -> tuple[str, str]:
    """'two more households holding at least 130 m² must agree', in both languages."""
    if change is None:
        return (
            "即使全部住户同意也无法满足该规则，请核对规则与住户数据",
            "the rule cannot be met even if every household agrees; check the rule and data",
        )
    if change.households == 0:
        return "表决已通过", "the vote has passed"
    k = change.households
    zh = f"还须{_count_zh(k)}户"
    en = f"{_count_en(k).capitalize()} more household{'s' if k != 1 else ''}"
    if change.area is not None:
        zh += f"（合计面积至少 {exact_str(change.area)} m²）"
        en += f" holding at least {exact_str(change.area)} m²" + (" together" if k > 1 else "")
    zh += "同意"
    en += " must agree"
    if named and change.example:
        zh += f"，例如 {_list_zh(change.example)}"
        en += f", e.g. {', '.join(change.example)}"
    return zh, en


@dataclass(frozen=True)
class ConsentResult:
    rule_id: str
    rule: ConsentRule
    rule_source: str  # project | policy X | default
    version: str | None
    passed: bool
    conditions: tuple[ConditionResult, ...]
    households: tuple[HouseholdDecision, ...]
    change: SmallestChange | None
    history_entries: int
    stale: tuple[str, ...] = field(default_factory=tuple)

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in DECISION_WORDS}
        for h in self.households:
            out[h.decision] += 1
        return out


def resolve_rule(project: "Project", rule: str | None = None) -> tuple[str, ConsentRule, str]:
    """(rule id, rule, where it came from) for a project, or a bilingual error naming the field."""
    rule_id, source = (rule, "given") if rule else rule_id_for(project)
    rule_obj = get_rule(
        rule_id, "consent.rule" if source in ("project", "given") else f"{source}.consent_rule"
    )
    return rule_id, rule_obj, source


def evaluate(
    project: "Project",
    version: str | None,
    rule: str | None = None,
    decisions: Sequence[Decision] | None = None,
) -> ConsentResult:
    """Evaluate the consent of `project` under a rule.

    rule      a rule id; default: project.consent.rule, the policy's, civil_code_278
    version   the current plan version (elevator.plan.versions); None takes every
              entry as current
    decisions the history to use instead of project.consent.decisions (the app's store)
    """
    rule_id, rule_obj, source = resolve_rule(project, rule)
    entries = list(decisions) if decisions is not None else history(project)
    rows = current_decisions(project.building.households, entries, version)
    conditions = tuple(evaluate_conditions(rule_obj, rows))
    passed = all(c.holds for c in conditions)
    change = None if passed else smallest_change(rule_obj, rows)
    if passed:
        change = SmallestChange(0, Fraction(0), ())
    return ConsentResult(
        rule_id,
        rule_obj,
        source,
        version,
        passed,
        conditions,
        tuple(rows),
        change,
        len(entries),
        tuple(h.id for h in rows if h.stale),
    )


# --- output --------------------------------------------------------------------
