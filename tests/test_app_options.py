"""The caps, benefit and financing page gives the library's results for the sample project
(the same readers and functions as `elevator caps|benefit|financing`), names a bad field
in both languages and keeps what was typed, and lets only the edit right save caps."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from elevator.core.money_text import format_yuan
from elevator.core.text import t
from elevator.model.io import parse_project
from elevator.plan.benefit import benefit_shares
from elevator.plan.caps import capped_shares
from elevator.plan.compose import shares
from elevator.plan.financing import compare_financing
from elevator.plan.options_file import benefit_from, caps_from, financing_from
from elevator.store.db import Store
from tests.conftest import SAMPLE, login
from tests.test_app_change import record_decisions, still_counting

pytestmark = pytest.mark.usefixtures("app_db")

# the hand-checked example of docs/deal.md, typed as people write amounts
CAPS_TYPED = {"601.amount": "6万", "501.months": "12", "501.monthly_income": "5,000"}
CAPS_TYPED["502.amount"] = "7万元"
CAPS_FILE = {"caps": {"601": 60000, "501": {"months": 12, "monthly_income": 5000}, "502": 70000}}


def record(db, name: str = SAMPLE):
    return next(r for r in Store(db).list_projects() if r.name == name)


def by_room(user: User, marker: str) -> dict[str, dict]:
    grid = user.find(marker=marker).elements.pop()
    return {row["c0"]: row for row in grid.rows}


async def type_caps(user: User, pid: int) -> None:
    await user.open(f"/project/{pid}/options")
    for field, text in CAPS_TYPED.items():
        user.find(marker=f"caps.{field}").type(text)
    user.find(marker="caps-run").click()
    await user.should_see(marker="caps-table")


async def test_caps_give_the_library_result_and_save_as_agreed_amounts(
    user: User, app_db, accounts
) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    project = parse_project(rec.data)
    lib = capped_shares(project, caps_from(CAPS_FILE, project))
    assert lib.possible and len(lib.rounds) == 2
    record_decisions(app_db, rec.id)
    await type_caps(user, rec.id)
    rows = by_room(user, "caps-table")
    assert set(rows) == set(lib.before)
    for hid, share in lib.shares.items():
        assert rows[hid]["c3"] == format_yuan(share)
        assert rows[hid]["c1"] == format_yuan(lib.before[hid])
    assert rows["501"]["c2"] == "60,000.00"  # 12 × 5,000
    assert rows["201"]["c2"] == "—"
    excess = format_yuan(lib.rounds[0].excess)
    await user.should_see(excess)
    # saving: the capped flats become agreed amounts, and the plan gives the same shares
    user.find(marker="caps-apply").click()
    await user.should_see(marker="void-confirm")  # the caps move shares: decisions void
    user.find(marker="void-confirm").click()
    await user.should_see(marker="caps-saved")
    saved = parse_project(Store(app_db).get(rec.id).data)
    fixed = {fx.household: fx.amount for fx in saved.sharing.fixed}
    assert fixed == {"501": 60000, "502": 70000, "601": 60000}
    assert {h.id: h.share for h in shares(saved).households} == lib.shares


async def test_caps_saving_can_be_cancelled(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    record_decisions(app_db, rec.id)
    await type_caps(user, rec.id)
    user.find(marker="caps-apply").click()
    await user.should_see(marker="void-cancel")
    user.find(marker="void-cancel").click()
    await user.should_not_see(marker="caps-saved")
    assert Store(app_db).get(rec.id).version == rec.version
    assert not Store(app_db).get(rec.id).data["sharing"].get("fixed")
    assert still_counting(app_db, rec.id) == 5
    # the working copy is as it was: a second try warns again, and then saves
    user.find(marker="caps-apply").click()
    await user.should_see(marker="void-confirm")
    user.find(marker="void-confirm").click()
    await user.should_see(marker="caps-saved")
    fixed = Store(app_db).get(rec.id).data["sharing"]["fixed"]
    assert [fx["household"] for fx in fixed] == ["501", "601", "502"]


async def test_a_reader_computes_caps_but_cannot_save(user: User, app_db, accounts) -> None:
    rec = record(app_db)
    await login(user, accounts("reader", "reader", f"project:{rec.id}"))
    await user.open(f"/project/{rec.id}/options")
    await user.should_see(marker="tab-options")
    await type_caps(user, rec.id)
    await user.should_see(marker="caps-read-only")
    await user.should_not_see(marker="caps-apply")
    assert Store(app_db).get(rec.id).version == rec.version


async def test_benefit_gives_the_library_result_with_its_source_and_mark(
    user: User, app_db, accounts
) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    project = parse_project(rec.data)
    given = {"per_floor": {1: "-2000", 2: "5000", 6: "40000"}, "reference": "估价报告 2026"}
    lib = benefit_shares(project, benefit_from(given | {"confidence": "weak"}, project))
    await user.open(f"/project/{rec.id}/options")
    user.find(marker="benefit.per_floor.1").type("-2000")
    user.find(marker="benefit.per_floor.2").type("5000")
    user.find(marker="benefit.per_floor.6").type("4万")
    user.find(marker="benefit.reference").type("估价报告 2026")
    user.find(marker="benefit-run").click()
    # a source without its confidence: named beside the field, in words, nothing computed
    await user.should_see(marker="error:benefit.confidence")
    label = user.find(marker="error:benefit.confidence").elements.pop().text
    assert t("ui.options.error.confidence", "zh") in label and " / " in label
    assert "unverified" not in label.split(" / ")[0]
    await user.should_not_see(marker="benefit-table")
    user.find(marker="benefit.confidence").click()
    user.find("[W] 弱来源，非官方").click()
    user.find(marker="benefit-run").click()
    await user.should_see(marker="benefit-table")
    rows = by_room(user, "benefit-table")
    for hid, share in lib.shares.items():
        assert rows[hid]["c2"] == format_yuan(share)
        assert rows[hid]["c1"] == format_yuan(lib.benefit.get(hid, 0))
    source = user.find(marker="benefit-line-1").elements.pop().text
    assert "估价报告 2026" in source and "[W]" in source


FINANCING_FILE = {
    "life_years": 15,
    "discount_rate": 3,
    "instalment_years": 5,
    "instalment_rate": 4,
    "down_payment_percent": 30,
    "lease_monthly": {2: 60},
    "ride_fee": "0.2",
    "rides_per_month": {2: 40},
}


async def test_financing_gives_the_library_result_and_its_chart(
    user: User, app_db, accounts
) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    project = parse_project(rec.data)
    lib = compare_financing(project, financing_from(FINANCING_FILE, project))
    await user.open(f"/project/{rec.id}/options")
    life = user.find(marker="financing.life_years").elements.pop()
    assert life.value == "15"  # the project's running-cost years
    for name, text in [
        ("discount_rate", "3"),
        ("instalment_years", "5"),
        ("instalment_rate", "4"),
        ("down_payment_percent", "30"),
        ("lease_monthly.2", "60"),
        ("ride_fee", "0.2"),
        ("rides_per_month.2", "40"),
    ]:
        user.find(marker=f"financing.{name}").type(text)
    user.find(marker="financing-run").click()
    await user.should_see(marker="financing-table")
    rows = by_room(user, "financing-table")
    assert [o.option for o in lib.options] == ["at_once", "instalments", "lease", "per_ride"]
    for hid, _ in lib.households:
        assert rows[hid]["c2"] == format_yuan(lib.shares[hid])
        for i, o in enumerate(lib.options):
            assert rows[hid][f"c{3 + i}"] == format_yuan(o.present[hid])
        assert rows[hid][f"c{3 + len(lib.options)}"] == t(
            f"financing.option.{lib.cheapest[hid]}", "zh"
        )
    await user.should_see(format_yuan(lib.prefinanced))
    chart = user.find(marker="financing-chart").elements.pop()
    series = chart.options["series"]
    assert [s["name"] for s in series] == [
        t(f"financing.option.{o.option}", "zh") for o in lib.options
    ]
    assert series[0]["data"] == [
        round(float(lib.options[0].present[h]), 2) for h, _ in lib.households
    ]


async def test_bad_input_is_named_beside_its_field_and_kept(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    await user.open(f"/project/{rec.id}/options")
    user.find(marker="caps.601.amount").type("很多")
    user.find(marker="caps-run").click()
    await user.should_see(marker="error:caps.601.amount")
    text = user.find(marker="error:caps.601.amount").elements.pop().text
    assert " / " in text
    assert user.find(marker="caps.601.amount").elements.pop().value == "很多"
    await user.should_not_see(marker="caps-table")
    # months without the income: the missing field is named
    user.find(marker="caps.601.amount").clear()
    user.find(marker="caps.501.months").type("12")
    user.find(marker="caps-run").click()
    await user.should_see(marker="error:caps.501.monthly_income")
    await user.should_not_see(marker="caps-table")
    # financing: years in words, rides without a fee
    user.find(marker="financing.life_years").clear().type("十五年")
    user.find(marker="financing.discount_rate").type("3")
    user.find(marker="financing-run").click()
    await user.should_see(marker="error:financing.life_years")
    assert user.find(marker="financing.life_years").elements.pop().value == "十五年"
    user.find(marker="financing.life_years").clear().type("15")
    user.find(marker="financing.rides_per_month.3").type("40")
    user.find(marker="financing-run").click()
    await user.should_see(marker="error:financing.ride_fee")
    text = user.find(marker="error:financing.ride_fee").elements.pop().text
    assert "ride_fee" not in text
    await user.should_not_see(marker="financing-table")
    assert Store(app_db).get(rec.id).version == rec.version


async def test_english_page_words(user: User, app_db, accounts) -> None:
    await login(user, accounts("mediator"))
    rec = record(app_db)
    await user.open(f"/project/{rec.id}/options")
    user.find(marker="lang-switch").click()
    await user.should_see(t("ui.options.financing.title", "en"))
    user.find(marker="financing.discount_rate").type("3")
    user.find(marker="financing-run").click()
    await user.should_see(marker="financing-table")
    grid = user.find(marker="financing-table").elements.pop()
    labels = [c["label"] for c in grid.columns]
    assert labels[3] == t("financing.option.at_once", "en")
    assert labels[-1] == t("doc.financing.cheapest", "en")
    assert grid.rows[0]["c1"] == t("ui.sharing.floor", "en", floor=1)
