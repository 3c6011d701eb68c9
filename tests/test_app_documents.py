"""Documents page: the printers' files come back as real PDF / XLSX / YAML."""

from __future__ import annotations

import io

import pytest
import yaml
from nicegui.testing import User

from elevator.store.db import Store

pytestmark = pytest.mark.usefixtures("app_db", "as_mediator")


async def test_cost_table_pdf(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/documents")
    user.find(marker="doc-cost-table").click()
    response = await user.download.next(timeout=30)
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "502" in text.replace("\x00", "")


async def test_project_yaml_round_trips(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/documents")
    user.find(marker="doc-yaml").click()
    response = await user.download.next()
    assert yaml.safe_load(response.content.decode("utf-8")) == Store(app_db).get(pid).data


async def test_workbook_xlsx(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/documents")
    user.find(marker="doc-workbook").click()
    response = await user.download.next(timeout=30)
    assert response.content[:2] == b"PK"
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames


async def test_feasibility_report_pdf(user: User, app_db, sample_id) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/documents")
    user.find(marker="doc-feasibility").click()
    response = await user.download.next(timeout=30)
    assert response.content.startswith(b"%PDF")
    assert b"/FontFile" in response.content  # the CJK font travels with the report


async def test_comparison_pdf_lists_every_scheme_with_its_properties(
    user: User, app_db, sample_id
) -> None:
    pid = sample_id()
    await user.open(f"/project/{pid}/documents")
    user.find(marker="doc-compare").click()
    response = await user.download.next(timeout=60)
    assert response.content.startswith(b"%PDF")
