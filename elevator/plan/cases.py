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

from elevator.core.errors import Problem, ProjectError, fail, problems_from_validation
from elevator.core.money import money_str
from elevator.core.paths import CHECKOUT
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
        raise fail(
            '金额应写成两位小数的字符串，如 "12345.67"',
            'write amounts as decimal strings with two places, e.g. "12345.67"',
        )
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

    @model_validator(mode="after")
    def _one_expectation(self) -> "CaseTest":
        if (self.output is None) == (self.error is None):
            raise fail("须且仅须给出 output 或 error 之一", "give exactly one of output or error")
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
        raise ProjectError([Problem(where, "文件应为键值表", "the file must be a mapping")])
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
    counters: dict[str, int] = {}
    for kind, line in lines:
        i = counters.get(kind, 0)
        counters[kind] = i + 1
        missing = [k for k in ("reference", "confidence") if getattr(line, k) is None]
        if missing:
            out.append(
                Problem(
                    f"{where}.{kind}[{i}]",
                    f"“{line.name}”缺少 {'、'.join(missing)}（案例中每个数值都要有出处）",
                    f"{line.name!r} has no {' or '.join(missing)} (every value in a "
                    "case needs a source)",
                )
            )
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
                [
                    Problem(f"{where}.input ({test.input}): {p.field}", p.zh, p.en)
                    for p in e.problems
                ]
            ) from None
    else:
        try:
            project = parse_project(test.input)
        except ProjectError as e:
            raise ProjectError(
                [Problem(f"{where}.input.{p.field}", p.zh, p.en) for p in e.problems]
            ) from None
    problems = _unsourced(project, f"{where}.input")
    if test.output is not None:
        ids = {h.id for h in project.building.households}
        expected = set(test.output.households)
        if ids != expected:
            problems.append(
                Problem(
                    f"{where}.output.households",
                    f"应逐户给出预期值：缺少 {sorted(ids - expected)}，多出 {sorted(expected - ids)}",
                    f"give every household: missing {sorted(ids - expected)}, "
                    f"unknown {sorted(expected - ids)}",
                )
            )
        if test.output.running_annual is not None and project.running_costs is None:
            problems.append(
                Problem(
                    f"{where}.output.running_annual",
                    "项目没有 running_costs",
                    "the project has no running_costs",
                )
            )
    if problems:
        raise ProjectError(problems)
    return LoadedTest(path, test, project)


@dataclass
class Outcome:
    id: str
    kind: str  # "test" | "seed"
    name: str
    ok: bool
    failures: list[str] = field(default_factory=list)
    checked: int = 0  # values compared / facts checked


def _compare(label: str, expected: Fraction, got: Fraction, out: list[str]) -> None:
    if expected != got:
        diff = got - expected
        out.append(
            f"{label}: 预期 expected {money_str(expected)}, 计算 got {money_str(got)} "
            f"(差 off by {money_str(diff)})"
        )


def run_test(loaded: LoadedTest) -> Outcome:
    from elevator.plan.compose import shares as compute_shares

    t = loaded.test
    out = Outcome(loaded.id, "test", t.name, True)
    try:
        result = compute_shares(loaded.project, t.scheme)
    except ProjectError as e:
        if t.error is not None:
            fields = [p.field for p in e.problems]
            if t.error.field not in fields:
                out.failures.append(
                    f"拒绝的字段 refused field {fields}, 预期 expected {t.error.field!r}"
                )
        else:
            out.failures.append(f"计算被拒绝 computation refused: {e}")
        out.checked = 1
        out.ok = not out.failures
        return out
    if t.error is not None:
        out.failures.append(
            f"预期被拒绝（{t.error.field}），却算出了结果 / expected a refusal "
            f"naming {t.error.field}, got a result"
        )
        out.ok = False
        return out
    exp = t.output
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
        for hid, value in exp.running_annual.items():
            if hid not in running:
                out.failures.append(f"running_annual {hid}: 没有该户 no such household")
                continue
            _compare(f"running_annual {hid}", value, running[hid], out.failures)
            out.checked += 1
    out.ok = not out.failures
    return out


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
                raise fail(
                    f"constraints 引用了未知事实 {unknown}",
                    f"constraints name unknown facts {unknown}",
                )
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
        raise ProjectError(
            [Problem(f"{path}.id", "id 应与文件名一致", "id must match the file name")]
        )
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


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?")


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
        out.failures.append(
            f"{label}: 找不到引文的来源文件 no local source file to check the quote"
        )
        return
    if not any(_squash(quote) in _source_text(f) for f in files):
        out.failures.append(f"{label}: 引文不在来源中 quote not found in the source: {quote}")


def run_seed(loaded: LoadedSeed) -> Outcome:
    from elevator.model.io import load_project

    c = loaded.case
    out = Outcome(c.id, "seed", c.name.zh, True)
    values = {}
    for f in c.facts:
        label = f"fact {f.id}"
        _check_quote(label, f, f.quote, out)
        if f.value not in numbers_in(f.quote):
            out.failures.append(f"{label}: 数值 {f.value} 不在引文中 value not in the quote")
        if f.policy_subsidy:
            if not c.policy:
                out.failures.append(f"{label}: 没有 policy，无法核对 no policy to check against")
            else:
                subs = {s.id: s for s in load_policy(c.policy).subsidies}
                s = subs.get(f.policy_subsidy)
                got = None if s is None or s.values is None else s.at(c.as_of).per_elevator
                if got != f.value:
                    out.failures.append(
                        f"{label}: 政策文件 {c.policy}.{f.policy_subsidy} 在 "
                        f"{c.as_of} 的值为 {got}，与来源 {f.value} 不符 / policy "
                        f"value {got} differs from the source's {f.value}"
                    )
        values[f.id] = f.value
        out.checked += 1
    for m in c.measures:
        label = f"measure {m.id}"
        _check_quote(label, m, m.quote, out)
        for item in m.items:
            if _squash(item) not in _squash(m.quote):
                out.failures.append(f"{label}: 条目“{item}”不在引文中 item not in the quote")
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


@dataclass(frozen=True)
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
        CaseInfo("seed", s.id, s.case.name.zh, s.case.policy, s.case.source.confidence, s.path)
        for s in seeds
    ]
    out += [
        CaseInfo("test", t.id, t.test.name, t.project.policy, t.test.source.confidence, t.path)
        for t in tests
    ]
    return out


def run_all() -> list[Outcome]:
    tests, seeds = load_all()
    return [run_seed(s) for s in seeds] + [run_test(t) for t in tests]


def policies_used() -> set[str]:
    """Policy ids that some case leans on (a test's project or a seed case)."""
    tests, seeds = load_all()
    return {t.project.policy for t in tests if t.project.policy} | {
        s.case.policy for s in seeds if s.case.policy
    }
