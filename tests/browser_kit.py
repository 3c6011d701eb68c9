"""A harness for real-browser tests (headless Chromium through NiceGUI's `screen` fixture).

    from tests.browser_kit import Kit, PHONE, nicegui_chrome_options  # noqa: F401 (fixture)

    def test_x(request, app_db):
        kit = Kit.start(request, app_db)           # skips without chromium (fails under CI)
        kit.account("ada", "admin")
        kit.login("ada")                           # /api/login from the browser
        kit.size(*PHONE)
        kit.visit("/district", mark="district-run")
        kit.shot("district")
        kit.problems()                             # ["sideways scroll …", "raw identifier …"]
        kit.click("district-sample")               # journeys: by the elements' marks

Every wait polls for up to WAIT seconds and returns as soon as its condition holds: CI is a
busy two-core machine, where a page can take many seconds and a tight timeout fails for
nothing.  Selenium's page-load and script timeouts are raised to BROWSER_TIMEOUT for the
same reason (a 4 s page load ends in "Timed out receiving message from renderer").

Elements are found by their NiceGUI mark (`.mark("name")`): marks are not in the page's
HTML, so the kit asks the app (it runs in this process) which elements of the browser's
client carry the mark, and finds them by their HTML id.

Screenshots go to test-output/<test name>/<step>.png (the whole page, not only the
window).  Chromium and chromium-driver come from scripts/install-browser.sh (`make test`).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    JavascriptException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-output"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

PHONE = (390, 844)
DESKTOP = (1366, 900)
WAIT = 60.0  # the longest any wait polls (seconds); it returns as soon as it sees
BROWSER_TIMEOUT = 120  # selenium's page-load and script timeouts (seconds)
QUIET = 0.4  # a page has settled when no socket message came for this long
SHOT_HEIGHT = 6000  # full-page screenshots are cut here (px) to keep them small

# --- the browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def nicegui_chrome_options(
    nicegui_chrome_options: webdriver.ChromeOptions,
) -> webdriver.ChromeOptions:
    """NiceGUI's options plus what a bare, busy headless machine needs, and Debian's
    binary.  Import this fixture into a test module to use it."""
    for flag in (
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # a busy machine must not make Chromium throttle the (only, headless) tab
        "--disable-renderer-backgrounding",
        "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows",
        "--hide-scrollbars",  # the viewport is the whole window, as on a phone
    ):
        nicegui_chrome_options.add_argument(flag)
    if CHROMIUM:
        nicegui_chrome_options.binary_location = CHROMIUM
    return nicegui_chrome_options


def need_browser() -> None:
    """Skip with the reason when chromium/chromedriver are missing, except under CI=true,
    where `make test` installs them (scripts/install-browser.sh): there it fails."""
    if CHROMIUM and DRIVER:
        return
    why = "chromium and chromium-driver are not installed (make test installs them as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI: {why}")
    pytest.skip(why)


def poll(check: Callable[[], Any], what: str, timeout: float = WAIT, every: float = 0.1) -> Any:
    """`check()` until it returns something true (returned), for up to `timeout` seconds;
    a stale element or a script error while the page changes counts as "not yet"."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except (StaleElementReferenceException, JavascriptException):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(every)


# --- what the checks read from the page (one script, one round trip) --------------------

# Icons are ligatures (the text "expand_more" drawn as an arrow): hidden while the text is
# read.  Offenders are the innermost elements that reach past the right edge and are not
# clipped by a scrolling or hidden-overflow box that itself fits.
_READ_PAGE = """
const W = window.innerWidth;
const hide = document.createElement('style');
hide.textContent = '.q-icon, .material-icons, [class*="material-symbols"] {display: none !important}';
document.head.appendChild(hide);
const text = document.body.innerText;
hide.remove();
const out = [];
function describe(el) {
  const r = el.getBoundingClientRect();
  const cls = (typeof el.className === 'string' ? el.className : '').trim().split(/\\s+/).slice(0, 4).join('.');
  const words = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return {tag: el.tagName.toLowerCase(), cls: cls, text: words, right: Math.round(r.right),
          width: Math.round(r.width)};
}
function walk(el) {
  let inner = false;
  for (const child of el.children) {
    const r = child.getBoundingClientRect();
    const s = getComputedStyle(child);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const wide = r.width > 0 && r.right > W + 1;
    const clips = s.overflowX !== 'visible';
    if (clips && !wide) continue;
    if (wide) inner = true;
    if (wide && !walk(child)) out.push(describe(child));
    else if (!wide && walk(child)) inner = true;
  }
  return inner;
}
walk(document.body);
out.sort((a, b) => b.right - a.right);
// boxes that scroll sideways inside the page (a wide table in its scroller)
const inner = [];
for (const el of document.body.querySelectorAll('*')) {
  if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
  const s = getComputedStyle(el);
  if (s.overflowX !== 'auto' && s.overflowX !== 'scroll') continue;
  if (el.offsetParent === null && s.position !== 'fixed') continue;
  const d = describe(el);
  d.scrollWidth = el.scrollWidth;
  d.clientWidth = el.clientWidth;
  inner.push(d);
}
return {text: text, innerWidth: W, scrollWidth: document.documentElement.scrollWidth,
        offenders: out.slice(0, 4), scrollers: inner};
"""

_EXPAND = """
const heads = document.querySelectorAll(
  '.q-expansion-item--collapsed > .q-expansion-item__container > .q-item');
heads.forEach(h => h.click());
return heads.length;
"""

_STATE = """
const busy = [...document.querySelectorAll('.q-spinner, .q-inner-loading, .q-loading')]
  .filter(e => e.offsetParent !== null).length;
return [window.nextMessageId || 0, !!(window.socket && window.socket.connected), busy,
        window.clientId || null];
"""

_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+|www\.\S+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FILE_SUFFIXES = (
    "pdf xlsx xls csv json yaml yml txt png jpg jpeg svg zip parquet docx html md py po mo"
).split()
_FILE = re.compile(r"[\w./-]+\.(?:" + "|".join(FILE_SUFFIXES) + r")(?![A-Za-z0-9_])", re.I)
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")  # a command-line option (--public-url)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.(?:com|cn|org|net|gov|edu|io)(?![A-Za-z0-9_])")
_EDGE_L, _EDGE_R = r"(?<![A-Za-z0-9_.])", r"(?![A-Za-z0-9_])"
SNAKE = re.compile(_EDGE_L + r"[a-z]+[0-9]*(?:_[a-z0-9]+)+" + _EDGE_R)
DOTTED = re.compile(_EDGE_L + r"[a-z]+(?:\.[a-z_]+)+" + _EDGE_R)
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
ABBREVIATIONS = {"e.g", "i.e", "a.m", "p.m"}


# a literal to type, in double quotes or backticks: a file's column name («“area_m2”»), a
# way to write an amount («“5.6万”»)
QUOTED = re.compile(r'[“"`][^\s“”"`]{1,24}[”"`]')


def raw_identifiers(text: str) -> list[str]:
    """snake_case words and dotted keys in visible text, after taking out addresses,
    e-mail addresses, file names (which may rightly contain both) and quoted literals."""
    for pattern in (_URL, _EMAIL, _FILE, _DOMAIN, _OPTION, QUOTED):
        text = pattern.sub(" ", text)
    found = SNAKE.findall(text) + [w for w in DOTTED.findall(text) if w not in ABBREVIATIONS]
    return list(dict.fromkeys(found))


# Chinese text (ideographs, CJK and full-width punctuation) and line ends cut the text
# into runs; a short run of lowercase words between them is a key shown as stored
_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\n]+")
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?:_[A-Za-z0-9]+)*(?![A-Za-z0-9])")
UNITS = {"kg", "mm", "cm", "km", "px", "kw", "kwh"}
LONE_RUN = 3  # words; an English phrase or message half is longer or has a capital


def lone_words(text: str, allow: frozenset[str] = frozenset()) -> list[str]:
    return list(_lone(text, allow))


def _lone(text: str, allow: frozenset[str]) -> dict[str, str]:
    """Lowercase English words standing among Chinese text (a run of at most LONE_RUN
    words without a capital letter between Chinese characters: «入户方式 flat 平层»,
    chips «政策 xingshan shanghai 分摊»): keys shown as they are stored.  An English
    phrase (the English half of a bilingual message, a sample's English name) is longer
    or starts with a capital and passes.  For pages in Chinese only."""
    for pattern in (_URL, _EMAIL, _FILE, _DOMAIN, _OPTION, PLACEHOLDER):
        text = pattern.sub(" ", text)
    found: dict[str, str] = {}  # word -> the run it stands in (to show where)
    for run in _CHINESE.split(text):
        words = _WORD.findall(run)
        if not words or len(words) > LONE_RUN or any(w != w.lower() for w in words):
            continue
        for w in words:  # snake_case words are raw identifiers already
            if len(w) > 1 and "_" not in w and w not in UNITS and w not in allow:
                found.setdefault(w, " ".join(run.split()))
    return found


def placeholders(text: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


# Chinese left on an English page: runs of ideographs (with the CJK punctuation, digits and
# spaces between them), once the data has been taken out.  Data is what users and policy
# files wrote (project, community and household names, document titles only in Chinese):
# it stays as written in either language.  A data string counts only where it stands
# alone, not inside a longer Chinese run, so a short data word («安装», a payment step)
# cannot hide the catalogue sentence it happens to be part of.
IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = f"[{IDEOGRAPH}]+"
_HAN_RUN = re.compile(f"{_HAN}(?:[\\s0-9\u3000-\u303f\uff00-\uffef]*{_HAN})*")


def data_pattern(strings: Iterable[str]) -> re.Pattern[str]:
    """One pattern for the data strings that hold Chinese (longest first), each standing
    alone: no ideograph right before or after it."""
    words = sorted({" ".join(s.split()) for s in strings if re.search(_HAN, s)}, key=len)
    body = "|".join(re.escape(w) for w in reversed(words)) or "(?!)"
    return re.compile(f"(?<![{IDEOGRAPH}])(?:{body})(?![{IDEOGRAPH}])")


def chinese_left(text: str, data: re.Pattern[str] | None = None) -> dict[str, str]:
    """The Chinese runs of an English page's text that are not data or quoted literals,
    each with the words around its first place."""
    text = " ".join(text.split())
    hidden = text
    for pattern in (data, QUOTED):  # blanked, not cut out: the places stay where they are
        if pattern is not None:
            hidden = pattern.sub(lambda m: "\0" * len(m.group()), hidden)
    found: dict[str, str] = {}
    for m in _HAN_RUN.finditer(hidden):
        around = text[max(0, m.start() - 24) : m.end() + 24]
        found.setdefault(m.group(), " ".join(around.split()))
    return found


def problems_of(
    page: dict[str, Any],
    chinese: bool = True,
    allow: frozenset[str] = frozenset(),
    data: re.Pattern[str] | None = None,
) -> list[str]:
    """The checks on what _READ_PAGE returned: sideways scroll, raw identifiers (and, on a
    Chinese page, lone English words but those in `allow`; on an English page, Chinese
    text but the `data`), unfilled {placeholders}; one line per problem, what it is
    before the « of its context."""
    found = []
    if page["scrollWidth"] > page["innerWidth"] + 1:
        wide = "; ".join(
            f"<{o['tag']} .{o['cls']}> right {o['right']} px, width {o['width']} px «{o['text']}»"
            for o in page["offenders"]
        )
        found.append(
            f"sideways scroll: page {page['scrollWidth']} px wide in a "
            f"{page['innerWidth']} px window; widest: {wide or 'none found'}"
        )
    for box in page.get("scrollers", []):
        found.append(
            f"sideways scroll inside <{box['tag']} .{box['cls']}>: {box['scrollWidth']} px "
            f"of content in {box['clientWidth']} px «{box['text']}»"
        )
    text = page["text"]
    found += [f"raw identifier {w} «{_around(text, w)}»" for w in raw_identifiers(text)]
    if chinese:
        lone = _lone(text, allow).items()
        found += [f"lone English word {w} «{_around(text, run)}»" for w, run in lone]
    else:
        found += [f"Chinese text {c} «{where}»" for c, where in chinese_left(text, data).items()]
    found += [f"unfilled placeholder {h} «{_around(text, h)}»" for h in placeholders(text)]
    return found


def _around(text: str, word: str, width: int = 24) -> str:
    """The words around `word`'s first occurrence as a whole word (else as a part)."""
    m = re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", text)
    i = m.start() if m else text.find(word)
    return " ".join(text[max(0, i - width) : i + len(word) + width].split())


# --- the kit ---------------------------------------------------------------------------


class Kit:
    """One browser (NiceGUI's `screen`) driven the patient way, with marks for finding
    things, screenshots per step and the three visible-text checks."""

    def __init__(self, screen: Any, name: str, db: Path):
        self.screen, self.driver, self.db = screen, screen.selenium, db
        self.out = OUT / name
        self.out.mkdir(parents=True, exist_ok=True)
        for old in self.out.glob("*.png"):
            old.unlink()
        self.driver.set_page_load_timeout(BROWSER_TIMEOUT)
        self.driver.set_script_timeout(BROWSER_TIMEOUT)

    @classmethod
    def start(cls, request: pytest.FixtureRequest, db: Path, path: str = "/login") -> Kit:
        """Skip without a browser; start the app (on `db`) and open `path`."""
        need_browser()
        env = request.getfixturevalue("monkeypatch")
        env.setenv("SE_OFFLINE", "true")  # selenium: the chromedriver on PATH, no download
        env.setenv("SE_AVOID_STATS", "true")
        kit = cls(request.getfixturevalue("screen"), request.node.name, db)
        # the kit's waits are its own polls: no implicit wait inside each lookup (it would
        # hold every "not there yet" for seconds); NiceGUI's own for the driver's next user
        kit.driver.implicitly_wait(0)
        request.addfinalizer(lambda: kit.driver.implicitly_wait(kit.screen.IMPLICIT_WAIT))
        kit.screen.open(path, timeout=WAIT)  # starts the app and waits until it answers
        kit.settle()
        return kit

    # accounts and login

    def account(self, name: str, role: str = "admin", scope: str = "*") -> str:
        from elevator.store.db import Store

        accounts = Store(self.db).accounts
        if accounts.get(name) is None:
            accounts.add(name, PASSWORD, role, scope)
        else:
            accounts.grant(name, role, scope)
        return name

    def login(self, name: str, password: str = PASSWORD) -> None:
        """Log this browser in through /api/login (the same checks as the form)."""
        if not self.driver.current_url.startswith(self.screen.url):
            self.visit("/login")
        result = self.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            fetch('/api/login', {method: 'POST', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({name: arguments[0], password: arguments[1]})})
              .then(r => r.text().then(t => done(r.status + ' ' + t)))
              .catch(e => done('error ' + e));
            """,
            name,
            password,
        )
        assert result.startswith("200"), f"login as {name} refused: {result}"

    def login_form(self, name: str, password: str = PASSWORD) -> None:
        """Log in through the login page the browser is on (marks login-name/-password)."""
        self.type("login-name", name)
        self.type("login-password", password)
        self.click("login")
        poll(lambda: "/login" not in self.driver.current_url, f"the login of {name} to pass")
        self.settle()

    # window and pages

    def size(self, width: int, height: int) -> None:
        """Make the page's viewport exactly width×height (window chrome, if any, added)."""
        self.driver.set_window_size(width, height)
        inner = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
        if inner != [width, height]:
            self.driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
        poll(
            lambda: self.driver.execute_script("return window.innerWidth") == width,
            f"a {width} px wide window",
        )

    def visit(self, path: str, mark: str | None = None) -> None:
        """Open `path`, wait until its socket is connected (and `mark` is shown), settle."""
        self.driver.get(self.screen.url + path)
        self.settle()
        if mark:
            self.element(mark)

    def settle(self, timeout: float = WAIT) -> bool:
        """Wait until the page's socket is connected and quiet for QUIET seconds and no
        spinner shows.  False if a spinner is still turning after `timeout` (the socket
        must connect and go quiet in that time, or this fails)."""
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while True:
            try:
                count, connected, busy, client = self.driver.execute_script(_STATE)
            except JavascriptException:
                count, connected, busy, client = None, False, 0, None
            now = time.monotonic()
            if (count, client) != last:
                last, since = (count, client), now
            quiet = connected and client and now - since >= QUIET
            if quiet and not busy:
                return True
            if now > deadline:
                if quiet:
                    return False
                raise AssertionError(
                    f"{self.path()}: no quiet connected page after {timeout:.0f} s"
                )
            time.sleep(0.1)

    def path(self) -> str:
        url = self.driver.current_url
        return url[len(self.screen.url) :] if url.startswith(self.screen.url) else url

    def expand_all(self, rounds: int = 3) -> int:
        """Open every closed expandable section (and those that opening reveals)."""
        opened = 0
        for _ in range(rounds):
            n = self.driver.execute_script(_EXPAND)
            if not n:
                break
            opened += n
            time.sleep(0.35)  # Quasar's slide transition
            self.settle()
        return opened

    def shot(self, step: str, full: bool = True) -> Path:
        """Save test-output/<test>/<step>.png: the whole page (cut at SHOT_HEIGHT px)."""
        path = self.out / (re.sub(r"[^\w.-]+", "-", step).strip("-") + ".png")
        if not full:
            self.driver.save_screenshot(str(path))
            return path
        w, h = self.driver.execute_script(
            "return [window.innerWidth, Math.max(document.documentElement.scrollHeight,"
            " document.body.scrollHeight)]"
        )
        clip = {"x": 0, "y": 0, "width": w, "height": min(h, SHOT_HEIGHT), "scale": 1}
        png = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": clip},
        )
        path.write_bytes(base64.b64decode(png["data"]))
        return path

    def read_page(self) -> dict[str, Any]:
        return self.driver.execute_script(_READ_PAGE)

    def problems(
        self,
        chinese: bool = True,
        allow: frozenset[str] = frozenset(),
        data: re.Pattern[str] | None = None,
    ) -> list[str]:
        """Sideways scroll, raw identifiers (and lone English words on a page in Chinese,
        but the words in `allow`: an account's name; Chinese text on a page in English,
        but the `data_pattern` of the data) and unfilled placeholders, now."""
        return problems_of(self.read_page(), chinese, allow, data)

    # journeys: find, click, type and read by mark

    def client_id(self) -> str:
        return poll(lambda: self.driver.execute_script("return window.clientId"), "a page")

    def _ids(self, mark: str) -> list[str]:
        from nicegui import Client

        client = Client.instances.get(self.client_id())
        if client is None:
            return []
        for _ in range(5):  # the app may add elements while this reads them
            try:
                return [e.html_id for e in list(client.elements.values()) if mark in e._markers]
            except RuntimeError:
                time.sleep(0.05)
        return []

    def elements(self, mark: str) -> list[WebElement]:
        """The shown elements marked `mark` on the page now (none: an empty list)."""
        found = []
        for html_id in self._ids(mark):
            found += [e for e in self.driver.find_elements(By.ID, html_id) if e.is_displayed()]
        return found

    def element(self, mark: str, timeout: float = WAIT) -> WebElement:
        """The first shown element marked `mark`, waiting for it to appear."""
        found = poll(
            lambda: self.elements(mark), f"an element marked {mark!r} on {self.path()}", timeout
        )
        return found[0]

    def click(self, mark: str) -> None:
        el = self.element(mark)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        try:
            el.click()
        except (ElementClickInterceptedException, ElementNotInteractableException):
            self.driver.execute_script("arguments[0].click()", el)

    def field(self, mark: str) -> WebElement:
        """The <input>/<textarea> of the marked input (or the marked element itself)."""
        el = self.element(mark)
        if el.tag_name in ("input", "textarea"):
            return el
        return poll(
            lambda: el.find_elements(By.CSS_SELECTOR, "input, textarea"),
            f"a text field in {mark!r}",
        )[0]

    def type(self, mark: str, text: str, *, clear: bool = True, enter: bool = False) -> None:
        box = self.field(mark)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        if clear:
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(Keys.DELETE)
        box.send_keys(text + (Keys.ENTER if enter else ""))

    def text(self, mark: str) -> str:
        """The visible text of the marked element (its value, for a text field)."""
        el = self.element(mark)
        if el.tag_name in ("input", "textarea"):
            return el.get_attribute("value") or ""
        inner = el.find_elements(By.CSS_SELECTOR, "input, textarea")
        if inner and not el.text.strip():
            return inner[0].get_attribute("value") or ""
        return el.text

    def wait_text(self, mark: str, check: str | Callable[[str], bool]) -> str:
        """Wait until the marked element's text contains `check` (or `check(text)` holds);
        returns the text."""
        test = check if callable(check) else (lambda t: check in t)
        seen: list[str] = []

        def ok() -> str | None:
            try:
                seen[:] = [self.text(mark)]
            except AssertionError:
                return None
            return seen[0] if test(seen[0]) else None

        try:
            return poll(ok, f"{mark!r} to read {check!r}")
        except AssertionError as e:
            raise AssertionError(f"{e}; it reads {seen[0] if seen else None!r}") from None

    def should_see(self, words: str) -> None:
        poll(
            lambda: words in self.driver.execute_script("return document.body.innerText"),
            f"{words!r} on {self.path()}",
        )


def save_report(kit: Kit, lines: list[str], name: str = "problems.txt") -> Path:
    """The walk's findings next to its screenshots (a CI artefact)."""
    path = kit.out / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


__all__ = [
    "DESKTOP",
    "PHONE",
    "Kit",
    "chinese_left",
    "data_pattern",
    "need_browser",
    "nicegui_chrome_options",
    "poll",
    "problems_of",
    "raw_identifiers",
    "save_report",
]
