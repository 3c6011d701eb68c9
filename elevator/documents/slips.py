"""Handing out links: an A4 sheet of slips, one per household (household, amount, QR code,
link), to put through doors or photograph and forward.

A link must reach the resident at home, so its address must be public: `public_base`
refuses this computer (localhost, 127.0.0.1, ::1) and internal networks (private and
link-local addresses, names without a dot, .local / .lan / .internal …) unless the
caller explicitly allows them (a test run).  The tokens come from
`elevator.store.access.resident_token`; `resident_link` puts one on the public address.
The QR code is segno's PNG, embedded by fpdf2.
"""

from __future__ import annotations

import io
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from elevator.core.errors import problem
from elevator.core.money_text import format_yuan
from elevator.core.text import t

if TYPE_CHECKING:
    from elevator.documents.pdf import Document

# names that only resolve inside a network (RFC 6762, RFC 8375, common practice)
INTERNAL_SUFFIXES = (".localhost", ".local", ".lan", ".internal", ".intranet", ".home.arpa")
COLUMNS, ROWS = 2, 5  # ten slips per A4 page
QR_MM = 36


@dataclass(frozen=True)
class Slip:
    """One household's slip: its id, what it pays (rounded net, yuan), its link."""

    household: str
    amount: Fraction
    link: str


def _internal(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        name = host.lower().rstrip(".")
        return name == "localhost" or "." not in name or name.endswith(INTERNAL_SUFFIXES)
    return not ip.is_global


def public_base(base: str, *, allow_internal: bool = False, field: str = "links.base") -> str:
    """The public address links are built on ('https://example.org/lift'), without a
    trailing slash.  Refuses what is not an http(s) address with a host, and — unless
    `allow_internal` — this computer and internal hosts, naming `field`."""
    text = (base or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise problem(field, "error.slips.base", base=text)
    if not allow_internal and _internal(parts.hostname):
        raise problem(field, "error.slips.internal_host", host=parts.hostname)
    return text.rstrip("/")


def resident_link(base: str, project_id: str, token: str, *, allow_internal: bool = False) -> str:
    """The household's own link, as the app serves it: {base}/r/{project}/{token}."""
    return f"{public_base(base, allow_internal=allow_internal)}/r/{project_id}/{token}"


def slips_for(result, links: Mapping[str, str], *, allow_internal: bool = False) -> list[Slip]:
    """Slips in the project's household order for the households that have a link; each
    link's address is checked as `public_base`; a household not in the result is refused."""
    amounts = {h.id: h.share for h in result.households}
    for household, link in links.items():
        if household not in amounts:
            raise problem(
                f"links.{household}", "error.slips.unknown_household", household=household
            )
        public_base(link, allow_internal=allow_internal, field=f"links.{household}")
    slips = [Slip(h, amounts[h], links[h]) for h in amounts if h in links]
    if not slips:
        raise problem("links", "error.slips.none")
    return slips


def read_links(text: str) -> dict[str, str]:
    """ "household,link" per line (CSV; blank lines and # comments skipped; a first line
    "household,link" is a heading) → {household: link}."""
    import csv

    out: dict[str, str] = {}
    lines = [(k, line) for k, line in enumerate(text.splitlines(), 1)]
    for k, row in zip((k for k, _ in lines), csv.reader(line for _, line in lines)):
        cells = [c.strip() for c in row]
        if (
            not any(cells)
            or cells[0].startswith("#")
            or (k == 1 and cells == ["household", "link"])
        ):
            continue
        if len(cells) != 2 or not all(cells):
            raise problem("links", "error.slips.links_line", line=k)
        out[cells[0]] = cells[1]
    return out


def qr_png(link: str) -> bytes:
    """The link's QR code as a PNG (error correction M: a crease or smudge still reads)."""
    import segno

    buf = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buf, kind="png", scale=8, border=4)
    return buf.getvalue()


def _slip(pdf: "Document", slip: Slip, x: float, y: float, w: float, h: float) -> None:
    lang = pdf.lang
    pdf.set_draw_color(150, 150, 150)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.rect(x, y, w, h)  # the cutting line
    pdf.set_dash_pattern()
    pdf.image(io.BytesIO(qr_png(slip.link)), x=x + 3, y=y + (h - QR_MM) / 2, w=QR_MM, h=QR_MM)
    left, width = x + QR_MM + 6, w - QR_MM - 9
    pdf.set_xy(left, y + 3)
    pdf.set_font(pdf.family, size=7.5)
    pdf.multi_cell(width, 3.5, pdf.footer_text, new_x="LEFT", new_y="NEXT")
    pdf.set_font(pdf.family, size=14)
    household = t("slips.household", lang, household=slip.household)
    pdf.multi_cell(width, 7, household, new_x="LEFT", new_y="NEXT")
    pdf.set_font(pdf.family, size=10)
    amount = t("slips.amount", lang, amount=format_yuan(slip.amount))
    pdf.multi_cell(width, 5, amount, new_x="LEFT", new_y="NEXT")
    pdf.set_font(pdf.family, size=7)
    pdf.multi_cell(width, 3.2, t("slips.how", lang), new_x="LEFT", new_y="NEXT")
    pdf.set_font(pdf.family, size=6.5)
    pdf.multi_cell(width, 3, slip.link, new_x="LEFT", new_y="NEXT", wrapmode="CHAR")


def slips_pdf(project_name: str, slips: Sequence[Slip], lang: str = "zh") -> bytes:
    """A4 pages of ten slips (two columns, five rows) with dashed cutting lines."""
    if not slips:
        raise problem("links", "error.slips.none")
    # fpdf and its fonts (~30 MB) only when slips are printed, not in every app process
    from elevator.documents.pdf import Document, render

    def build(full_font: bool) -> Document:
        pdf = Document(lang, project_name, full_font)
        pdf.set_title(f"{t('slips.title', lang)} {project_name}")
        pdf.set_auto_page_break(False)
        w = (pdf.w - pdf.l_margin - pdf.r_margin) / COLUMNS
        h = (pdf.h - pdf.t_margin - 16) / ROWS
        for k, slip in enumerate(slips):
            place = k % (COLUMNS * ROWS)
            if place == 0:
                pdf.add_page()
            col, row = place % COLUMNS, place // COLUMNS
            _slip(pdf, slip, pdf.l_margin + col * w, pdf.t_margin + row * h, w, h)
        return pdf

    return render(build)
