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
from tests.browser_kit import Kit, nicegui_chrome_options, poll  # noqa: E402, F401


def expected(data: dict, room: str) -> str:
    return format_yuan(compute_shares(parse_project(data)).by_id()[room].share)


def labelled_input(kit: Kit, label: str):
    """The input under a visible field label, once it is there (patient: a busy machine)."""
    path = f"//label[.//div[normalize-space()='{label}']]//input"
    return poll(lambda: next(iter(kit.driver.find_elements(By.XPATH, path)), None), label)


def test_sample_coefficient_in_chromium(request, app_db) -> None:
    pid = next(r.id for r in Store(app_db).list_projects() if r.name == "兴发小区 3栋 1单元")
    data = Store(app_db).get(pid).data
    before = expected(data, "502")
    data["sharing"]["coefficients"]["5"] = "2.5"
    after = expected(data, "502")
    assert before != after

    # started by the kit: it waits up to a minute for the app to answer (a busy machine
    # once took more than the 3 s NiceGUI's screen.open allows by default)
    kit = Kit.start(request, app_db, f"/project/{pid}/sharing?flat=502")
    kit.account("browser", "mediator", f"project:{pid}")
    for label, value in (("账号", "browser"), ("密码", PASSWORD)):  # sent to the login page
        labelled_input(kit, label).send_keys(value)
    kit.driver.find_element(By.XPATH, "//button[.//span[normalize-space()='登录']]").click()
    kit.should_see(f"我家 502：应付 {before} 元")
    field = labelled_input(kit, "5 层")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("2.5")
    kit.should_see(f"我家 502：应付 {after} 元")
    OUT.mkdir(exist_ok=True)
    kit.size(1200, 1600)
    kit.driver.save_screenshot(str(OUT / "sharing-desktop.png"))
    kit.size(390, 844)
    kit.settle()
    kit.driver.save_screenshot(str(OUT / "sharing-phone-390.png"))
    # the phone layout does not scroll sideways
    width = kit.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px screen"
