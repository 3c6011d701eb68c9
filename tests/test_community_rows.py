"""documents/community_rows.py: workspace rows, filters and the community workbook agree
with the library's check of the community."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from elevator.core.paths import CHECKOUT
from elevator.documents.community_rows import (
    NO_STAGE,
    community_workbook,
    filter_rows,
    reason_options,
    stage_options,
    verdict_options,
    work_rows,
)
from elevator.plan.community import check_community

XINGFA = CHECKOUT / "cases" / "communities" / "xingfa" / "community.yaml"


def test_rows_follow_the_check() -> None:
    result = check_community(XINGFA)
    rows = work_rows(result)
    assert len(rows) == len(result.rows) == 50
    for v, n in result.counts.items():
        assert len(filter_rows(rows, verdict=v)) == n
    for key, words in reason_options(rows).items():
        matching = filter_rows(rows, reason=key)
        assert words.endswith(f"（{len(matching)}）") and matching
        assert "{" not in words and "_" not in words
    assert sum(len(filter_rows(rows, stage=s)) for s in stage_options(rows)) == 50
    assert set(verdict_options(rows)) == {v for v, n in result.counts.items() if n}
    # blocking stairwells are explained by their blocking items, nothing else
    for r, row in zip(result.rows, rows, strict=True):
        if r.assessment.blocking:
            assert [k for k, _ in row.reasons] == [f"blocking:{b}" for b in r.assessment.blocking]
        assert row.stage == (r.stairwell.stage or NO_STAGE)


def test_workbook_holds_every_stairwell() -> None:
    result = check_community(XINGFA)
    data = community_workbook(result)
    assert data.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ("小区", result.name)
    header = next(i for i, r in enumerate(values) if r[0] == "楼栋")
    assert len(values) - header - 1 == 50
    assert {r[0] for r in values[header + 1 :]} == {r.stairwell.building for r in result.rows}
