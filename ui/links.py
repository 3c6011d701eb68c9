"""Where resident links point, and what the mediator hands out: the link, its QR code and
the A4 slips sheet.

A link must open at the resident's home, so it is built on a configured public address,
never on the address the mediator's browser happened to use (often 127.0.0.1):

1. `elevator app --public-url https://…` (or ELEVATOR_PUBLIC_URL) — the operator's word,
2. else the address an administrator set on the admin page (the store's "public_url"),
3. else none: links are shown as paths (/r/…) with a note; only a demo account may use
   this computer's address, labelled as local.

Every address passes `elevator.documents.slips.public_base` (no localhost, no internal
host); a refused one is reported and treated as not configured.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from elevator.core.errors import ProjectError
from elevator.core.text import t
from elevator.documents.file_names import download_name
from elevator.documents.slips import public_base, qr_png, slips_for, slips_pdf
from elevator.store.db import Store

ENV = "ELEVATOR_PUBLIC_URL"
SETTING = "public_url"
# the field a refusal names, as the person typing it sees it
FIELD_START = "--public-url / ELEVATOR_PUBLIC_URL"
FIELD_ADMIN = "ui.links.public_url"  # catalogue key: the admin page's field name


@dataclass(frozen=True)
class LinkBase:
    """The address links are built on (None: paths only) and where it came from:
    start (command line / environment), admin (admin page), local (demo only), none."""

    url: str | None
    source: str
    refused: ProjectError | None = None  # a configured address that was refused

    def link(self, pid: int, token: str) -> str:
        return f"{self.url or ''}/r/{pid}/{token}"

    @property
    def absolute(self) -> bool:
        return self.url is not None


def check_admin_value(text: str) -> str:
    """The address an administrator typed, checked; raises ProjectError naming the field."""
    return public_base(text, field=t(FIELD_ADMIN, "zh") + " / " + t(FIELD_ADMIN, "en"))


def configured(store: Store) -> LinkBase:
    """The public address in force (start option first, then the admin's setting)."""
    refused = None
    start = os.environ.get(ENV, "").strip()
    if start:
        try:
            return LinkBase(public_base(start, field=FIELD_START), "start")
        except ProjectError as e:
            refused = e
    stored = store.setting(SETTING)
    if stored:
        try:
            return LinkBase(check_admin_value(stored), "admin", refused)
        except ProjectError as e:
            refused = refused or e
    return LinkBase(None, "none", refused)


def link_base(store: Store, *, demo: bool, local: str) -> LinkBase:
    """`configured`, or — for a demo account only — this computer's address `local`."""
    base = configured(store)
    if base.url is None and demo and local:
        return LinkBase(local.rstrip("/"), "local", base.refused)
    return base


def qr_data_uri(link: str) -> str:
    """The link's QR code (segno, the same PNG the slips print) as a data URI for <img>."""
    return "data:image/png;base64," + base64.b64encode(qr_png(link)).decode("ascii")


def slips_filename(project_name: str, lang: str) -> str:
    """ "<project name>-住户链接条.pdf": the project's name first, as every download."""
    return download_name(project_name, t("slips.title", lang), "pdf")


def slips_file(
    project_name: str, shares, links: dict[str, str], lang: str, *, local: bool
) -> bytes:
    """The A4 slips (household, amount, QR, link) of `links`; a local base only in demo."""
    return bytes(slips_pdf(project_name, slips_for(shares, links, allow_internal=local), lang))
