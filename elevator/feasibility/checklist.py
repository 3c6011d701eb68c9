"""Feasibility checklist: rules (data) → findings → verdict.

The rules live in elevator/data/feasibility_rules.yaml, their words in the text catalogue
(rule.<id>.question, .pass, .fail, .condition, .remedy); their thresholds are policy
parameters (`Policy.threshold(name)`, a city overriding the national default).  A
finding's words are messages (`Finding.msg`, `Condition.msg`) rendered by the reader.  Rules
are compiled once per (policy, date) into small closures, so checking a district of
10,000 stairwells costs dictionary look-ups, not model construction.

    finding result:  pass | blocking | conditional | advisory | incomplete
    verdict:         infeasible  if any item blocks
                     incomplete  else if a needed fact is missing
                     conditional else if any item adds a condition
                     feasible    otherwise (advisories do not change the verdict)

A missing fact makes every item that needs it `incomplete`, never `pass`.  Items whose
facts are all extras (`optional: true`) are skipped when those facts are missing and
listed under `not_checked`, so an extra fact's absence never makes a verdict incomplete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, ValidationError

from elevator.core.errors import Problem, ProjectError, problems_from_validation
from elevator.core.money import to_fraction
from elevator.core.paths import data_file
from elevator.core.text import Msg, catalogue, pair, t
from elevator.core.types import CONFIDENCE_MARK, Strict
from elevator.model.site import CONTRACT_FACTS, PIPELINE_LABELS, Site, site_fact_info

RULES_PATH = data_file("feasibility_rules.yaml")
AREAS = (
    "eligibility",
    "planning",
    "structure",
    "fire_safety",
    "pipelines",
    "environment",
    "equipment",
)
RESULTS = ("pass", "blocking", "conditional", "advisory", "incomplete")
VERDICTS = ("feasible", "conditional", "infeasible", "incomplete")
# (zh, en) of each area, result and verdict, from the catalogue (area.*, result.*, verdict.*)
AREA_LABELS = {a: pair(f"area.{a}") for a in AREAS}
RESULT_LABELS = {r: pair(f"result.{r}") for r in RESULTS}
VERDICT_LABELS = {v: pair(f"verdict.{v}") for v in VERDICTS}
DEFAULT_POLICY = "national"


# --- the rules file, validated -------------------------------------------
# The rules' words are in the text catalogue, named by rule id: rule.<id>.question,
# .pass, .fail, .condition (conditional items), .remedy; fallback.<id>.name, .note;
# cost_item.<cost key>.


class _Source(Strict):
    title: str = Field(min_length=1)
    href: str | None = None
    confidence: Literal["source", "weak", "unverified"]


class _OnFail(Strict):
    result: Literal["blocking", "conditional", "advisory"]
    cost: str | None = None


class RuleSpec(Strict):
    id: str
    area: Literal[
        "eligibility",
        "planning",
        "structure",
        "fire_safety",
        "pipelines",
        "environment",
        "equipment",
    ]
    facts: list[str] = Field(min_length=1)
    optional: bool = False
    check: dict[str, Any]
    on_fail: _OnFail
    source: _Source


class _Fallback(Strict):
    id: str
    source: _Source


class RulesFile(Strict):
    rules: list[RuleSpec] = Field(min_length=1)
    fallbacks: list[_Fallback]
    stages: list[dict[str, Any]]
    cost_items: list[str]  # cost keys that become cost items (named cost_item.<key>)


_COMPARE = {"ge": float.__ge__, "gt": float.__gt__, "le": float.__le__, "lt": float.__lt__}


def _params_of(check: dict) -> list[str]:
    out: list[str] = []
    for key in ("all", "any"):
        for sub in check.get(key, []):
            out += [p for p in _params_of(sub) if p not in out]
    out += [check[op] for op in _COMPARE if op in check and check[op] not in out]
    return out


def _facts_of(check: dict) -> set[str]:
    out: set[str] = set()
    for key in ("all", "any"):
        for sub in check.get(key, []):
            out |= _facts_of(sub)
    if "fact" in check:
        out.add(check["fact"])
    if "given" in check:
        out.add(check["given"])
    return out


@lru_cache(maxsize=1)
def rules_file() -> RulesFile:
    import yaml  # noqa: PLC0415

    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    try:
        spec = RulesFile.model_validate(data)
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=RULES_PATH.name)) from None
    problems = _rule_problems(spec)
    if problems:
        raise ProjectError(problems)
    return spec


def _rule_problems(spec: RulesFile) -> list[Problem]:
    """Unknown facts, and words or cost items the catalogue does not have."""
    known = set(site_fact_info()) | {"storeys"}
    words = catalogue("zh")
    problems = []
    for i, r in enumerate(spec.rules):
        where = f"{RULES_PATH.name}.rules[{i}]"
        for f in sorted(set(r.facts) | _facts_of(r.check)):
            if f not in known:
                problems.append(Problem(where, Msg("feasibility.error.unknown_fact", fact=f)))
        for what in ("question", "pass", "fail"):
            if f"rule.{r.id}.{what}" not in words:
                key = f"rule.{r.id}.{what}"
                problems.append(Problem(where, Msg("feasibility.error.no_words", key=key)))
        if r.on_fail.result == "conditional" and f"rule.{r.id}.condition" not in words:
            problems.append(Problem(where, Msg("feasibility.error.condition_text")))
        cost = r.on_fail.cost
        if cost and (cost not in spec.cost_items or f"cost_item.{cost}" not in words):
            problems.append(Problem(where, Msg("feasibility.error.cost_unnamed", cost=cost)))
    return problems


def threshold_names() -> list[str]:
    """Every threshold parameter the rules read (each must exist in national.yaml)."""
    out: list[str] = []
    for r in rules_file().rules:
        out += [p for p in _params_of(r.check) if p not in out]
    return out


def cost_keys() -> list[str]:
    return sorted({r.on_fail.cost for r in rules_file().rules if r.on_fail.cost})


# --- results --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Threshold:
    name: str
    value: Fraction
    policy: str  # the policy file that gave it (a city or national)
    source: str  # reference title with its confidence mark
    confidence: str
    href: str | None


class Finding:
    """One checklist item's result.  Its words are messages (`msg`, `question`, `remedy`)
    made on demand from the compiled rule, so checking a district creates no strings for
    items nobody reads."""

    __slots__ = ("rule", "area", "result", "spec", "value", "missing")

    def __init__(
        self, spec: "_Rule", result: str, value: object = None, missing: tuple[str, ...] = ()
    ):
        self.rule, self.area, self.result = spec.id, spec.area, result
        self.spec, self.value, self.missing = spec, value, missing

    def __repr__(self) -> str:
        return f"Finding({self.rule}, {self.result})"

    @property
    def msg(self) -> Msg:
        """What the item found: the facts still missing, or its pass or fail words."""
        if self.result == "incomplete":
            return Msg("feasibility.finding.missing", facts=_joined(map(fact_label, self.missing)))
        what = "pass" if self.result == "pass" else "fail"
        return self.spec.words(what, self.value)

    @property
    def question(self) -> Msg:
        return self.spec.words("question")

    @property
    def remedy(self) -> Msg | None:
        if self.result in ("pass", "incomplete") or not self.spec.has_remedy:
            return None
        return self.spec.words("remedy")

    @property
    def message_zh(self) -> str:
        return self.msg.zh

    @property
    def message_en(self) -> str:
        return self.msg.en

    @property
    def message(self) -> str:
        return str(self.msg)

    question_zh = property(lambda self: self.question.zh)
    question_en = property(lambda self: self.question.en)
    source = property(lambda self: self.spec.source)
    confidence = property(lambda self: self.spec.confidence)
    href = property(lambda self: self.spec.href)
    threshold = property(lambda self: self.spec.threshold)
    remedy_zh = property(lambda self: None if (m := self.remedy) is None else m.zh)
    remedy_en = property(lambda self: None if (m := self.remedy) is None else m.en)


class Condition:
    """A condition a conditional item adds, with its cost (None: not yet quoted and no
    sourced estimate; `cost_source` says where an amount came from)."""

    __slots__ = ("rule", "spec", "value", "cost_key", "cost", "cost_source")

    def __init__(
        self, spec: "_Rule", value: object, cost: Fraction | None, cost_source: str | None
    ):
        self.rule, self.spec, self.value, self.cost_key = spec.id, spec, value, spec.cost_key
        self.cost, self.cost_source = cost, cost_source

    def __repr__(self) -> str:
        return f"Condition({self.rule}, {self.cost})"

    @property
    def msg(self) -> Msg:
        return self.spec.words("condition", self.value)

    @property
    def text_zh(self) -> str:
        return self.msg.zh

    @property
    def text_en(self) -> str:
        return self.msg.en


@dataclass(frozen=True, slots=True, kw_only=True)
class Fallback:
    """A fallback offered when a stairwell is infeasible; its words are fallback.<id>.*."""

    id: str
    source: str
    confidence: str
    href: str | None

    @property
    def name(self) -> Msg:
        return Msg(f"fallback.{self.id}.name")

    @property
    def note(self) -> Msg:
        return Msg(f"fallback.{self.id}.note")

    name_zh = property(lambda self: self.name.zh)
    name_en = property(lambda self: self.name.en)
    note_zh = property(lambda self: self.note.zh)
    note_en = property(lambda self: self.note.en)


@dataclass(frozen=True, kw_only=True)
class Assessment:
    verdict: str
    findings: tuple[Finding, ...]
    conditions: tuple[Condition, ...]
    condition_cost: Fraction  # each cost key counted once
    uncosted: tuple[str, ...]  # cost keys of conditions with no amount yet
    blocking: tuple[str, ...]  # rule ids
    missing: tuple[str, ...]  # facts still needed
    not_checked: tuple[str, ...]  # optional items skipped for want of extra facts
    fallbacks: tuple[Fallback, ...]
    policy: str
    date: dt.date
    name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def by_area(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {a: [] for a in AREAS}
        for f in self.findings:
            out[f.area].append(f)
        return out

    def condition_items(self) -> list[dict[str, Any]]:
        """Costed conditions as cost items (`CostItem` data) the sharing model can add; an
        item's name is the Chinese name of its cost key (cost_item.<key>), which subsidies
        earmarked for it name too."""
        seen, out = set(), []
        for c in self.conditions:
            if c.cost is None or c.cost_key in seen:
                continue
            seen.add(c.cost_key)
            out.append(
                {
                    "name": t(f"cost_item.{c.cost_key}", "zh"),
                    "amount": c.cost,
                    "source": c.cost_source,
                }
            )
        return out


# --- compiling ------------------------------------------------------------

Check = Callable[[dict], "bool | None"]


def _compile_check(cond: dict, values: dict[str, float], required: frozenset) -> Check:
    """A leaf on a required fact answers None when it is missing (the engine never calls a
    check with a required fact missing); a leaf on any other (extra) fact answers False, so
    an extra fact can only help a check pass when it is given."""
    if "all" in cond or "any" in cond:
        subs = [_compile_check(c, values, required) for c in cond.get("all") or cond.get("any")]
        want_all = "all" in cond

        def combine(facts: dict) -> bool | None:  # three-valued: None = unknown
            unknown = False
            for s in subs:
                v = s(facts)
                if v is None:
                    unknown = True
                elif v is not want_all:
                    return v
            return None if unknown else want_all

        return combine
    if "given" in cond:
        name = cond["given"]
        return lambda facts: name in facts
    fact = cond["fact"]
    if fact not in required:
        inner = _compile_check(cond, values, required | {fact})
        return lambda facts: False if fact not in facts else inner(facts)
    for op, cmp in _COMPARE.items():
        if op in cond:
            limit = values[cond[op]]
            return lambda facts: None if (v := facts.get(fact)) is None else cmp(float(v), limit)
    if "is" in cond:
        want = cond["is"]
        return lambda facts: None if (v := facts.get(fact)) is None else v is want
    if "in" in cond:
        allowed = frozenset(cond["in"])
        return lambda facts: None if (v := facts.get(fact)) is None else v in allowed
    if "excludes" in cond:
        banned = frozenset(cond["excludes"])
        return lambda facts: None if (v := facts.get(fact)) is None else banned.isdisjoint(v)
    raise ProjectError(
        [Problem(RULES_PATH.name, Msg("feasibility.error.unknown_condition", condition=cond))]
    )


def _num(value: Fraction | float) -> str:
    return f"{float(value):g}"


_LABELS = site_fact_info()


def fact_label(name: str) -> Msg | str:
    """A fact's name for the reader (storeys: the building's storeys)."""
    if name == "storeys":
        return Msg("feasibility.fact.storeys")
    return Msg(f"fact.{name}") if name in _LABELS else name


def _fact_label(name: str, lang: str) -> str:
    label = fact_label(name)
    return label.text(lang) if isinstance(label, Msg) else label


def _joined(items) -> Msg | str:
    """Words in a list: "燃气、给水" / "gas, water" (items are Msgs or plain text)."""
    items = list(items)
    out = items[0]
    for item in items[1:]:
        out = Msg("feasibility.list", head=out, tail=item)
    return out


def _shown(value: object) -> Msg | str:
    """A fact's value for the reader: yes/no, a number, the pipelines listed."""
    if isinstance(value, bool):
        return Msg("feasibility.value.yes" if value else "feasibility.value.no")
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return Msg("feasibility.value.none")
        return _joined(Msg(f"pipeline.{v}") if v in PIPELINE_LABELS else v for v in value)
    return str(value)


@dataclass(slots=True, kw_only=True)
class _Rule:
    id: str
    area: str
    facts: tuple[str, ...]
    optional: bool
    check: Check
    result: str
    has_remedy: bool
    cost_key: str | None
    source: str
    confidence: str
    href: str | None
    threshold: Threshold | None
    shown: str  # the threshold as its words show it ("" without one)
    excludes: frozenset | None  # for {found}: the listed items that failed the check
    needs_format: bool  # its pass, fail or condition words show {value} or {found}

    def words(self, what: str, value: object = None) -> Msg:
        """The rule's words rule.<id>.<what> with {threshold}, {value} and {found} filled."""
        params: dict[str, Any] = {"threshold": self.shown}
        if self.needs_format and what != "question" and what != "remedy":
            found = (
                [x for x in value if x in self.excludes]
                if self.excludes is not None and value
                else []
            )
            params["value"], params["found"] = _shown(value), _shown(found)
        return Msg(f"rule.{self.id}.{what}", **params)


@dataclass(frozen=True, kw_only=True)
class Ruleset:
    policy: str
    date: dt.date
    rules: tuple[_Rule, ...]
    costs: dict[str, tuple[Fraction, str]]  # cost key → (estimate, source with mark)
    fallbacks: tuple[Fallback, ...]


def _with_owner(policy_id: str, name: str, section: str):
    """(parameter, id of the policy file that holds it), walking up `parent`."""
    from elevator.policy.parameters import load_policy  # noqa: PLC0415

    pid: str | None = policy_id
    while pid:
        pol = load_policy(pid)
        table = getattr(pol, section)
        if name in table:
            return table[name], pid
        pid = pol.parent
    return None, None


def _mark(confidence: str) -> str:
    return CONFIDENCE_MARK.get(confidence, "")


def _thresholds(policy_id: str, date: dt.date) -> dict[str, Threshold]:
    """Every threshold the rules read, from the policy (or its parents) at `date`."""
    thresholds: dict[str, Threshold] = {}
    problems = []
    for name in threshold_names():
        param, owner = _with_owner(policy_id, name, "feasibility")
        if param is None:
            problems.append(
                Problem(
                    f"policy {policy_id}.feasibility.{name}",
                    Msg("feasibility.error.no_threshold", name=name),
                )
            )
            continue
        ref = param.reference[0]
        thresholds[name] = Threshold(
            name=name,
            value=to_fraction(param.at(date)),
            policy=owner,
            source=f"{ref.title} {_mark(param.confidence)}",
            confidence=param.confidence,
            href=ref.href,
        )
    if problems:
        raise ProjectError(problems)
    return thresholds


def _cost_estimates(policy_id: str, date: dt.date) -> dict[str, tuple[Fraction, str]]:
    """cost key → (sourced estimate, its source and the policy that gave it)."""
    costs: dict[str, tuple[Fraction, str]] = {}
    for key in cost_keys():
        param, owner = _with_owner(policy_id, f"{key}_cost", "feasibility")
        if param is None:
            param, owner = _with_owner(policy_id, f"{key}_cost", "typical_costs")
        if param is None:
            continue
        try:
            amount = to_fraction(param.at(date))
        except ProjectError:  # not yet in force at this date: no estimate
            continue
        # one citation in both languages: the reference title, its mark, the policy
        # file's own name (never its key)
        from elevator.policy.parameters import load_policy  # noqa: PLC0415

        source = f"{param.reference[0].title} {_mark(param.confidence)}"
        name = load_policy(owner).name.zh
        costs[key] = (amount, t("feasibility.cost_source", "zh", source=source, policy=name))
    return costs


def _needs_format(rule_id: str) -> bool:
    """Whether the rule's pass, fail or condition words show the fact's value."""
    texts = [
        catalogue(lang).get(f"rule.{rule_id}.{what}", "")
        for lang in ("zh", "en")
        for what in ("pass", "fail", "condition")
    ]
    return any("{value}" in w or "{found}" in w for w in texts)


def _compiled(r: RuleSpec, values: dict[str, float], thresholds: dict[str, Threshold]) -> _Rule:
    params = _params_of(r.check)
    th = thresholds[params[0]] if params else None
    return _Rule(
        id=r.id,
        area=r.area,
        facts=tuple(r.facts),
        optional=r.optional,
        check=_compile_check(r.check, values, frozenset(r.facts)),
        result=r.on_fail.result,
        has_remedy=f"rule.{r.id}.remedy" in catalogue("zh"),
        cost_key=r.on_fail.cost,
        source=f"{r.source.title} {_mark(r.source.confidence)}",
        confidence=r.source.confidence,
        href=r.source.href,
        threshold=th,
        shown=_num(th.value) if th else "",
        excludes=frozenset(r.check["excludes"]) if "excludes" in r.check else None,
        needs_format=_needs_format(r.id),
    )


@lru_cache(maxsize=64)
def compile_rules(policy_id: str | None, date: dt.date) -> Ruleset:
    """The rules with this policy's thresholds at this date, ready to evaluate."""
    policy_id = policy_id or DEFAULT_POLICY
    spec = rules_file()
    thresholds = _thresholds(policy_id, date)
    values = {k: float(th.value) for k, th in thresholds.items()}
    fallbacks = tuple(
        Fallback(
            id=b.id,
            source=f"{b.source.title} {_mark(b.source.confidence)}",
            confidence=b.source.confidence,
            href=b.source.href,
        )
        for b in spec.fallbacks
    )
    return Ruleset(
        policy=policy_id,
        date=date,
        rules=tuple(_compiled(r, values, thresholds) for r in spec.rules),
        costs=_cost_estimates(policy_id, date),
        fallbacks=fallbacks,
    )


@lru_cache(maxsize=64)
def threshold_values(policy_id: str | None, date: dt.date) -> dict[str, float]:
    """Every threshold the rules read, as the compiled checks compare them (floats); the
    district checklist (elevator.district.checks) evaluates the same rules column-wise."""
    thresholds = _thresholds(policy_id or DEFAULT_POLICY, date)
    return {k: float(th.value) for k, th in thresholds.items()}


def clear_caches() -> None:
    """Forget compiled rules and loaded policies (tests that switch policy folders)."""
    from elevator.policy.parameters import load_policy  # noqa: PLC0415

    compile_rules.cache_clear()
    threshold_values.cache_clear()
    rules_file.cache_clear()
    load_policy.cache_clear()


# --- evaluating -----------------------------------------------------------


def evaluate_facts(facts: dict[str, Any], ruleset: Ruleset, name: str | None = None) -> Assessment:
    """Evaluate plain facts (validated `Site.facts()` plus `storeys`) against the rules."""
    findings: list[Finding] = []
    conditions: list[Condition] = []
    missing: list[str] = []
    not_checked: list[str] = []
    blocking: list[str] = []
    incomplete = False
    quotes = facts.get("condition_costs") or {}
    for r in ruleset.rules:
        need = r.facts
        if len(need) == 1:
            gap = () if need[0] in facts else need
        else:
            gap = tuple(f for f in need if f not in facts)
        ok = None if gap else r.check(facts)
        if ok is None:
            if gap and r.optional:
                not_checked.append(r.id)
                continue
            gap = gap or r.facts
            incomplete = True
            missing.extend(f for f in gap if f not in missing)
            findings.append(Finding(r, "incomplete", None, gap))
            continue
        value = facts.get(r.facts[0])
        if ok:
            findings.append(Finding(r, "pass", value))
            continue
        findings.append(Finding(r, r.result, value))
        if r.result == "blocking":
            blocking.append(r.id)
        elif r.result == "conditional":
            conditions.append(_condition(r, value, quotes, ruleset.costs))
    if blocking:
        verdict = "infeasible"
    elif incomplete:
        verdict = "incomplete"
    else:
        verdict = "conditional" if conditions else "feasible"
    total, uncosted = _condition_cost(conditions)
    return Assessment(
        verdict=verdict,
        findings=tuple(findings),
        conditions=tuple(conditions),
        condition_cost=total,
        uncosted=tuple(uncosted),
        blocking=tuple(blocking),
        missing=tuple(missing),
        not_checked=tuple(not_checked),
        fallbacks=ruleset.fallbacks if blocking else (),
        policy=ruleset.policy,
        date=ruleset.date,
        name=name,
    )


def _condition(r: _Rule, value: object, quotes: dict, costs: dict) -> Condition:
    """The condition a failed conditional item adds, costed by the project's own quote or
    else the policy's sourced estimate (or not at all)."""
    cost = source = None
    if r.cost_key in quotes:
        cost, source = to_fraction(quotes[r.cost_key]), "site.condition_costs"
    elif r.cost_key in costs:
        cost, source = costs[r.cost_key]
    return Condition(r, value, cost, source)


def _condition_cost(conditions: list[Condition]) -> tuple[Fraction, list[str]]:
    """The conditions' total cost, each cost key counted once, and the keys not costed."""
    total, uncosted, seen = Fraction(0), [], set()
    for c in conditions:
        if c.cost_key in seen:
            continue
        seen.add(c.cost_key)
        if c.cost is None:
            uncosted.append(c.cost_key)
        else:
            total += c.cost
    return total, uncosted


def facts_of(project) -> dict[str, Any]:
    """The facts of a project: its `site` section plus storeys from `building.floors`."""
    facts = project.site.facts() if project.site is not None else {}
    given = facts.get("storeys")
    if given is not None and given != project.building.floors:
        floors = project.building.floors
        msg = Msg("feasibility.error.storeys_differ", given=given, floors=floors)
        raise ProjectError([Problem("site.storeys", msg)])
    facts["storeys"] = project.building.floors
    return facts


def assess(project) -> Assessment:
    """The checklist for one project (its policy's thresholds at its date)."""
    ruleset = compile_rules(project.policy, project.date or dt.date.today())
    return evaluate_facts(facts_of(project), ruleset, project.name)


def assess_site(
    site: Site | dict | None,
    storeys: int | None = None,
    policy: str | None = None,
    date: dt.date | None = None,
    name: str | None = None,
) -> Assessment:
    """The checklist for bare site facts (validated here), e.g. from a form."""
    if not isinstance(site, Site):
        try:
            site = Site.model_validate(site or {})
        except ValidationError as e:
            raise ProjectError(problems_from_validation(e, prefix="site")) from None
    facts = site.facts()
    if storeys is not None:
        facts["storeys"] = storeys
    return evaluate_facts(facts, compile_rules(policy, date or dt.date.today()), name)


__all__ = [
    "Assessment",
    "Condition",
    "Fallback",
    "Finding",
    "Threshold",
    "assess",
    "assess_site",
    "compile_rules",
    "evaluate_facts",
    "facts_of",
    "CONTRACT_FACTS",
]
