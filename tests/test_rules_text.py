"""The words of the rules data files live in the text catalogue: every rule, fallback,
stage, stage item, cost item and consent rule and condition has them, in both languages,
with only the placeholders the code fills; the data files hold ids and logic, no words."""

from __future__ import annotations

import re

import pytest
import yaml

from elevator.core.paths import data_file
from elevator.core.text import LANGS, catalogue

FEASIBILITY = yaml.safe_load(data_file("feasibility_rules.yaml").read_text(encoding="utf-8"))
CONSENT = yaml.safe_load(data_file("consent_rules.yaml").read_text(encoding="utf-8"))
COMPARE = ("ge", "gt", "le", "lt")


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def _has(key: str) -> bool:
    return all(key in catalogue(lang) and catalogue(lang)[key].strip() for lang in LANGS)


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from _walk(child)


def _params(check: dict) -> list[str]:
    return [n for c in _walk(check) if isinstance(c, dict) for op in COMPARE if (n := c.get(op))]


def _expected_keys() -> set[str]:
    """Every catalogue key the data files name."""
    keys: set[str] = set()
    for r in FEASIBILITY["rules"]:
        keys |= {f"rule.{r['id']}.{w}" for w in ("question", "pass", "fail", "remedy")}
        if r["on_fail"]["result"] == "conditional":
            keys.add(f"rule.{r['id']}.condition")
    for b in FEASIBILITY["fallbacks"]:
        keys |= {f"fallback.{b['id']}.name", f"fallback.{b['id']}.note"}
    for s in FEASIBILITY["stages"]:
        keys |= {f"stage.{s['id']}", f"stage.{s['id']}.note"}
        keys |= {f"stage.{s['id']}.item.{i['id']}" for i in s.get("items", [])}
    keys |= {f"cost_item.{k}" for k in FEASIBILITY["cost_items"]}
    for rule_id, rule in CONSENT["rules"].items():
        keys.add(f"consent_rule.{rule_id}")
        keys |= {f"consent_condition.{rule_id}.{c['id']}" for c in rule["conditions"]}
    return keys


@pytest.mark.parametrize("rule", FEASIBILITY["rules"], ids=lambda r: r["id"])
def test_every_rule_has_its_words(rule):
    key = f"rule.{rule['id']}"
    for what in ("question", "pass", "fail"):
        assert _has(f"{key}.{what}"), f"{key}.{what}"
    conditional = rule["on_fail"]["result"] == "conditional"
    assert _has(f"{key}.condition") == conditional, f"{key}.condition"
    # only the placeholders the checklist fills: {threshold} when the check names a
    # threshold, {found} when it lists excluded items, {value} (the fact's value)
    allowed = {"value"}
    if _params(rule["check"]):
        allowed.add("threshold")
    if "excludes" in rule["check"]:
        allowed.add("found")
    for what in ("question", "pass", "fail", "condition", "remedy"):
        if not _has(f"{key}.{what}"):
            continue
        may = allowed - {"value", "found"} if what in ("question", "remedy") else allowed
        for lang in LANGS:
            used = _placeholders(catalogue(lang)[f"{key}.{what}"])
            assert used <= may, (f"{key}.{what}", lang, used - may)


def test_every_cost_key_names_a_cost_item():
    items = set(FEASIBILITY["cost_items"])
    for r in FEASIBILITY["rules"]:
        if cost := r["on_fail"].get("cost"):
            assert cost in items, r["id"]
    for key in items:
        assert _has(f"cost_item.{key}"), key


def test_every_fallback_and_stage_has_its_words():
    for b in FEASIBILITY["fallbacks"]:
        assert _has(f"fallback.{b['id']}.name") and _has(f"fallback.{b['id']}.note"), b["id"]
    for s in FEASIBILITY["stages"]:
        assert _has(f"stage.{s['id']}"), s["id"]
        for item in s.get("items", []):
            assert _has(f"stage.{s['id']}.item.{item['id']}"), (s["id"], item["id"])


def test_every_consent_rule_and_condition_has_its_name():
    for rule_id, rule in CONSENT["rules"].items():
        assert _has(f"consent_rule.{rule_id}"), rule_id
        for c in rule["conditions"]:
            assert _has(f"consent_condition.{rule_id}.{c['id']}"), (rule_id, c["id"])


def test_no_words_for_ids_the_data_files_lack():
    """A rule removed or renamed in the data takes its words out of the catalogue too."""
    families = ("rule.", "fallback.", "cost_item.", "consent_rule.", "consent_condition.")
    expected = _expected_keys()
    stray = [
        k
        for k in catalogue("zh")
        if (k.startswith(families) or re.fullmatch(r"stage\.\w+\.(note|item\.\w+)", k))
        and k not in expected
    ]
    assert not stray, stray


def test_the_data_files_hold_no_words():
    for data in (FEASIBILITY, CONSENT):
        for node in _walk(data):
            assert not (isinstance(node, dict) and {"zh", "en"} <= set(node)), node


def test_words_render_with_the_values_filled():
    from elevator.feasibility.checklist import assess_site

    a = assess_site(
        {"pipelines_in_footprint": ["gas", "water", "power"], "structure_rating": "C"},
        storeys=3,
    )
    by_rule = {f.rule: f for f in a.findings}
    storeys = by_rule["eligibility.storeys"]
    assert "{" not in storeys.message + storeys.question_zh + storeys.question_en
    assert storeys.message_zh.startswith("地上仅 3 层") and "3 storeys" in storeys.message_en
    other = next(c for c in a.conditions if c.rule == "pipelines.other")
    assert "给水、电力" in other.text_zh and "water, power" in other.text_en
    rating = by_rule["structure.rating"]
    assert rating.remedy_zh and rating.remedy_en and "C" in rating.message_en
    missing = by_rule["structure.age"]
    assert missing.result == "incomplete" and missing.message_en == "missing: year built"
    assert {b.name_en for b in a.fallbacks} >= {"rail chair lift"}


def test_key_families_the_engines_name_exist():
    """Keys the consent and checklist code build from a value (f"…{count}")."""
    counts = ("participating", "agreeing", "opposing")
    keys = [f"consent.verb.{c}" for c in counts] + [f"consent.missing.fewer.{c}" for c in counts]
    keys += [f"consent.change.count.{k}" for k in range(1, 11)]
    keys += [f"consent.missing.{kind}.anonymous" for kind in ("no_opposition", "occupied_space")]
    keys += [f"consent.missing.households{one}.newcomers" for one in ("", ".one")]
    keys += [f"area.{a}" for a in {r["area"] for r in FEASIBILITY["rules"]}]
    assert [k for k in keys if not _has(k)] == []
