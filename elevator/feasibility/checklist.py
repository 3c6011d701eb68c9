"""Feasibility checklist: rules (data) → findings → verdict.

The rules live in elevator/data/feasibility_rules.yaml; their thresholds are policy
parameters (`Policy.threshold(name)`, a city overriding the national default).  Rules
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
AREA_LABELS = {
    "eligibility": ("加装范围", "eligibility"),
    "planning": ("规划", "planning"),
    "structure": ("结构", "structure"),
    "fire_safety": ("消防", "fire safety"),
    "pipelines": ("管线", "pipelines"),
    "environment": ("环境", "environment"),
    "equipment": ("设备", "equipment"),
}
RESULTS = ("pass", "blocking", "conditional", "advisory", "incomplete")
RESULT_LABELS = {
    "pass": ("符合", "pass"),
    "blocking": ("阻断", "blocking"),
    "conditional": ("附条件", "conditional"),
    "advisory": ("提示", "advisory"),
    "incomplete": ("缺资料", "incomplete"),
}
VERDICTS = ("feasible", "conditional", "infeasible", "incomplete")
VERDICT_LABELS = {
    "feasible": ("可行", "feasible"),
    "conditional": ("有条件可行", "conditional"),
    "infeasible": ("不可行", "infeasible"),
    "incomplete": ("资料不全", "incomplete"),
}
DEFAULT_POLICY = "national"


# --- the rules file, validated -------------------------------------------


class _Text(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _Source(Strict):
    title: str = Field(min_length=1)
    href: str | None = None
    confidence: Literal["source", "weak", "unverified"]


class _OnFail(Strict):
    result: Literal["blocking", "conditional", "advisory"]
    text: _Text
    condition: _Text | None = None
    cost: str | None = None
    remedy: _Text | None = None


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
    question: _Text
    facts: list[str] = Field(min_length=1)
    optional: bool = False
    check: dict[str, Any]
    pass_text: _Text
    on_fail: _OnFail
    source: _Source


class _Fallback(Strict):
    id: str
    name: _Text
    note: _Text
    source: _Source


class CostItemName(Strict):
    zh: str
    en: str


class RulesFile(Strict):
    rules: list[RuleSpec] = Field(min_length=1)
    fallbacks: list[_Fallback]
    stages: list[dict[str, Any]]
    cost_items: dict[str, CostItemName]  # cost key -> the cost item it becomes


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
    known = set(site_fact_info()) | {"storeys"}
    problems = []
    for i, r in enumerate(spec.rules):
        for f in set(r.facts) | _facts_of(r.check):
            if f not in known:
                problems.append(
                    Problem(f"{RULES_PATH.name}.rules[{i}]", f"未知事实 {f}", f"unknown fact {f}")
                )
        if r.on_fail.result == "conditional" and r.on_fail.condition is None:
            problems.append(
                Problem(
                    f"{RULES_PATH.name}.rules[{i}]",
                    "附条件项须写明条件",
                    "a conditional item needs its condition text",
                )
            )
        if r.on_fail.cost and r.on_fail.cost not in spec.cost_items:
            problems.append(
                Problem(
                    f"{RULES_PATH.name}.rules[{i}]",
                    f"费用项 {r.on_fail.cost} 未命名",
                    f"cost key {r.on_fail.cost} has no name in cost_items",
                )
            )
    if problems:
        raise ProjectError(problems)
    return spec


def threshold_names() -> list[str]:
    """Every threshold parameter the rules read (each must exist in national.yaml)."""
    out: list[str] = []
    for r in rules_file().rules:
        out += [p for p in _params_of(r.check) if p not in out]
    return out


def cost_keys() -> list[str]:
    return sorted({r.on_fail.cost for r in rules_file().rules if r.on_fail.cost})


# --- results --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    value: Fraction
    policy: str  # the policy file that gave it (a city or national)
    source: str  # reference title with its confidence mark
    confidence: str
    href: str | None


class Finding:
    """One checklist item's result.  Texts are built on demand from the compiled rule,
    so checking a district creates no strings for items nobody reads."""

    __slots__ = ("rule", "area", "result", "spec", "value", "missing")

    def __init__(
        self, spec: "_Rule", result: str, value: object = None, missing: tuple[str, ...] = ()
    ):
        self.rule, self.area, self.result = spec.id, spec.area, result
        self.spec, self.value, self.missing = spec, value, missing

    def __repr__(self) -> str:
        return f"Finding({self.rule}, {self.result})"

    def _text(self, lang: str) -> str:
        r = self.spec
        if self.result == "incomplete":
            if lang == "zh":
                return "缺少资料：" + "、".join(_fact_label(f, "zh") for f in self.missing)
            return "missing: " + ", ".join(_fact_label(f, "en") for f in self.missing)
        ok = self.result == "pass"
        text = (
            (r.pass_zh if ok else r.fail_zh) if lang == "zh" else (r.pass_en if ok else r.fail_en)
        )
        return _fill(text, r, self.value, lang)

    @property
    def message_zh(self) -> str:
        return self._text("zh")

    @property
    def message_en(self) -> str:
        return self._text("en")

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    question_zh = property(lambda self: self.spec.question_zh)
    question_en = property(lambda self: self.spec.question_en)
    source = property(lambda self: self.spec.source)
    confidence = property(lambda self: self.spec.confidence)
    href = property(lambda self: self.spec.href)
    threshold = property(lambda self: self.spec.threshold)
    remedy_zh = property(
        lambda self: None if self.result in ("pass", "incomplete") else self.spec.remedy_zh
    )
    remedy_en = property(
        lambda self: None if self.result in ("pass", "incomplete") else self.spec.remedy_en
    )


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
    def text_zh(self) -> str:
        return _fill(self.spec.cond_zh, self.spec, self.value, "zh")

    @property
    def text_en(self) -> str:
        return _fill(self.spec.cond_en, self.spec, self.value, "en")


@dataclass(frozen=True, slots=True)
class Fallback:
    id: str
    name_zh: str
    name_en: str
    note_zh: str
    note_en: str
    source: str
    confidence: str
    href: str | None


@dataclass(frozen=True)
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
        """Costed conditions as cost items (`CostItem` data) the sharing model can add."""
        seen, out = set(), []
        for c in self.conditions:
            if c.cost is None or c.cost_key in seen:
                continue
            seen.add(c.cost_key)
            out.append(
                {
                    "name": rules_file().cost_items[c.cost_key].zh,
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
    raise ProjectError([Problem(RULES_PATH.name, f"未知条件 {cond}", f"unknown condition {cond}")])


def _num(value: Fraction | float) -> str:
    return f"{float(value):g}"


_LABELS = site_fact_info()


def _fact_label(name: str, lang: str) -> str:
    info = _LABELS.get(name)
    if name == "storeys":
        return "地上层数" if lang == "zh" else "storeys"
    return info[lang] if info else name


def _show(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, (list, tuple)):
        i = 0 if lang == "zh" else 1
        return ("、" if lang == "zh" else ", ").join(
            PIPELINE_LABELS.get(v, (v, v))[i] for v in value
        ) or ("无" if lang == "zh" else "none")
    return str(value)


def _fill(text: str | None, r: "_Rule", value: object, lang: str) -> str | None:
    """Put the fact's value (and, for list checks, the offending entries) into a text."""
    if not text or not r.needs_format:
        return text
    found = [x for x in value if x in r.excludes] if r.excludes is not None and value else []
    return text.format(value=_show(value, lang), found=_show(found, lang))


@dataclass(slots=True)
class _Rule:
    id: str
    area: str
    facts: tuple[str, ...]
    optional: bool
    check: Check
    result: str
    question_zh: str
    question_en: str
    pass_zh: str
    pass_en: str
    fail_zh: str
    fail_en: str
    cond_zh: str | None
    cond_en: str | None
    remedy_zh: str | None
    remedy_en: str | None
    cost_key: str | None
    source: str
    confidence: str
    href: str | None
    threshold: Threshold | None
    excludes: frozenset | None  # for {found}: the listed items that failed the check
    needs_format: bool


@dataclass(frozen=True)
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


@lru_cache(maxsize=64)
def compile_rules(policy_id: str | None, date: dt.date) -> Ruleset:
    """The rules with this policy's thresholds at this date, ready to evaluate."""
    policy_id = policy_id or DEFAULT_POLICY
    spec = rules_file()
    thresholds: dict[str, Threshold] = {}
    problems = []
    for name in threshold_names():
        param, owner = _with_owner(policy_id, name, "feasibility")
        if param is None:
            problems.append(
                Problem(
                    f"policy {policy_id}.feasibility.{name}",
                    f"政策文件（含上级）缺少可行性阈值 {name}",
                    f"the policy (and its parents) lacks the threshold {name}",
                )
            )
            continue
        ref = param.reference[0]
        thresholds[name] = Threshold(
            name,
            to_fraction(param.at(date)),
            owner,
            f"{ref.title} {_mark(param.confidence)}",
            param.confidence,
            ref.href,
        )
    if problems:
        raise ProjectError(problems)
    values = {k: float(t.value) for k, t in thresholds.items()}
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
        costs[key] = (amount, f"{param.reference[0].title} {_mark(param.confidence)}（{owner}）")
    rules = []
    for r in spec.rules:
        params = _params_of(r.check)
        th = thresholds[params[0]] if params else None
        shown = _num(th.value) if th else ""

        def pre(text: str | None) -> str | None:  # fill {threshold} once, here
            return text.replace("{threshold}", shown) if text else text

        f = r.on_fail
        excludes = frozenset(r.check["excludes"]) if "excludes" in r.check else None
        texts = [
            r.pass_text.zh,
            r.pass_text.en,
            f.text.zh,
            f.text.en,
            f.condition.zh if f.condition else "",
            f.condition.en if f.condition else "",
        ]
        rules.append(
            _Rule(
                r.id,
                r.area,
                tuple(r.facts),
                r.optional,
                _compile_check(r.check, values, frozenset(r.facts)),
                f.result,
                pre(r.question.zh),
                pre(r.question.en),
                pre(r.pass_text.zh),
                pre(r.pass_text.en),
                pre(f.text.zh),
                pre(f.text.en),
                pre(f.condition.zh if f.condition else None),
                pre(f.condition.en if f.condition else None),
                pre(f.remedy.zh if f.remedy else None),
                pre(f.remedy.en if f.remedy else None),
                f.cost,
                f"{r.source.title} {_mark(r.source.confidence)}",
                r.source.confidence,
                r.source.href,
                th,
                excludes,
                any("{value}" in t or "{found}" in t for t in texts),
            )
        )
    fallbacks = tuple(
        Fallback(
            b.id,
            b.name.zh,
            b.name.en,
            b.note.zh,
            b.note.en,
            f"{b.source.title} {_mark(b.source.confidence)}",
            b.source.confidence,
            b.source.href,
        )
        for b in spec.fallbacks
    )
    return Ruleset(policy_id, date, tuple(rules), costs, fallbacks)


def clear_caches() -> None:
    """Forget compiled rules and loaded policies (tests that switch policy folders)."""
    from elevator.policy.parameters import load_policy  # noqa: PLC0415

    compile_rules.cache_clear()
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
    incomplete = conditional = False
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
            conditional = True
            cost = source = None
            if r.cost_key in quotes:
                cost, source = to_fraction(quotes[r.cost_key]), "site.condition_costs"
            elif r.cost_key in ruleset.costs:
                cost, source = ruleset.costs[r.cost_key]
            conditions.append(Condition(r, value, cost, source))
    if blocking:
        verdict = "infeasible"
    elif incomplete:
        verdict = "incomplete"
    elif conditional:
        verdict = "conditional"
    else:
        verdict = "feasible"
    total, uncosted, seen = Fraction(0), [], set()
    for c in conditions:
        if c.cost_key in seen:
            continue
        seen.add(c.cost_key)
        if c.cost is None:
            uncosted.append(c.cost_key)
        else:
            total += c.cost
    return Assessment(
        verdict,
        tuple(findings),
        tuple(conditions),
        total,
        tuple(uncosted),
        tuple(blocking),
        tuple(missing),
        tuple(not_checked),
        ruleset.fallbacks if blocking else (),
        ruleset.policy,
        ruleset.date,
        name,
    )


def facts_of(project) -> dict[str, Any]:
    """The facts of a project: its `site` section plus storeys from `building.floors`."""
    facts = project.site.facts() if project.site is not None else {}
    given = facts.get("storeys")
    if given is not None and given != project.building.floors:
        raise ProjectError(
            [
                Problem(
                    "site.storeys",
                    f"site.storeys = {given} 与 building.floors = {project.building.floors} 不一致",
                    f"site.storeys = {given} differs from building.floors = "
                    f"{project.building.floors}",
                )
            ]
        )
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


# --- the evaluator's workflow ---------------------------------------------


# --- output ---------------------------------------------------------------


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
