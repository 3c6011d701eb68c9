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
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import combinations, product

from elevator.core.errors import problem
from elevator.core.money import number_str
from elevator.core.text import Msg, pair
from elevator.model.consent import ConsentSection, Decision
from elevator.model.project import Household, Project
from elevator.policy.consent_rules import ConsentRule, RuleCondition, get_rule, rule_id_for

DECISIONS = ("agree", "oppose", "abstain", "none")
# (zh, en) of each decision and channel, from the catalogue (decision.*, via.*)
DECISION_WORDS = {d: pair(f"decision.{d}") for d in DECISIONS}
VIA_WORDS = {v: pair(f"via.{v}") for v in ("link", "paper")}


def joined(items: Sequence[str]) -> Msg | str:
    """Ids in a list: "201、302" / "201, 302"."""
    out: Msg | str = items[0]
    for item in items[1:]:
        out = Msg("consent.list", head=out, tail=item)
    return out


# --- history ------------------------------------------------------------------


def record_decision(project: "Project", decision: Decision) -> "Project":
    """A copy of the project with one more history entry (nothing is overwritten)."""
    ids = {h.id for h in project.building.households}
    if decision.household not in ids:
        raise problem("household", "consent.error.no_household", household=decision.household)
    section = project.consent or ConsentSection()
    section = section.model_copy(update={"decisions": [*section.decisions, decision]})
    return project.model_copy(update={"consent": section})


def history(project: "Project", household: str | None = None) -> list[Decision]:
    entries = project.consent.decisions if project.consent else []
    return [d for d in entries if household is None or d.household == household]


@dataclass(frozen=True, kw_only=True)
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
                id=h.id,
                floor=h.floor,
                area_m2=h.area_m2,
                occupied_by_shaft=h.occupied_by_shaft,
                decision=value,
                latest=d,
                stale=stale,
                entries=counts.get(h.id, 0),
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


@dataclass(frozen=True, kw_only=True)
class ConditionResult:
    id: str
    name: Msg  # consent_condition.<rule id>.<condition id>
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
    missing: Msg | None  # what is still missing (None: it holds)

    name_zh = property(lambda self: self.name.zh)
    name_en = property(lambda self: self.name.en)
    missing_zh = property(lambda self: "" if self.missing is None else self.missing.zh)
    missing_en = property(lambda self: "" if self.missing is None else self.missing.en)

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
            key = f"consent.missing.{self.kind}.anonymous"  # no_opposition | occupied_space
            words = Msg(key, n=len(self.households))
            out["missing"] = {"zh": words.zh, "en": words.en}
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
    bound = (
        "at_least"
        if c.at_least is not None
        else "more_than"
        if c.more_than is not None
        else "at_most"
    )
    return ConditionResult(
        id=c.id,
        name=c.name,
        kind=c.kind,
        basis=c.basis,
        holds=holds,
        needed=needed,
        have=have,
        threshold=threshold,
        fraction=q,
        bound=bound,
        base=base,
        households=(),
        missing=None if holds else _share_missing(c, have, needed, threshold, step),
    )


def _amount(basis: str, x: Fraction) -> Msg:
    if basis == "area":
        return Msg("consent.amount.area", n=exact_str(x))
    key = "consent.amount.households.one" if x == 1 else "consent.amount.households"
    return Msg(key, n=exact_str(x))


def _share_missing(
    c: RuleCondition,
    have: Fraction,
    needed: Fraction,
    threshold: Fraction,
    step: Fraction,
) -> Msg:
    if c.at_most is not None:
        return Msg(f"consent.missing.fewer.{c.count}", amount=_amount(c.basis, have - needed))
    short = needed - have
    n = exact_str(short)
    households = "consent.missing.households" + (".one" if short == 1 else "")
    if c.of == "participating" and c.count == "agreeing" and c.fraction < 1:
        # newcomers who agree raise the base too: A + y ≥ q(P + y)  ⇒  y ≥ (qP − A)/(1 − q)
        y = (threshold - have) / (1 - c.fraction)
        y = (
            math.ceil(y / step) * step
            if c.at_least is not None
            else (math.floor(y / step) + 1) * step
        )
        if c.basis == "area":
            return Msg("consent.missing.area.newcomers", area=n, newcomers=exact_str(y))
        return Msg(f"{households}.newcomers", n=n, newcomers=exact_str(y))
    verb = Msg(f"consent.verb.{c.count}")
    if c.basis == "area":
        return Msg("consent.missing.area", area=n, verb=verb)
    return Msg(households, n=n, verb=verb)


def _special_condition(c: RuleCondition, rows: Sequence[HouseholdDecision]) -> ConditionResult:
    if c.kind == "no_opposition":
        blockers = tuple(h.id for h in rows if h.decision == "oppose")
        missing = None
        if blockers:
            missing = Msg(
                "consent.missing.no_opposition", n=len(blockers), households=joined(blockers)
            )
        return ConditionResult(
            id=c.id,
            name=c.name,
            kind=c.kind,
            basis=None,
            holds=not blockers,
            needed=Fraction(0),
            have=Fraction(len(blockers)),
            threshold=Fraction(0),
            fraction=None,
            bound="at_most",
            base=Fraction(len(rows)),
            households=blockers,
            missing=missing,
        )
    occupied = [h for h in rows if h.occupied_by_shaft]
    blockers = tuple(h.id for h in occupied if h.decision != "agree")
    missing = None
    if blockers:
        missing = Msg(
            "consent.missing.occupied_space", n=len(blockers), households=joined(blockers)
        )
    return ConditionResult(
        id=c.id,
        name=c.name,
        kind=c.kind,
        basis=None,
        holds=not blockers,
        needed=Fraction(len(occupied)),
        have=Fraction(len(occupied) - len(blockers)),
        threshold=Fraction(len(occupied)),
        fraction=Fraction(1),
        bound="at_least",
        base=Fraction(len(occupied)),
        households=blockers,
        missing=missing,
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
        return [replace(h, decision="agree") if h.id in ids else h for h in rows]

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


def change_msg(change: SmallestChange | None, named: bool) -> Msg:
    """'Two more households holding at least 130 m² together must agree', as a message."""
    if change is None:
        return Msg("consent.change.impossible")
    if change.households == 0:
        return Msg("consent.change.passed")
    k = change.households
    area: Msg | str = ""
    if change.area is not None:
        together = "consent.change.area.together" if k > 1 else "consent.change.area"
        area = Msg(together, area=exact_str(change.area))
    example: Msg | str = ""
    if named and change.example:
        example = Msg("consent.change.example", households=joined(change.example))
    return Msg(
        "consent.change.more.one" if k == 1 else "consent.change.more",
        count=Msg(f"consent.change.count.{k}") if k <= 10 else str(k),
        area=area,
        example=example,
    )


def change_words(change: SmallestChange | None, named: bool) -> tuple[str, str]:
    """'two more households holding at least 130 m² must agree', in both languages."""
    words = change_msg(change, named)
    return words.zh, words.en


@dataclass(frozen=True, kw_only=True)
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
        out = {k: 0 for k in DECISIONS}
        for h in self.households:
            out[h.decision] += 1
        return out

    @property
    def rule_name(self) -> Msg:
        """The rule's name (catalogue consent_rule.<rule id>)."""
        return Msg(f"consent_rule.{self.rule_id}")


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
        rule_id=rule_id,
        rule=rule_obj,
        rule_source=source,
        version=version,
        passed=passed,
        conditions=conditions,
        households=tuple(rows),
        change=change,
        history_entries=len(entries),
        stale=tuple(h.id for h in rows if h.stale),
    )
