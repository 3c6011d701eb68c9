"""Words for identifiers (elevator.documents.words)."""

from __future__ import annotations

import datetime as dt

import pytest

from elevator.core.text import t
from elevator.documents.words import citation, fact_choices, fact_value, policy_name, rule_question

L, R, COMMA, SEMI, DUN = "\uff08", "\uff09", "\uff0c", "\uff1b", "\u3001"  # （ ） ， ； 、


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"well{L}policy-facts.md §7{R}", "well"),
        (f"width{L}GB 50016{COMMA}policy-facts.md §7{R}", f"width{L}GB 50016{R}"),
        (
            f"pilot{L}shine.cn 2018{SEMI}policy-facts.md §2{DUN}§6{R} [W]",
            f"pilot{L}shine.cn 2018{R} [W]",
        ),
        ("policy-facts.md §2: Shenzhen, up to 40% of cost", "Shenzhen, up to 40% of cost"),
        ("example, 10 households (policy-facts.md §3)", "example, 10 households"),
        ("legend (docs/fair-division.md)", "legend"),
        ("GB 50016 table 5.2.2 [W]", "GB 50016 table 5.2.2 [W]"),  # no file: unchanged
        ("see rongliangdt.com", "see rongliangdt.com"),  # a web site is a source
        (None, ""),
    ],
)
def test_citation_drops_repository_files(text, shown):
    assert citation(text) == shown


def test_policy_name_is_the_files_own_name():
    assert policy_name("national", "zh") and policy_name("national", "zh") != "national"
    assert policy_name("xingshan", "en") == "Xingshan County, Hubei"
    assert policy_name("no-such-policy") == "no-such-policy"
    assert policy_name(None) == ""


def test_fact_values_in_words():
    assert fact_value("entry", "half_landing", "zh") == t("fact.entry.half_landing", "zh")
    assert fact_value("entry", "flat", "en") == t("fact.entry.flat", "en")
    assert fact_value("shaft_blocks_exit", False, "zh") == t("feasibility.value.no", "zh")
    assert fact_value("pipelines_in_footprint", ["gas"], "en") == t("pipeline.gas", "en")
    assert [v for v, _ in fact_choices("entry")] == ["flat", "half_landing"]
    assert fact_choices("year_built") == []


def test_rule_question_fills_the_threshold():
    text = rule_question("national", dt.date(2025, 1, 1), "eligibility.storeys", "zh")
    assert "{" not in text and "eligibility" not in text
    assert rule_question("national", dt.date(2025, 1, 1), "no.such_rule") == "no.such_rule"


def test_skipped_schemes_share_one_reason():
    from elevator.cli.share import scheme_list
    from elevator.documents.comparison import skipped_lines
    from elevator.model.io import load_project
    from elevator.plan.compare import compare
    from tests.golden_outputs import PROJECTS

    project = load_project(next(p for p in PROJECTS if p.stem == "shenzhen-equal"))
    c = compare(project, scheme_list("all", project), skip_inapplicable=True)
    lines = skipped_lines(c, "zh")
    reason = t("doc.compare.reason.floor_costs", "zh")
    assert sum(reason in line for line in lines) == 1
    needs_costs = [n for n, p in c.skipped if p.message.key == "sharing.error.needs_floor_costs"]
    assert len(needs_costs) > 1
    (line,) = [x for x in lines if reason in x]
    assert all(t(f"scheme.{n}", "zh") in line for n in needs_costs)
    # every reason said once, all on one line (issue 17)
    assert len(lines) == 1 and lines[0].count(reason) == 1


def test_policy_choices_show_names():
    from elevator.documents.words import policy_choices

    choices = policy_choices("zh")
    assert "xingshan" in choices and choices["xingshan"] == policy_name("xingshan", "zh")
    assert all(name != key for key, name in choices.items())
