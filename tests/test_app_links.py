"""Handing out resident links (issue 17): links on the configured public address (command
line / environment or the admin page; never this computer or an internal host), a copy
button and a QR code per household, the A4 slips download, and the consent page's law line
with its sources — computed by the library, compared here with the library's own output."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import io

import pytest
import segno
from nicegui.testing import User
from PIL import Image

from elevator.consent.evaluation import evaluate
from elevator.core.errors import ProjectError
from elevator.core.text import t
from elevator.documents.slips import qr_png
from elevator.documents.words import citation
from elevator.model.io import parse_project
from elevator.plan.versions import plan_version
from elevator.sharing.engine import compute_shares
from elevator.store.access import resident_token
from elevator.store.db import Store
from tests.cli_run import run
from tests.conftest import SAMPLE, login
from tests.pdftext import pages, squeeze
from ui.links import (
    ENV,
    SETTING,
    LinkBase,
    check_admin_value,
    configured,
    link_base,
    slips_filename,
)

pytestmark = pytest.mark.usefixtures("app_db")
PUBLIC = "https://lift.example.org/app"


def households(db, pid: int) -> list[str]:
    return [h["id"] for h in Store(db).get(pid).data["building"]["households"]]


def expected_link(db, pid: int, room: str, base: str) -> str:
    token = resident_token(Store(db).resident_secret(), str(pid), room, 0)
    return f"{base}/r/{pid}/{token}"


async def open_links(user: User, pid: int, room: str) -> None:
    """Open the consent page and reveal the links; wait for `room`'s."""
    await user.open(f"/project/{pid}/consent")
    await user.should_see(marker="show-links")
    user.find(marker="show-links").click()
    await user.should_see(marker=f"link-{room}")


def value(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


def modules_of_png(png: bytes, scale: int = 8, border: int = 4) -> list[list[bool]]:
    """Read a QR PNG back into its modules (dark = True): one pixel per module centre."""
    image = Image.open(io.BytesIO(png)).convert("L")
    n = image.width // scale - 2 * border
    return [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2))
            < 128
            for x in range(n)
        ]
        for y in range(n)
    ]


# --- the address -------------------------------------------------------------------


async def test_links_use_the_configured_address_with_copy_and_qr(
    user: User, app_db, sample_id, accounts, monkeypatch
) -> None:
    monkeypatch.setenv(ENV, PUBLIC)
    pid = sample_id()
    rooms = households(app_db, pid)
    await login(user, accounts("mediator"))
    await open_links(user, pid, rooms[0])
    assert PUBLIC in value(user, "links-base").text
    for room in rooms:
        link = value(user, f"link-{room}").value
        assert link == expected_link(app_db, pid, room, PUBLIC)
        assert "127.0.0.1" not in link and "localhost" not in link
        user.find(marker=f"copy-{room}")  # one copy button per household
        source = value(user, f"qr-{room}").source
        png = base64.b64decode(source.removeprefix("data:image/png;base64,"))
        assert png == qr_png(link)  # segno's QR of exactly this link
    # and the picture reads back as that link's modules, not another household's
    first, second = rooms[0], rooms[1]
    png = base64.b64decode(value(user, f"qr-{first}").source.split(",", 1)[1])
    link = value(user, f"link-{first}").value
    mine = [list(map(bool, row)) for row in segno.make(link, error="m", micro=False).matrix]
    other = value(user, f"link-{second}").value
    theirs = [list(map(bool, row)) for row in segno.make(other, error="m", micro=False).matrix]
    assert modules_of_png(png) == mine != theirs
    user.find(marker=f"copy-{first}").click()
    await user.should_see(f"已复制 {first} 的链接")


async def test_without_an_address_links_are_paths_with_a_note(
    user: User, app_db, sample_id, accounts, monkeypatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    pid = sample_id()
    rooms = households(app_db, pid)
    await login(user, accounts("mediator"))
    await open_links(user, pid, rooms[0])
    await user.should_see(marker="links-no-base")
    await user.should_see("尚未设定对外公开的地址")
    for room in rooms:
        assert value(user, f"link-{room}").value == expected_link(app_db, pid, room, "")
    await user.should_not_see(marker=f"qr-{rooms[0]}")  # a QR of a path opens nothing
    await user.should_not_see(marker="slips-download")


async def test_a_demo_account_gets_the_local_address_labelled_local(
    user: User, app_db, sample_id, monkeypatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    from elevator.cli.users import DEMO, ensure_demo

    password = ensure_demo(Store(app_db))
    pid = sample_id()
    rooms = households(app_db, pid)
    await login(user, DEMO, password)
    await open_links(user, pid, rooms[0])
    await user.should_see("本机地址，仅供演示")
    assert value(user, f"link-{rooms[0]}").value.startswith("http")


async def test_admin_sets_the_address_and_internal_hosts_are_refused(
    create_user, app_db, sample_id, accounts, monkeypatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    pid = sample_id()
    rooms = households(app_db, pid)
    admin = create_user()
    await login(admin, accounts("root", "admin"))
    await admin.open("/admin")
    await admin.should_see(marker="public-url-state")
    for bad in ("http://127.0.0.1:8080", "https://192.168.1.20", "http://lift.local"):
        admin.find(marker="public-url").clear().type(bad)
        admin.find(marker="public-url-save").click()
        # the field named, both languages
        await admin.should_see("公开地址 / Public address")
        await admin.should_see("内网")
        await admin.should_see("internal")
        assert Store(app_db).setting(SETTING) is None
    admin.find(marker="public-url").clear().type(PUBLIC + "/")
    admin.find(marker="public-url-save").click()
    await admin.should_see(f"已设定：{PUBLIC}")
    assert Store(app_db).setting(SETTING) == PUBLIC
    assert any(r.action == "setting.public_url" for r in Store(app_db).accounts.audit_rows())

    mediator = create_user()
    await login(mediator, accounts("mediator"))
    await open_links(mediator, pid, rooms[0])
    assert value(mediator, f"link-{rooms[0]}").value == expected_link(app_db, pid, rooms[0], PUBLIC)
    assert "管理员在管理页设定" in value(mediator, "links-base").text


def test_the_start_option_wins_and_a_refused_address_is_not_used(app_db, monkeypatch) -> None:
    s = Store(app_db)
    s.set_setting(SETTING, "https://admin.example.org")
    monkeypatch.setenv(ENV, PUBLIC)
    assert configured(s) == LinkBase(PUBLIC, "start")
    local = "http://127.0.0.1:8080"  # the address a browser on the server used
    assert link_base(s, demo=True, local=local) == LinkBase(PUBLIC, "start")
    assert link_base(s, demo=False, local=local).link(3, "tok") == f"{PUBLIC}/r/3/tok"
    monkeypatch.setenv(ENV, "http://127.0.0.1:8080")
    base = configured(s)
    assert (base.url, base.source) == ("https://admin.example.org", "admin")
    assert base.refused is not None and "ELEVATOR_PUBLIC_URL" in base.refused.problems[0].field
    s.set_setting(SETTING, None)
    assert configured(s).url is None and s.setting(SETTING) is None
    monkeypatch.delenv(ENV)
    assert link_base(s, demo=False, local=local) == LinkBase(None, "none")
    assert link_base(s, demo=False, local=local).link(3, "tok") == "/r/3/tok"
    assert link_base(s, demo=True, local=local) == LinkBase(local, "local")


def test_check_admin_value_names_the_field_in_both_languages() -> None:
    with pytest.raises(ProjectError) as e:
        check_admin_value("http://10.0.0.5")
    p = e.value.problems[0]
    assert p.field == "公开地址 / Public address"
    assert "10.0.0.5" in p.zh and "10.0.0.5" in p.en


def test_cli_refuses_an_internal_public_url_naming_the_option() -> None:
    code, _, err = run("app", "--public-url", "http://127.0.0.1:8080", "--db", "/nonexistent/x")
    assert code == 2
    assert "--public-url" in err and "127.0.0.1" in err
    assert t("error.slips.internal_host", "zh", host="127.0.0.1")[:10] in err
    assert t("error.slips.internal_host", "en", host="127.0.0.1")[:10] in err


# --- the slips -----------------------------------------------------------------------


async def test_slips_download_is_a_pdf_named_after_the_project(
    user: User, app_db, sample_id, accounts, monkeypatch
) -> None:
    monkeypatch.setenv(ENV, PUBLIC)
    from nicegui.testing.user_download import UserDownload

    names: list[str | None] = []
    original = UserDownload.content

    def content(self, data, filename=None, media_type=""):
        names.append(filename)
        return original(self, data, filename, media_type)

    monkeypatch.setattr(UserDownload, "content", content)
    pid = sample_id()
    rooms = households(app_db, pid)
    await login(user, accounts("mediator"))
    await open_links(user, pid, rooms[0])
    user.find(marker="slips-download").click()
    response = await user.download.next(timeout=60)
    assert response.content.startswith(b"%PDF")
    assert names == [slips_filename(SAMPLE, "zh")] and SAMPLE in names[0]
    assert names[0].endswith(".pdf")
    text = squeeze("".join(pages(response.content)))
    for room in rooms:  # every household's slip, with its own link
        assert squeeze(expected_link(app_db, pid, room, PUBLIC)) in text


def test_slips_filename_keeps_the_name_and_drops_path_characters() -> None:
    assert slips_filename("兴发小区 3栋/1单元", "zh") == "兴发小区 3栋-1单元-住户链接条.pdf"
    assert slips_filename("A", "en").startswith("A-")


# --- who sees links --------------------------------------------------------------------


async def test_a_reader_sees_no_links(user: User, app_db, sample_id, accounts, monkeypatch) -> None:
    monkeypatch.setenv(ENV, PUBLIC)
    pid = sample_id()
    await login(user, accounts("reader", "reader", f"project:{pid}"))
    await user.open(f"/project/{pid}/consent")
    await user.should_see(marker="no-role")
    await user.should_not_see(marker="show-links")
    await user.should_not_see("/r/")


# --- the law and its sources -------------------------------------------------------------


def library_result(db, pid: int):
    s = Store(db)
    project = parse_project(s.get(pid).data)
    return evaluate(
        project,
        version=plan_version(compute_shares(project)),
        decisions=[r.as_decision() for r in s.decisions(pid)],
    )


def dated_copy(db, pid: int, day: dt.date) -> int:
    """The sample again, its decision taken on `day` (the date chooses the law)."""
    data = copy.deepcopy(Store(db).get(pid).data)
    data["name"] = f"{data['name']} {day.year}"
    data.setdefault("consent", {})["date"] = day.isoformat()
    return Store(db).create(data).id


@pytest.mark.parametrize(
    ("day", "law"),
    [(dt.date(2022, 5, 1), "civil_code_278"), (dt.date(2019, 6, 1), "property_law_76")],
)
async def test_consent_page_shows_the_law_its_reason_and_sources(
    user: User, app_db, sample_id, accounts, day, law
) -> None:
    pid = dated_copy(app_db, sample_id(), day)
    result = library_result(app_db, pid)
    assert result.applied.law.id == law  # the library chose it, from the date
    await login(user, accounts("mediator"))
    await user.open(f"/project/{pid}/consent")
    await user.should_see(marker="law-line")
    line = value(user, "law-line").text
    assert result.applied.why.zh in line and result.applied.law.mark in line
    assert day.isoformat() in line
    counts = value(user, "owner-counts").text
    assert f"{len(result.owners)} 位业主" in counts
    await user.should_see(marker="condition-sources")
    for c in result.conditions:
        await user.should_see(c.name.zh)
        for s in c.sources:
            await user.should_see(s.name.zh)
            for r in s.references:
                await user.should_see(citation(r.title))
    hrefs = {link.props.get("href") for link in user.find(marker="source-link").elements}
    expected = {r.href for c in result.conditions for s in c.sources for r in s.references}
    assert {h for h in expected if h} <= hrefs
