"""Link slips: the public address is checked, every slip carries its household, amount,
link and a QR code that encodes exactly that link."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from elevator import cli
from elevator.core.errors import ProjectError
from elevator.core.money_text import format_yuan
from elevator.documents.slips import (
    Slip,
    public_base,
    read_links,
    resident_link,
    slips_for,
    slips_pdf,
)
from elevator.model.io import load_project
from elevator.plan.compose import shares
from elevator.store.access import resident_token
from tests.helpers import SAMPLE
from tests.pdftext import pages, squeeze

SECRET = "a-test-secret-that-is-long-enough"


@pytest.mark.parametrize(
    "base",
    [
        "https://lift.example.org",
        "https://lift.example.org/",
        "http://223.5.5.5:8080/app",  # a public address need not be https
        "https://[2400:3200::1]/",
    ],
)
def test_public_addresses_are_accepted(base):
    assert public_base(base) == base.strip().rstrip("/")


@pytest.mark.parametrize(
    ("base", "words"),
    [
        ("http://127.0.0.1:8080", "internal network"),
        ("http://localhost:8080", "internal network"),
        ("http://[::1]/", "internal network"),
        ("http://0.0.0.0", "internal network"),
        ("http://192.168.1.20", "internal network"),
        ("http://10.0.0.5", "internal network"),
        ("http://172.16.4.1", "internal network"),
        ("http://169.254.1.1", "internal network"),
        ("http://mediator-pc:8080", "internal network"),
        ("http://nas.local", "internal network"),
        ("https://app.internal", "internal network"),
        ("lift.example.org", "must start with http"),
        ("ftp://lift.example.org", "must start with http"),
        ("", "must start with http"),
    ],
)
def test_this_computer_and_internal_hosts_are_refused(base, words):
    with pytest.raises(ProjectError) as err:
        public_base(base)
    (p,) = err.value.problems
    assert p.field == "links.base" and words in p.en and p.zh


def test_internal_hosts_only_when_explicitly_allowed():
    assert public_base("http://127.0.0.1:8080/", allow_internal=True) == "http://127.0.0.1:8080"
    with pytest.raises(ProjectError):
        public_base("127.0.0.1", allow_internal=True)  # still an address, not a host


def test_resident_link_is_the_apps_route():
    token = resident_token(SECRET, "7", "302")
    link = resident_link("https://lift.example.org/", "7", token)
    assert link == f"https://lift.example.org/r/7/{token}"
    with pytest.raises(ProjectError):
        resident_link("http://localhost:8080", "7", token)


def test_read_links():
    text = "household,link\n302, https://a.example.org/r/1/x \n\n# a note\n101,https://a.example.org/r/1/y\n"
    assert read_links(text) == {
        "302": "https://a.example.org/r/1/x",
        "101": "https://a.example.org/r/1/y",
    }
    with pytest.raises(ProjectError) as err:
        read_links("302,https://a.example.org/r/1/x\n101\n")
    assert "line 2" in err.value.problems[0].en


@pytest.fixture(scope="module")
def result():
    return shares(load_project(SAMPLE))


def _links(result, base="https://lift.example.org"):
    return {
        h.id: resident_link(base, "7", resident_token(SECRET, "7", h.id)) for h in result.households
    }


def test_slips_follow_the_project_order_and_refuse_strangers(result):
    links = _links(result)
    reversed_links = dict(reversed(list(links.items())))
    got = slips_for(result, reversed_links)
    assert [s.household for s in got] == [h.id for h in result.households]
    assert [s.amount for s in got] == [h.share for h in result.households]
    with pytest.raises(ProjectError) as err:
        slips_for(result, {**links, "999": links["101"]})
    assert err.value.problems[0].field == "links.999"
    with pytest.raises(ProjectError):
        slips_for(result, {"101": "http://192.168.0.2:8080/r/7/abc"})
    assert slips_for(result, {"101": "http://192.168.0.2:8080/r/7/abc"}, allow_internal=True)
    with pytest.raises(ProjectError):
        slips_for(result, {})


def _qr_matrix(png: Image.Image, size: int) -> list[list[bool]]:
    """Read the modules back from an image of a QR code with a 4-module quiet zone."""
    grey = png.convert("L")
    step = grey.width / (size + 8)
    return [
        [
            grey.getpixel((int((4 + c + 0.5) * step), int((4 + r + 0.5) * step))) < 128
            for c in range(size)
        ]
        for r in range(size)
    ]


def test_slips_pdf_carries_household_amount_link_and_its_qr(result):
    slips = slips_for(result, _links(result))
    data = slips_pdf("test project", slips, "zh")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == -(-len(slips) // 10)  # ten slips a page
    text = squeeze("".join(pages(data)))
    for s in slips:
        assert squeeze(s.household) in text
        assert squeeze(format_yuan(s.amount)) in text
        assert squeeze(s.link) in text
    images = [img.image for page in reader.pages for img in page.images]
    assert len(images) == len(slips)
    for slip, image in zip(slips, images):
        qr = segno.make(slip.link, error="m", micro=False)
        expected = [[bool(v) for v in row] for row in qr.matrix]
        assert _qr_matrix(image, len(expected)) == expected


def test_slips_pdf_in_english_and_never_empty():
    text = "".join(
        pages(
            slips_pdf("p", [Slip("302", Fraction(123456, 1), "https://x.example.org/r/1/t")], "en")
        )
    )
    assert "123,456.00" in text and "Household" in text
    with pytest.raises(ProjectError):
        slips_pdf("p", [], "zh")


def test_cli_print_slips(tmp_path, capsys, result):
    links = tmp_path / "links.csv"
    links.write_text("\n".join(f"{h},{l}" for h, l in _links(result).items()), encoding="utf-8")
    out = tmp_path / "slips.pdf"
    argv = ["print", str(SAMPLE), "--what", "slips", "--links", str(links), "-o", str(out)]
    assert cli.main(argv) == 0
    assert out.read_bytes().startswith(b"%PDF")
    internal = tmp_path / "internal.csv"
    internal.write_text("101,http://127.0.0.1:8080/r/7/abc\n", encoding="utf-8")
    out2 = tmp_path / "internal.pdf"
    argv = ["print", str(SAMPLE), "--what", "slips", "--links", str(internal), "-o", str(out2)]
    assert cli.main(argv) == 2
    assert "127.0.0.1" in capsys.readouterr().err and not out2.exists()
    assert cli.main([*argv, "--allow-internal-hosts"]) == 0
    assert cli.main(["print", str(SAMPLE), "--what", "slips", "-o", str(out2)]) == 2
