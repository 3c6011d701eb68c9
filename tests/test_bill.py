"""The resident's bill (elevator/documents/bill.py): the amounts add up from the cost to
each household's share; the one-sentence reason names the numbers the scheme uses; what
changed since the version a household agreed to, after a real save; no fractions, keys
or placeholders in the words, in both languages."""

from __future__ import annotations

import copy
import re
from fractions import Fraction
from pathlib import Path

import pytest

from elevator.core.money import number_str
from elevator.core.money_text import format_yuan
from elevator.documents.bill import Bill, BillChanges, bill, changes_since
from elevator.model.io import load_project, parse_project, read_data
from elevator.plan.compose import shares
from elevator.plan.versions import plan_version
from elevator.store.db import Store
from tests.test_no_identifiers import leaks

CASES = Path(__file__).resolve().parent.parent / "cases" / "projects"
PROJECTS = sorted(CASES.glob("*.yaml"))
SAMPLE = CASES / "xingshan-xingfa-3-1.yaml"
FRACTION = re.compile(r"\d\s*/\s*\d")
CJK = re.compile(r"[\u4e00-\u9fff]")


def load(path: Path):
    project = load_project(path)
    return project, shares(project)


def payers(project):
    exempt = set(project.sharing.exempt_floors)
    return [h for h in project.building.households if h.participates and h.floor not in exempt]


def words_of(b: Bill) -> list[str]:
    """Everything the bill says in words of its own (document titles are the sources')."""
    out = [b.headline, b.reason, b.scheme, b.scheme_words, b.running, *b.adjustments]
    for line in b.chain:
        out += [line.label, line.amount_text, line.basis]
    return out


def change_words(c: BillChanges) -> list[str]:
    return [c.heading, c.mine, *c.inputs, *(m.text for m in c.households)]


# --- the amounts add up -------------------------------------------------------------


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.stem)
def test_cost_less_funding_is_the_shared_amount_and_the_sum_of_shares(path: Path) -> None:
    project, result = load(path)
    for h in result.households:
        b = bill(project, result, h.id)
        cost, *funding, shared = b.chain
        assert cost.kind == "cost" and cost.amount == result.construction_cost
        assert shared.kind == "shared" and shared.amount == b.shared
        assert cost.amount + sum(l.amount for l in funding) == b.shared
        # every household's share with its own hardship aid added back (+ a fixed table's gap)
        total = sum((x.share + x.aid for x in result.households), Fraction(0))
        assert b.shared == total + result.gap
        assert sum(x.amount for x in b.bars) == total
        assert b.amount == h.share and b.amount_text == format_yuan(h.share)
        assert [x.id for x in b.bars if x.mine] == [h.id]


def test_subsidies_keep_their_document_link_and_mark() -> None:
    project, result = load(CASES / "wuhan-shapley.yaml")
    [line] = bill(project, result, "601").sources
    assert line.kind == "subsidy" and line.mark == "[W]"
    assert line.href == "https://information.bz/english/news/view/2024/07/26/5996.html"
    assert line.source.startswith("Wuhan raised the financial subsidy standard")
    assert line.amount_text == "−200,000.00"
    # a file of the repository is named by its title, never offered as a link
    project, result = load(SAMPLE)
    subsidy, contribution = bill(project, result, "502").sources
    assert (subsidy.mark, contribution.mark) == ("[S]", "[U]")
    assert subsidy.href is None and subsidy.source.startswith("城镇老旧小区改造可复制政策机制清单")


def test_hardship_aid_of_others_stays_private() -> None:
    project, _ = load(SAMPLE)
    data = read_data(SAMPLE)
    data["funding"]["subsidies"].append(
        {"name": "困难补助", "per_household": "777.77", "households": ["301"]}
    )
    project = parse_project(data)
    result = shares(project)
    neighbour = bill(project, result, "502")
    assert all("困难补助" not in w for w in words_of(neighbour))
    assert neighbour.chart_before_aid
    bar = next(x for x in neighbour.bars if x.id == "301")
    assert bar.amount == result.by_id()["301"].share + Fraction("777.77")
    own = bill(project, result, "301")
    assert any(format_yuan(Fraction("777.77")) in w for w in own.adjustments)
    assert own.amount == result.by_id()["301"].share


# --- why: the reason names the scheme's own numbers ---------------------------------------


def test_reason_floor_coefficients() -> None:
    project, result = load(SAMPLE)
    h = result.by_id()["502"]
    coefficients = project.sharing.coefficients
    total = sum(coefficients[p.floor] for p in payers(project))
    assert total == Fraction("8.2")  # 2 × (0.3 + 0.7 + 1 + 1.3) + 1.6 (602 does not take part)
    zh = bill(project, result, "502").reason
    for part in ("楼层系数", "5 层", "系数 1.3", "合计 8.2", format_yuan(h.rounded_gross)):
        assert part in zh, (part, zh)
    assert format_yuan(result.amount_shared) in zh  # what the scheme splits (with compensation)
    assert "约15.9%" in zh  # 1.3 / 8.2
    en = bill(project, result, "502", "en").reason
    assert "floor 5" in en and "coefficient is 1.3" in en and "8.2" in en
    # the compensation the scheme also shares is explained; 101 is exempt, 602 opted out
    assert any(
        format_yuan(result.compensation) in a for a in bill(project, result, "502").adjustments
    )
    assert "1 层" in bill(project, result, "101").reason
    assert bill(project, result, "101").amount < 0  # compensation received
    assert "应收补偿" in bill(project, result, "101").headline
    assert "未参加" in bill(project, result, "602").reason


def test_reason_coefficient_times_area() -> None:
    project, result = load(CASES / "guangzhou-coefficient-area.yaml")
    hid = payers(project)[-1].id
    h = result.by_id()[hid]
    coef = project.sharing.coefficients[h.floor]
    total = sum(project.sharing.coefficients[p.floor] * p.area_m2 for p in payers(project))
    text = bill(project, result, hid).reason
    for part in (
        f"{h.floor} 层",
        f"楼层系数 {number_str(coef)}",
        f"面积 {number_str(h.area_m2)} 平方米",
        f"= {number_str(coef * h.area_m2)}",
        f"合计 {number_str(total)}",
        format_yuan(h.share),
    ):
        assert part in text, (part, text)


def test_reason_by_area() -> None:
    project, result = load(CASES / "national-civil-code-283.yaml")
    hid = payers(project)[0].id
    h = result.by_id()[hid]
    total = sum(p.area_m2 for p in payers(project))
    text = bill(project, result, hid).reason
    assert f"本户面积 {number_str(h.area_m2)} 平方米" in text
    assert f"合计 {number_str(total)} 平方米" in text
    assert "按面积分摊" in text and format_yuan(h.share) in text


def test_reason_floors_travelled() -> None:
    project, result = load(CASES / "floors-travelled-7.yaml")
    top = max(payers(project), key=lambda p: p.floor)
    total = sum(p.floor - 1 for p in payers(project))
    text = bill(project, result, top.id).reason
    assert f"{top.floor} 层，电梯提升 {top.floor - 1} 层" in text
    assert f"合计 {total} 层" in text


def test_reason_ladder_airport_rule() -> None:
    project, result = load(CASES / "airport-14-flats.yaml")
    assert result.scheme.needs_floor_costs and project.costs.ladder
    ladder = project.costs.ladder
    low = min(payers(project), key=lambda p: p.floor)
    top = max(p.floor for p in payers(project))
    text = bill(project, result, low.id).reason
    assert f"{low.floor} 层" in text
    assert f"电梯只到本层的造价为 {format_yuan(ladder[low.floor])} 元" in text
    assert f"到最高分摊楼层 {top} 层为 {format_yuan(ladder[top])} 元" in text
    assert format_yuan(result.by_id()[low.id].share) in text


def test_reason_equal() -> None:
    project, result = load(CASES / "shenzhen-equal.yaml")
    hid = payers(project)[0].id
    assert f"{len(payers(project))} 户平均分摊" in bill(project, result, hid).reason


# --- words: no fractions, no keys, both languages -----------------------------------------


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.stem)
def test_words_have_no_fractions_keys_or_placeholders(path: Path) -> None:
    project, result = load(path)
    for h in result.households:
        for lang in ("zh", "en"):
            for text in words_of(bill(project, result, h.id, lang)):
                assert not FRACTION.search(text), text
                assert not leaks(text), (text, leaks(text))
        en = bill(project, result, h.id, "en")
        # the English bill's own words are English (names from the data may be Chinese)
        for text in (en.headline, en.reason, *en.adjustments, en.running):
            assert not CJK.search(text), text


# --- what changed since the version the household agreed to -----------------------------


@pytest.fixture
def saved(tmp_path):
    """The sample stored; 502 agreed to version 1; then a mediator saved a new plan."""
    s = Store(tmp_path / "bill.sqlite3", seed=False)
    rec = s.create(read_data(SAMPLE))
    agreed = plan_version(shares(parse_project(rec.data)))
    s.record_decision(rec.id, "502", "agree", "own_link", agreed, "502")
    data = copy.deepcopy(rec.data)
    data["sharing"]["coefficients"]["5"] = "2.5"
    data["costs"]["fixed"] = 400000
    rec = s.save(rec.id, data, rec.version)
    return s, rec, agreed


def test_changes_since_the_agreed_version(saved) -> None:
    s, rec, agreed = saved
    old = shares(parse_project(s.version_data(rec.id, 1)))
    new = shares(parse_project(rec.data))
    c = changes_since(s.versions(rec.id), agreed, rec.data, "502", decision="agree")
    assert c.state == "changed" and c.since == 1
    assert "第 1 版" in c.heading and "同意" in c.heading
    assert (c.before, c.after) == (old.by_id()["502"].share, new.by_id()["502"].share)
    more = new.by_id()["502"].share - old.by_id()["502"].share
    assert more > 0 and c.mine.endswith(f"（多 {format_yuan(more)} 元）")
    assert "5 层的楼层系数：1.3 → 2.5" in c.inputs
    assert f"工程造价：{format_yuan(Fraction(530000))} 元 → {format_yuan(Fraction(550000))} 元" in (
        c.inputs
    )
    changed = {h.id for h in new.households if h.share != old.by_id()[h.id].share}
    assert {m.id for m in c.households} == changed
    assert [m.mine for m in c.households if m.id == "502"] == [True]
    for lang in ("zh", "en"):
        words = change_words(changes_since(s.versions(rec.id), agreed, rec.data, "502", lang))
        for text in words:
            assert not FRACTION.search(text) and not leaks(text), text
    en = changes_since(s.versions(rec.id), agreed, rec.data, "502", "en", decision="agree")
    assert "Coefficient of floor 5: 1.3 → 2.5" in en.inputs and "version 1" in en.heading


def test_no_change_nothing_to_compare_and_a_lost_version(saved) -> None:
    s, rec, _ = saved
    now = plan_version(shares(parse_project(rec.data)))
    same = changes_since(s.versions(rec.id), now, rec.data, "502", decision="agree")
    assert same.state == "same" and same.since == 2 and not same.households
    assert changes_since(s.versions(rec.id), None, rec.data, "502").state == "none"
    assert "尚未表态" in changes_since(s.versions(rec.id), None, rec.data, "502").heading
    lost = changes_since(s.versions(rec.id), "0" * 16, rec.data, "502")
    assert lost.state == "missing"
    # the page's "last seen" (no decision): the heading says so
    seen = changes_since(s.versions(rec.id), now, rec.data, "301")
    assert "上次查看第 2 版" in seen.heading
