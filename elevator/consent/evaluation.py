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

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from elevator.consent.applied import AppliedCondition, AppliedRules, applied_rules, law_name
from elevator.consent.search import SmallestChange, Unit, owner_status
from elevator.consent.search import smallest_change as search_change
from elevator.core.errors import problem
from elevator.core.money import number_str
from elevator.core.text import Msg, pair
from elevator.model.consent import ConsentSection, Decision
from elevator.model.project import Household, Project
from elevator.policy.consent_rules import ConsentRule, RuleCondition, counting

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
    owner: str  # who counts in the headcount: the named owner, else the unit itself
    decision: str  # what counts now: agree | oppose | abstain | none
    latest: Decision | None  # the latest entry, current or stale
    stale: bool  # latest entry was given on another plan version
    entries: int  # history length for this household


def owner_key(h: "Household") -> str:
    """The owner a unit's headcount goes to: its named owner (one person however many
    units, 法释〔2009〕7号 art. 9), else the unit itself (one unit, one owner)."""
    name = " ".join(h.owner.split()) if h.owner else ""
    return f"owner:{name}" if name else f"unit:{h.id}"


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
                owner=owner_key(h),
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


@dataclass(frozen=True)
class Owner:
    """One owner (法释〔2009〕7号 art. 9) and what his units decided."""

    key: str
    units: tuple[str, ...]
    participating: bool
    agreeing: bool
    opposing: bool
    mixed: bool  # units that take part decided differently

    def matches(self, count: str) -> bool:
        return {
            "participating": self.participating,
            "agreeing": self.agreeing,
            "opposing": self.opposing,
        }[count]


def owners_of(rows: Sequence[HouseholdDecision]) -> tuple[Owner, ...]:
    groups: dict[str, list[HouseholdDecision]] = {}
    for h in rows:
        groups.setdefault(h.owner, []).append(h)
    out = []
    for key, members in groups.items():
        decisions = [h.decision for h in members]
        part, agreeing, opposing = owner_status(decisions)
        taking_part = {d for d in decisions if d in PARTICIPATING}
        out.append(
            Owner(key, tuple(h.id for h in members), part, agreeing, opposing, len(taking_part) > 1)
        )
    return tuple(out)


@dataclass(frozen=True)
class ConditionSource:
    """A rule that asks for a condition: its id, level, references and confidence mark."""

    rule_id: str
    level: str  # national | local
    name: Msg
    references: tuple  # elevator.core.types.Reference
    confidence: str
    mark: str

    def as_dict(self) -> dict:
        return {
            "rule": self.rule_id,
            "level": self.level,
            "label": {"zh": self.name.zh, "en": self.name.en},
            "reference": [r.model_dump(exclude_none=True) for r in self.references],
            "confidence": self.confidence,
            "confidence_mark": self.mark,
        }


def _sources(rules: Iterable[ConsentRule]) -> tuple[ConditionSource, ...]:
    return tuple(
        ConditionSource(r.id, r.level, law_name(r), tuple(r.reference), r.confidence, r.mark)
        for r in rules
    )


@dataclass(frozen=True, kw_only=True)
class ConditionResult:
    id: str  # national: the condition id; local: "<rule id>.<condition id>"
    name: Msg  # consent_condition.<rule id>.<condition id>
    kind: str
    basis: str | None  # area | headcount | None (no_opposition, occupied_space, unanimity)
    holds: bool
    needed: Fraction  # smallest amount that meets the bound (m² or owners)
    have: Fraction
    threshold: Fraction  # fraction × base, exact
    fraction: Fraction | None
    bound: str | None  # at_least | more_than | at_most
    base: Fraction  # the area or headcount the fraction is taken of
    households: tuple[str, ...]  # who blocks it (no_opposition, occupied_space, unanimity)
    missing: Msg | None  # what is still missing (None: it holds)
    sources: tuple[ConditionSource, ...] = ()  # every rule that asks for it, law first

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
            "sources": [s.as_dict() for s in self.sources],
        }
        if named:
            out["households"] = list(self.households)
        elif self.households:  # residents see how many, not who
            key = f"consent.missing.{self.kind}.anonymous"
            words = Msg(key, n=len(self.households))
            out["missing"] = {"zh": words.zh, "en": words.en}
        return out


def _bound_needed(c: RuleCondition, threshold: Fraction, step: Fraction) -> Fraction:
    if c.at_least is not None:
        return math.ceil(threshold / step) * step
    if c.more_than is not None:
        return (math.floor(threshold / step) + 1) * step
    return math.floor(threshold / step) * step


def _share_condition(
    a: AppliedCondition,
    rows: Sequence[HouseholdDecision],
    owners: Sequence[Owner],
    unit: Fraction,
) -> ConditionResult:
    c = a.condition
    if c.basis == "area":  # area counts per unit (法释〔2009〕7号 art. 8)
        items = [
            (h.area_m2, h.decision in PARTICIPATING, _matches(h.decision, c.count)) for h in rows
        ]
        step = unit
    else:  # headcount counts owners (art. 9)
        items = [(Fraction(1), o.participating, o.matches(c.count)) for o in owners]
        step = Fraction(1)
    base_items = items if c.of == "all" else [i for i in items if i[1]]
    base = sum((v for v, _, _ in base_items), Fraction(0))
    have = sum((v for v, _, m in base_items if m), Fraction(0))
    q = c.fraction
    threshold = q * base
    needed = _bound_needed(c, threshold, step)
    if c.at_least is not None:
        holds = base > 0 and have >= threshold
    elif c.more_than is not None:
        holds = base > 0 and have > threshold
    else:
        holds = have <= threshold
    missing = None
    if not holds:
        missing = _share_missing(c, have, needed, threshold, step, base)
    return ConditionResult(
        id=a.key,
        name=c.name,
        kind=c.kind,
        basis=c.basis,
        holds=holds,
        needed=needed,
        have=have,
        threshold=threshold,
        fraction=q,
        bound=c.bound,
        base=base,
        households=(),
        missing=missing,
        sources=_sources(a.rules),
    )


def _amount(basis: str, x: Fraction) -> Msg:
    if basis == "area":
        return Msg("consent.amount.area", n=exact_str(x))
    key = "consent.amount.owners.one" if x == 1 else "consent.amount.owners"
    return Msg(key, n=exact_str(x))


def _share_missing(
    c: RuleCondition,
    have: Fraction,
    needed: Fraction,
    threshold: Fraction,
    step: Fraction,
    base: Fraction,
) -> Msg:
    if c.at_most is not None:
        return Msg(f"consent.missing.fewer.{c.count}", amount=_amount(c.basis, have - needed))
    if c.of == "participating" and base == 0:
        # a share of the participants when nobody takes part: not "0 m² more"
        return Msg(f"consent.missing.no_participants.{c.basis}")
    short = needed - have
    n = exact_str(short)
    owners = "consent.missing.owners" + (".one" if short == 1 else "")  # headcount: owners
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
        return Msg(f"{owners}.newcomers", n=n, newcomers=exact_str(y))
    verb = Msg(f"consent.verb.{c.count}")
    if c.basis == "area":
        return Msg("consent.missing.area", area=n, verb=verb)
    return Msg(owners, n=n, verb=verb)


def _blockers(c: RuleCondition, rows: Sequence[HouseholdDecision]) -> tuple[list, list]:
    """(households the condition concerns, those of them that block it)."""
    if c.kind == "no_opposition":
        concerned = [h for h in rows if c.households != "occupied_by_shaft" or h.occupied_by_shaft]
        return concerned, [h for h in concerned if h.decision == "oppose"]
    concerned = [h for h in rows if c.kind == "unanimity" or h.occupied_by_shaft]
    return concerned, [h for h in concerned if h.decision != "agree"]


def _special_condition(a: AppliedCondition, rows: Sequence[HouseholdDecision]) -> ConditionResult:
    c = a.condition
    concerned, blocking = _blockers(c, rows)
    blockers = tuple(h.id for h in blocking)
    missing = None
    if blockers:
        key = c.kind if c.households != "occupied_by_shaft" else f"{c.kind}.occupied_by_shaft"
        missing = Msg(f"consent.missing.{key}", n=len(blockers), households=joined(blockers))
    n = Fraction(len(concerned))
    if c.kind == "no_opposition":
        needed, have, threshold, fraction, bound = (
            Fraction(0),
            Fraction(len(blockers)),
            Fraction(0),
            None,
            "at_most",
        )
    else:
        needed, have, threshold, fraction, bound = n, n - len(blockers), n, Fraction(1), "at_least"
    return ConditionResult(
        id=a.key,
        name=c.name,
        kind=c.kind,
        basis=None,
        holds=not blockers,
        needed=needed,
        have=have,
        threshold=threshold,
        fraction=fraction,
        bound=bound,
        base=n if c.kind != "no_opposition" else Fraction(len(rows)),
        households=blockers,
        missing=missing,
        sources=_sources(a.rules),
    )


def evaluate_conditions(
    conditions: Sequence[AppliedCondition], rows: Sequence[HouseholdDecision]
) -> list[ConditionResult]:
    unit = _area_unit(rows)
    owners = owners_of(rows)
    return [
        _share_condition(a, rows, owners, unit)
        if a.condition.kind == "share"
        else _special_condition(a, rows)
        for a in conditions
    ]


def smallest_change(
    conditions: Sequence[AppliedCondition], rows: Sequence[HouseholdDecision]
) -> SmallestChange | None:
    """Fewest households that must change to `agree` for every condition to hold, and
    the least area they hold together (elevator.consent.search: exact, polynomial)."""
    unit = _area_unit(rows)
    units = [
        Unit(h.id, h.owner, h.decision, int(h.area_m2 / unit), h.occupied_by_shaft, i)
        for i, h in enumerate(rows)
    ]
    return search_change([a.condition for a in conditions], units, unit)


def change_msg(change: SmallestChange | None, named: bool) -> Msg:
    """'Two more households holding at least 130 m² together must agree', as a message."""
    if change is None:
        return Msg("consent.change.impossible")
    if change.households is None:
        return Msg("consent.change.not_searched")
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
    rule_id: str  # the rule the decision is named by: the local one, else the law ("none")
    rule: ConsentRule | None
    rule_source: str  # project | policy X | given | default
    version: str | None
    passed: bool
    conditions: tuple[ConditionResult, ...]
    households: tuple[HouseholdDecision, ...]
    change: SmallestChange | None
    history_entries: int
    stale: tuple[str, ...] = field(default_factory=tuple)
    applied: AppliedRules | None = None
    owners: tuple[Owner, ...] = ()

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in DECISIONS}
        for h in self.households:
            out[h.decision] += 1
        return out

    @property
    def rule_name(self) -> Msg:
        """The rule's name (catalogue consent_rule.<rule id>)."""
        if self.rule is None:
            return Msg("consent.rule.none")
        return Msg(f"consent_rule.{self.rule_id}")

    @property
    def law(self) -> ConsentRule | None:
        return self.applied.law if self.applied else None

    @property
    def decided_on(self) -> dt.date | None:
        return self.applied.day if self.applied else None

    @property
    def mixed_owners(self) -> tuple[Owner, ...]:
        return tuple(o for o in self.owners if o.mixed)

    @property
    def verdict(self) -> Msg:
        """What is missing, in words: the change, or that no rule could be checked."""
        if not self.conditions:
            return Msg("consent.change.no_rule")
        return change_msg(self.change, True)


def resolve_rule(
    project: "Project", rule: str | None = None
) -> tuple[str, ConsentRule | None, str]:
    """(rule id, rule, where it came from) for a project, or a bilingual error naming the
    field: the local rule when there is one, else the national law of the decision date."""
    applied = applied_rules(project, rule)
    named = applied.named
    return (named.id if named else "none"), named, applied.local_source


def evaluate(
    project: "Project",
    version: str | None,
    rule: str | None = None,
    decisions: Sequence[Decision] | None = None,
) -> ConsentResult:
    """Evaluate the consent of `project`: the national law of the decision date and the
    city's or district's rule, their conditions composed.

    rule      a local rule id that replaces the project's and its policy's
    version   the current plan version (elevator.plan.versions); None takes every
              entry as current
    decisions the history to use instead of project.consent.decisions (the app's store)
    """
    applied = applied_rules(project, rule)
    entries = list(decisions) if decisions is not None else history(project)
    rows = current_decisions(project.building.households, entries, version)
    conditions = tuple(evaluate_conditions(applied.conditions, rows))
    passed = bool(conditions) and all(c.holds for c in conditions)
    if passed:
        change = SmallestChange(0, Fraction(0), ())
    elif conditions:
        change = smallest_change(applied.conditions, rows)
    else:
        change = None
    named = applied.named
    return ConsentResult(
        rule_id=named.id if named else "none",
        rule=named,
        rule_source=applied.local_source,
        version=version,
        passed=passed,
        conditions=conditions,
        households=tuple(rows),
        change=change,
        history_entries=len(entries),
        stale=tuple(h.id for h in rows if h.stale),
        applied=applied,
        owners=owners_of(rows),
    )


def counting_rule():
    """How owners and area are counted, with its source (法释〔2009〕7号 arts. 8, 9)."""
    return counting()
