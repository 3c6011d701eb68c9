"""One real-browser test: headless Chromium logs in (every project page needs an account
with a role), opens the sample, changes a coefficient and sees the new amount; screenshots (desktop and a 390 px phone) go to test-output/.

Skipped with its reason when chromium/chromedriver are missing — except under CI=true,
where `make test` installs them (scripts/install-browser.sh), so a missing browser fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from elevator.core.money_text import format_yuan
from elevator.model.io import parse_project
from elevator.sharing.engine import compute_shares
from elevator.store.db import Store
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-output"

pytestmark = pytest.mark.browser

# the same Chromium flags and skip-or-fail rule as the walk and the journeys
from tests.browser_kit import need_browser, nicegui_chrome_options  # noqa: E402, F401


def expected(data: dict, room: str) -> str:
    return format_yuan(compute_shares(parse_project(data)).by_id()[room].share)


def test_sample_coefficient_in_chromium(request, app_db, monkeypatch) -> None:
    need_browser()
    monkeypatch.setenv("SE_OFFLINE", "true")  # use the chromedriver on PATH
    monkeypatch.setenv("SE_AVOID_STATS", "true")
    pid = next(r.id for r in Store(app_db).list_projects() if r.name == "兴发小区 3栋 1单元")
    data = Store(app_db).get(pid).data
    before = expected(data, "502")
    data["sharing"]["coefficients"]["5"] = "2.5"
    after = expected(data, "502")
    assert before != after

    Store(app_db).accounts.add("browser", PASSWORD, "mediator", f"project:{pid}")

    screen = request.getfixturevalue("screen")
    screen.open(f"/project/{pid}/sharing?flat=502")  # sent to the login page first
    for label, value in (("账号", "browser"), ("密码", PASSWORD)):
        screen.selenium.find_element(
            By.XPATH, f"//label[.//div[normalize-space()='{label}']]//input"
        ).send_keys(value)
    screen.selenium.find_element(By.XPATH, "//button[.//span[normalize-space()='登录']]").click()
    screen.should_contain(f"我家 502：应付 {before} 元")
    field = screen.selenium.find_element(
        By.XPATH, "//label[.//div[normalize-space()='5 层']]//input"
    )
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("2.5")
    screen.should_contain(f"我家 502：应付 {after} 元")
    OUT.mkdir(exist_ok=True)
    screen.selenium.set_window_size(1200, 1600)
    screen.selenium.save_screenshot(str(OUT / "sharing-desktop.png"))
    screen.selenium.set_window_size(390, 844)
    screen.wait(0.5)
    screen.selenium.save_screenshot(str(OUT / "sharing-phone-390.png"))
    # the phone layout does not scroll sideways
    width = screen.selenium.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px screen"
