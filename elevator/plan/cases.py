"""Real cases and published examples as regression tests (cases/), OpenFisca style.

Two kinds of file:

- cases/tests/*.yaml — one test each: `name`, `source`, `input` (a project file path,
  relative to the test, or an inline project), expected `output` per household as
  decimal strings (zero tolerance: one fen off is a failure), or an expected `error`.
- cases/seed/*.yaml — the seed document's cases as data: every fact and measure quotes the
  seed; the runner checks that each quote is in the source text, that a fact's number is in
  its quote, that facts agree with each other and with the policy files.

A value without a source is refused: every test and every fact carries `reference` and
`confidence`, and so must every subsidy and contribution of a case's project.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from elevator.core.errors import Problem, ProjectError, fail, problem, problems_from_validation
from elevator.core.money import money_str
from elevator.core.paths import CHECKOUT
from elevator.core.text import Msg, both, t
from elevator.core.types import Exact, Strict
from elevator.model.project import Project
from elevator.policy.parameters import Bilingual, Sourced, load_policy

_MONEY = re.compile(r"^-?\d+\.\d{2}$")


def cases_dir() -> Path:
    """ELEVATOR_CASES, else cases/ beside the package (source checkout)."""
    env = os.environ.get("ELEVATOR_CASES")
    return Path(env) if env else CHECKOUT / "cases"


def _money(value: object) -> Fraction:
    # expected values are written as "12345.67": a float would hide a lost fen
    if not isinstance(value, str) or not _MONEY.match(value.strip()):
        raise fail("cases.error.money_format")
    return Fraction(value.strip())


Money = Annotated[Fraction, BeforeValidator(_money)]


# --- tests ------------------------------------------------------------------


class Expected(Strict):
    households: dict[str, Money] = Field(
        min_length=1, description="rounded net share per household"
    )
    to_share: Money | None = None
    subsidies: Money | None = None
    running_annual: dict[str, Money] | None = None
    running_total: dict[str, Money] | None = Field(
        None, description="running costs over the years, per household"
    )
    aid: dict[str, Money] | None = Field(None, description="hardship aid per household")
    gap: Money | None = Field(None, description="to_share − Σ shares of a fixed table")
    basis_contains: list[str] | None = Field(
        None, description="words some funding line's basis must contain (zh or en)"
    )


class ExpectedConsent(Strict):
    """What the consent evaluation must say: the law applied, the verdict, each condition."""

    law: str | None = Field(description="national law id applied (null: none modelled)")
    rule: str | None = Field(None, description="the local rule id added to it, if any")
    passed: bool
    conditions: dict[str, bool] = Field(
        description="every condition (its result id) and whether it holds"
    )
    owners: int | None = Field(None, description="owners counted (headcount)")
    more_households: int | None = Field(None, description="fewest more households to agree")


class ExpectedError(Strict):
    field: str = Field(min_length=1, description="the field the refusal must name")


class CaseTest(Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    source: Sourced
    illustrative: str | None = Field(None, description="which input values are illustrative")
    input: str | dict[str, Any]
    scheme: str | None = None
    output: Expected | None = None
    error: ExpectedError | None = None
    consent: ExpectedConsent | None = None

    @model_validator(mode="after")
    def _one_expectation(self) -> "CaseTest":
        if self.consent is None and (self.output is None) == (self.error is None):
            raise fail("cases.error.one_expectation")
        if self.consent is not None and self.error is not None:
            raise fail("cases.error.one_expectation")
        return self


@dataclass(frozen=True)
class LoadedTest:
    path: Path
    test: CaseTest
    project: Project

    @property
    def id(self) -> str:
        return self.path.stem


def _read_yaml(path: Path) -> Any:
    from elevator.model.io import read_data

    return read_data(path)


def _validate(model, data: Any, where: str):
    if not isinstance(data, dict):
        raise problem(where, "cases.error.not_mapping")
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise ProjectError(problems_from_validation(e, prefix=where)) from None


def _unsourced(project: Project, where: str) -> list[Problem]:
    """Subsidies and contributions of a case must say where they come from."""
    out = []
    lines = [("funding.subsidies", s) for s in project.funding.subsidies or []] + [
        ("funding.contributions", c) for c in project.funding.contributions
    ]
    lines += [("sharing.fixed", f) for f in project.sharing.fixed]
    if project.running_costs:
        lines += [("running_costs.grants", g) for g in project.running_costs.grants]
    counters: dict[str, int] = {}
    for kind, line in lines:
        i = counters.get(kind, 0)
        counters[kind] = i + 1
        missing = [k for k in ("reference", "confidence") if getattr(line, k) is None]
        if missing:
            if len(missing) == 2:  # "reference、confidence" / "reference or confidence"
                fields = Msg("cases.list.or", first=missing[0], second=missing[1])
            else:
                fields = missing[0]
            name = getattr(line, "name", None) or getattr(line, "reason", None) or kind
            message = Msg("cases.error.unsourced", name=name, missing=fields)
            out.append(Problem(f"{where}.{kind}[{i}]", message))
    return out


def load_test(path: str | Path) -> LoadedTest:
    """Read one test file and its project; ProjectError on any problem (bad input)."""
    from elevator.model.io import parse_project

    path = Path(path)
    where = str(path)
    test = _validate(CaseTest, _read_yaml(path), where)
    if isinstance(test.input, str):
        project_path = (path.parent / test.input).resolve()
        try:
            project = parse_project(_read_yaml(project_path))
        except ProjectError as e:
            raise ProjectError(
                [Problem(f"{where}.input ({test.input}): {p.field}", p.message) for p in e.problems]
            ) from None
    else:
        try:
            project = parse_project(test.input)
        except ProjectError as e:
            raise ProjectError(
                [Problem(f"{where}.input.{p.field}", p.message) for p in e.problems]
            ) from None
    problems = _unsourced(project, f"{where}.input")
    if test.output is not None:
        ids = {h.id for h in project.building.households}
        expected = set(test.output.households)
        if ids != expected:
            message = Msg(
                "cases.error.households",
                missing=str(sorted(ids - expected)),
                unknown=str(sorted(expected - ids)),
            )
            problems.append(Problem(f"{where}.output.households", message))
        if test.output.running_annual is not None and project.running_costs is None:
            problems.append(
                Problem(f"{where}.output.running_annual", Msg("cases.error.no_running_costs"))
            )
    if problems:
        raise ProjectError(problems)
    return LoadedTest(path, test, project)


@dataclass(kw_only=True)
class Outcome:
    id: str
    kind: str  # "test" | "seed"
    name: str
    ok: bool
    failures: list[str] = field(default_factory=list)  # one line each, in both languages
    checked: int = 0  # values compared / facts checked


def _zh_en(key: str, /, **params: object) -> str:
    """Chinese and English side by side ("预期 expected"), as the runner prints them."""
    return f"{t(key, 'zh', **params)} {t(key, 'en', **params)}"


def _compare(label: str, expected: Fraction, got: Fraction, out: list[str]) -> None:
    if expected != got:
        diff = got - expected
        out.append(
            f"{label}: {_zh_en('cases.word.expected')} {money_str(expected)}, "
            f"{_zh_en('cases.word.got')} {money_str(got)} "
            f"({_zh_en('cases.word.off_by')} {money_str(diff)})"
        )


def _check_consent(loaded: LoadedTest, out: Outcome) -> None:
    """The consent expectation: law, local rule, verdict, every condition, counts."""
    from elevator.plan.compose import consent

    exp = loaded.test.consent
    result = consent(loaded.project)
    law = result.applied.law.id if result.applied.law else None
    local = result.applied.local.id if result.applied.local else None
    got = {c.id: c.holds for c in result.conditions}
    pairs = [
        ("law", exp.law, law),
        ("rule", exp.rule, local),
        ("passed", exp.passed, result.passed),
    ]
    pairs.append(("conditions", sorted(exp.conditions), sorted(got)))
    pairs += [(f"condition {k}", v, got.get(k)) for k, v in exp.conditions.items()]
    if exp.owners is not None:
        pairs.append(("owners", exp.owners, len(result.owners)))
    if exp.more_households is not None:
        more = result.change.households if result.change else None
        pairs.append(("more_households", exp.more_households, more))
    for label, expected, value in pairs:
        out.checked += 1
        if expected != value:
            out.failures.append(
                f"consent {label}: {_zh_en('cases.word.expected')} {expected!r}, "
                f"{_zh_en('cases.word.got')} {value!r}"
            )


def run_test(loaded: LoadedTest) -> Outcome:
    from elevator.plan.compose import shares as compute_shares

    test = loaded.test
    out = Outcome(id=loaded.id, kind="test", name=test.name, ok=True)
    if test.consent is not None:
        _check_consent(loaded, out)
        if test.output is None:
            out.ok = not out.failures
            return out
    try:
        result = compute_shares(loaded.project, test.scheme)
    except ProjectError as e:
        if test.error is not None:
            fields = [p.field for p in e.problems]
            if test.error.field not in fields:
                out.failures.append(
                    f"{_zh_en('cases.word.refused_field')} {fields}, "
                    f"{_zh_en('cases.word.expected')} {test.error.field!r}"
                )
        else:
            out.failures.append(f"{_zh_en('cases.word.computation_refused')}: {e}")
        out.checked = 1
        out.ok = not out.failures
        return out
    if test.error is not None:
        out.failures.append(both("cases.failure.expected_refusal", field=test.error.field))
        out.ok = False
        return out
    exp = test.output
    shares = {h.id: h.share for h in result.households}
    for hid, value in exp.households.items():
        _compare(f"household {hid}", value, shares[hid], out.failures)
        out.checked += 1
    if exp.to_share is not None:
        _compare("to_share", exp.to_share, result.to_share, out.failures)
        out.checked += 1
    if exp.subsidies is not None:
        _compare("subsidies", exp.subsidies, result.subsidies, out.failures)
        out.checked += 1
    if exp.running_annual is not None:
        running = {r.id: r.annual for r in result.running.households}
        _compare_all("running_annual", exp.running_annual, running, out)
    if exp.running_total is not None:
        totals = {r.id: r.total for r in result.running.households}
        _compare_all("running_total", exp.running_total, totals, out)
    if exp.aid is not None:
        _compare_all("aid", exp.aid, {h.id: h.aid for h in result.households}, out)
    if exp.gap is not None:
        _compare("gap", exp.gap, result.gap, out.failures)
        out.checked += 1
    for words in exp.basis_contains or []:
        running = result.running.grants if result.running else ()
        lines = result.funding + result.fixed_lines + running
        if not any(words in l.basis_zh or words in l.basis_en for l in lines):
            out.failures.append(f"basis: {words!r} {_zh_en('cases.word.not_found')}")
        out.checked += 1
    out.ok = not out.failures
    return out


def _compare_all(what: str, expected: dict, got: dict, out: "Outcome") -> None:
    for hid, value in expected.items():
        if hid not in got:
            out.failures.append(f"{what} {hid}: {_zh_en('cases.word.no_household')}")
            continue
        _compare(f"{what} {hid}", value, got[hid], out.failures)
        out.checked += 1


# --- seed cases -------------------------------------------------------------


class Fact(Sourced):
    id: str = Field(min_length=1)
    name: Bilingual
    value: Exact
    unit: str | None = None
    as_of: dt.date | None = None
    quote: str = Field(min_length=1, description="the words of the source that state the value")
    policy_subsidy: str | None = Field(
        None, description="a subsidy id in the case's policy that must have this value"
    )


class Measure(Sourced):
    id: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    items: list[str] = Field(
        default_factory=list, description="named items (stages, criteria), each in the quote"
    )


class Constraint(Strict):
    sum: list[str] = Field(min_length=1)
    at_most: str


class CaseProject(Strict):
    path: str
    illustrative: str = Field(min_length=1, description="which values the source does not give")


class SeedCase(Strict):
    id: str = Field(min_length=1)
    name: Bilingual
    policy: str | None = None
    as_of: dt.date
    source: Sourced
    summary: Bilingual
    facts: list[Fact] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    projects: list[CaseProject] = Field(default_factory=list)
    illustrative: str | None = None

    @model_validator(mode="after")
    def _known_facts(self) -> "SeedCase":
        ids = {f.id for f in self.facts}
        for c in self.constraints:
            unknown = [x for x in [*c.sum, c.at_most] if x not in ids]
            if unknown:
                raise fail("cases.error.unknown_facts", facts=str(unknown))
        return self


@dataclass(frozen=True)
class LoadedSeed:
    path: Path
    case: SeedCase

    @property
    def id(self) -> str:
        return self.case.id


def load_seed(path: str | Path) -> LoadedSeed:
    path = Path(path)
    case = _validate(SeedCase, _read_yaml(path), str(path))
    if case.id != path.stem:
        raise problem(f"{path}.id", "cases.error.id_mismatch")
    if case.policy:
        load_policy(case.policy)
    return LoadedSeed(path, case)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=8)
def _source_text(path: Path) -> str:
    return _squash(path.read_text(encoding="utf-8"))


def resolve_source(href: str | None) -> Path | None:
    """A local source file named by href (relative to the repository root)."""
    if not href or "://" in href:
        return None
    root = cases_dir().parent
    for base in (root, root.parent):
        p = base / href
        if p.is_file():
            return p
    return None


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?")  # zh-ok: how sources write 10万


def numbers_in(text: str) -> set[Fraction]:
    """Numbers written in Chinese text; 10万 is 100000."""
    out = set()
    for digits, wan in _NUMBER.findall(text):
        n = Fraction(digits)
        out.add(n * 10000 if wan else n)
    return out


def _check_quote(label: str, item: Sourced, quote: str, out: Outcome) -> None:
    files = [resolve_source(r.href) for r in item.reference]
    files = [f for f in files if f is not None]
    if not files:
        out.failures.append(f"{label}: {_zh_en('cases.failure.no_source_file')}")
        return
    if not any(_squash(quote) in _source_text(f) for f in files):
        out.failures.append(f"{label}: {_zh_en('cases.failure.quote_not_found')}: {quote}")


def run_seed(loaded: LoadedSeed) -> Outcome:
    from elevator.model.io import load_project

    c = loaded.case
    out = Outcome(id=c.id, kind="seed", name=c.name.zh, ok=True)
    values = {}
    for f in c.facts:
        label = f"fact {f.id}"
        _check_quote(label, f, f.quote, out)
        if f.value not in numbers_in(f.quote):
            out.failures.append(
                f"{label}: {_zh_en('cases.failure.value_not_in_quote', value=f.value)}"
            )
        if f.policy_subsidy:
            if not c.policy:
                out.failures.append(f"{label}: {_zh_en('cases.failure.no_policy')}")
            else:
                subs = {s.id: s for s in load_policy(c.policy).subsidies}
                s = subs.get(f.policy_subsidy)
                got = None if s is None or s.values is None else s.at(c.as_of).per_elevator
                if got != f.value:
                    message = both(
                        "cases.failure.policy_value",
                        policy=c.policy,
                        subsidy=f.policy_subsidy,
                        as_of=c.as_of,
                        got=got,
                        value=f.value,
                    )
                    out.failures.append(f"{label}: {message}")
        values[f.id] = f.value
        out.checked += 1
    for m in c.measures:
        label = f"measure {m.id}"
        _check_quote(label, m, m.quote, out)
        for item in m.items:
            if _squash(item) not in _squash(m.quote):
                out.failures.append(
                    f"{label}: {_zh_en('cases.failure.item_not_in_quote', item=item)}"
                )
        out.checked += 1
    for k in c.constraints:
        total = sum((values[x] for x in k.sum), Fraction(0))
        if total > values[k.at_most]:
            out.failures.append(
                f"{' + '.join(k.sum)} = {total} > {k.at_most} = {values[k.at_most]}"
            )
        out.checked += 1
    for p in c.projects:
        try:
            project = load_project((loaded.path.parent / p.path).resolve())
        except ProjectError as e:
            out.failures.append(f"project {p.path}: {e}")
            continue
        if c.policy and project.policy != c.policy:
            out.failures.append(f"project {p.path}: policy {project.policy!r} ≠ {c.policy!r}")
        out.checked += 1
    out.ok = not out.failures
    return out


# --- listing and running everything -----------------------------------------


def regression_files() -> list[Path]:
    return sorted((cases_dir() / "tests").glob("*.yaml"))


def seed_files() -> list[Path]:
    return sorted((cases_dir() / "seed").glob("*.yaml"))


@dataclass(frozen=True, kw_only=True)
class CaseInfo:
    kind: str
    id: str
    name: str
    policy: str | None
    confidence: str
    path: Path


def load_all() -> tuple[list[LoadedTest], list[LoadedSeed]]:
    """Every case file, or one ProjectError listing the problems of all of them."""
    tests, seeds, problems = [], [], []
    for p in regression_files():
        try:
            tests.append(load_test(p))
        except ProjectError as e:
            problems.extend(e.problems)
    for p in seed_files():
        try:
            seeds.append(load_seed(p))
        except ProjectError as e:
            problems.extend(e.problems)
    if problems:
        raise ProjectError(problems)
    return tests, seeds


def list_cases() -> list[CaseInfo]:
    tests, seeds = load_all()
    out = [
        CaseInfo(
            kind="seed",
            id=s.id,
            name=s.case.name.zh,
            policy=s.case.policy,
            confidence=s.case.source.confidence,
            path=s.path,
        )
        for s in seeds
    ]
    out += [
        CaseInfo(
            kind="test",
            id=x.id,
            name=x.test.name,
            policy=x.project.policy,
            confidence=x.test.source.confidence,
            path=x.path,
        )
        for x in tests
    ]
    return out


def run_all() -> list[Outcome]:
    tests, seeds = load_all()
    return [run_seed(s) for s in seeds] + [run_test(t) for t in tests]


def policies_used() -> set[str]:
    """Policy ids that some case leans on (a test's project or a seed case)."""
    tests, seeds = load_all()
    return {t.project.policy_id for t in tests if t.project.policy} | {
        s.case.policy for s in seeds if s.case.policy
    }
