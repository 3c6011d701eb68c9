"""The SQLite store: seeding once, versioned saves, refused stale saves, no partial writes,
and the app's import rules (size limit, household sheets)."""

from __future__ import annotations

import copy
import io

import openpyxl
import pytest

from elevator.core.errors import ProjectError
from elevator.model.imports import (
    MAX_UPLOAD_BYTES,
    blank_project,
    households_from_sheet,
    project_from_file,
)
from elevator.store.db import Conflict, Store


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "s.sqlite3")


def sample(store: Store):
    return next(r for r in store.list_projects() if r.name == "兴发小区 3栋 1单元")


def test_seeded_once(tmp_path) -> None:
    path = tmp_path / "s.sqlite3"
    first = Store(path)
    n = len(first.list_projects())
    assert n >= 1 and first.communities()
    first.delete(sample(first).id, 1)
    assert len(Store(path).list_projects()) == n - 1  # a restart does not re-seed


def test_save_bumps_version_and_keeps_history(store: Store) -> None:
    rec = sample(store)
    data = copy.deepcopy(rec.data)
    data["costs"]["fixed"] = "390000"
    saved = store.save(rec.id, data, rec.version)
    assert saved.version == rec.version + 1 and saved.data["costs"]["fixed"] == "390000"
    assert store.history(rec.id) == [(rec.version, rec.updated_at)]


def test_stale_save_refused_with_latest(store: Store) -> None:
    rec = sample(store)
    a, b = copy.deepcopy(rec.data), copy.deepcopy(rec.data)
    a["name"] = "A"
    b["name"] = "B"
    store.save(rec.id, a, rec.version)
    with pytest.raises(Conflict) as info:
        store.save(rec.id, b, rec.version)
    assert info.value.latest.data["name"] == "A" and "Save refused" in info.value.en
    assert store.get(rec.id).data["name"] == "A"


def test_invalid_save_writes_nothing(store: Store) -> None:
    rec = sample(store)
    bad = copy.deepcopy(rec.data)
    bad["building"]["households"][0]["area_m2"] = "-1"
    with pytest.raises(ProjectError) as info:
        store.save(rec.id, bad, rec.version)
    assert info.value.problems[0].field == "building.households[0].area_m2"
    assert store.get(rec.id) == rec


def test_search(store: Store) -> None:
    assert "兴发小区 3栋 1单元" in [r.name for r in store.list_projects("3栋")]
    assert all("兴发" in (r.name + (r.community or "")) for r in store.list_projects("兴发"))
    assert store.list_projects("no such thing") == []


def test_upload_over_limit_refused() -> None:
    with pytest.raises(ProjectError) as info:
        project_from_file("big.yaml", b"#" * (MAX_UPLOAD_BYTES + 1))
    assert "file too large" in info.value.problems[0].en
    with pytest.raises(ProjectError):
        households_from_sheet("big.csv", b"a" * (MAX_UPLOAD_BYTES + 1))


def test_project_file_problems_named() -> None:
    with pytest.raises(ProjectError) as info:
        project_from_file("p.json", b'{"name": "x"}')
    assert {p.field for p in info.value.problems} >= {"building", "costs"}


def test_household_sheets_csv_and_xlsx() -> None:
    csv = "户号,楼层,面积,参与\n101,1,70,是\n201,2,71.5,否\n".encode()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "floor", "area_m2", "participates"])
    ws.append([101, 1, 70, "yes"])
    ws.append([201, 2, 71.5, "no"])
    buf = io.BytesIO()
    wb.save(buf)
    for name, content in (("h.csv", csv), ("h.xlsx", buf.getvalue())):
        hs = households_from_sheet(name, content)
        data = blank_project("t", "", "", "", "300000", hs)
        assert data["building"]["floors"] == 2
        assert [h["participates"] for h in data["building"]["households"]] == [True, False]
        assert data["building"]["households"][1]["area_m2"] == "71.5"


def test_sheet_unknown_column() -> None:
    with pytest.raises(ProjectError) as info:
        households_from_sheet("h.csv", "户号,楼层,面积,颜色\n101,1,70,红\n".encode())
    assert "unknown column" in info.value.problems[0].en
