"""Writing spreadsheets (CSV and XLSX), each cell typed by its Python value.

str is text, never a formula (in CSV one beginning with = + - @, a tab or a carriage return gets a leading ');
int and float are numbers; Decimal is money in yuan, a number shown '#,##0.00' (two decimals in CSV); date and
datetime are date and date-time cells (pass the coordinator's wall time: a zone is dropped, not converted); a list
is the lines of one text cell; None is empty; the rest is str().
"""
from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Workbooks carry no time of their own (openpyxl stamps the moment of saving into the file and its zip).
FIXED_TIME = datetime(2000, 1, 1)
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
Formats = tuple[tuple[type, str], ...]
NUMBER_FORMATS: Formats = ((datetime, "yyyy-mm-dd hh:mm"), (date, "yyyy-mm-dd"), (Decimal, "#,##0.00"))


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "\n".join(str(item) for item in value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
        return str(value)  # XLSX has no number cell for infinity or NaN
    if value is None or isinstance(value, (str, int, float, Decimal, date)):
        return value
    return str(value)


def _put(cell, value: Any, formats: Formats = NUMBER_FORMATS) -> None:
    value = _plain(value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.data_type = "s"  # openpyxl makes a formula of any str beginning with =; this keeps it text
        return
    cell.value = value
    form = next((form for kind, form in formats if isinstance(value, kind)), None)
    if form is not None:  # the rest keep the default format (and cost no style of their own)
        cell.number_format = form


def write_xlsx(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, header, rows), header bold and frozen, cells typed as above."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        add_sheet(workbook, title, header, rows)
    return workbook_bytes(workbook)


def add_sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]],
              formats: Formats = NUMBER_FORMATS) -> Worksheet:
    """A sheet of (header, rows) added to a workbook, header bold and frozen, cells typed as above (formats: the
    number format of each kind of value, first match wins)."""
    sheet = workbook.create_sheet(title[:31])
    for row_number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            _put(sheet.cell(row=row_number, column=column), value, formats)
    for index, name in enumerate(header, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(name)) * 2 + 4))
    sheet.freeze_panes = "A2"
    return sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    """A workbook saved, stamped with FIXED_TIME so the same content gives the same bytes."""
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    out = io.BytesIO()
    workbook.save(out)
    return _repacked(out.getvalue())


def _repacked(data: bytes) -> bytes:
    """The same workbook with every member stamped FIXED_TIME: the same plan gives the same bytes, so an export
    can be compared with an earlier one."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            stamped = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            stamped.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(member)
            if member.filename == "docProps/core.xml":  # openpyxl writes the time of saving as "modified"
                content = MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(stamped, content)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds" if value.second or value.microsecond else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent >= -2 else f"{value:f}"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a BOM, so spreadsheet programs open the Chinese text correctly; cells typed as above."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
