"""District page: the sample, two policies, totals, charts, worst-off stairwells, workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest
from nicegui.testing import User

from elevator.documents.words import policy_name
from ui.pages.district import district_view, read_upload, sample

pytestmark = pytest.mark.usefixtures("app_db")


async def test_district_page_runs_the_sample(user: User) -> None:
    await user.open("/district")
    await user.should_see("片区模拟")
    user.find(marker="district-run").click()
    await user.should_see("请先上传单元清单")
    user.find(marker="district-sample").click()
    await user.should_see("2000 个单元")
    user.find(marker="district-run").click()
    await user.should_see(marker="district-summary")
    summary = user.find(marker="district-summary").elements.pop()
    assert [r["c0"].split(" / ")[0] for r in summary.rows] == [policy_name("xingshan")] * 2 + [
        policy_name("shanghai")
    ] * 2
    await user.should_see(marker="district-download")
    assert len(user.find(marker="district-worst").elements) == 4


def test_view_from_an_upload_and_its_workbook() -> None:
    buf = io.BytesIO()
    frame = sample(30).frame  # clean rows, written back as a user's CSV would be
    from elevator.district.sample import sample_portfolio

    sample_portfolio(30).to_csv(buf, index=False)
    portfolio = read_upload("p.csv", buf.getvalue())
    assert len(portfolio.frame) == len(frame) == 30
    view = district_view(portfolio, ["xingshan"], ["equal", "shapley"], "50000", "en")
    assert not view.problems and len(view.charts) == 2 and len(view.worst) == 2
    wb = openpyxl.load_workbook(io.BytesIO(view.workbook), read_only=True)
    assert len(wb.sheetnames) == 3
    bad = district_view(portfolio, ["xingshan"], ["equal"], "lots", "en")
    assert bad.problems and "lots" in bad.problems[0].en
