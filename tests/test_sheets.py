"""Reading the spreadsheets people bring: UTF-8 (with BOM), GB18030, XLSX, limits."""

import io

import openpyxl
import pytest

from elevator.core.errors import ProjectError
from elevator.model.imports import households_from_sheet
from elevator.model.sheets import read_rows

CSV = "户号,楼层,面积\n101,1,72.5\n201,2,65\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_excel_writes(encoding):
    assert read_rows(CSV.encode(encoding), "s.csv") == [
        ["户号", "楼层", "面积"],
        ["101", "1", "72.5"],
        ["201", "2", "65"],
    ]
    assert households_from_sheet("s.csv", CSV.encode(encoding)) == [
        {"id": "101", "floor": 1, "area_m2": "72.5"},
        {"id": "201", "floor": 2, "area_m2": "65"},
    ]


def test_xlsx_first_sheet_and_empty_cells():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "floor", "area_m2", "note"])
    ws.append([101, 1, 72.5, None])
    buf = io.BytesIO()
    wb.save(buf)
    assert read_rows(buf.getvalue(), "s.xlsx") == [
        ["id", "floor", "area_m2", "note"],
        [101, 1, 72.5, ""],
    ]


def test_limits_and_broken_files():
    many = ("户号,楼层,面积\n" + "".join(f"{i},1,50\n" for i in range(10))).encode()
    assert len(read_rows(many, "s.csv", max_rows=3)) == 5  # header + 3 + one past the limit
    with pytest.raises(ProjectError) as e:
        read_rows(b"not a zip", "s.xlsx")
    assert "XLSX" in str(e.value)
    with pytest.raises(ProjectError) as e:
        read_rows(b"\xff", "s.csv")  # neither UTF-8 nor GB18030
    assert "UTF-8" in str(e.value)
