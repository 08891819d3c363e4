"""Reading and writing spreadsheets (CSV and XLSX) as header + rows of cell values."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from coordinator.domain.errors import MalformedInput

MAX_ROWS = 20000


@dataclass
class Sheet:
    """A table read from a file: its header cells and its data rows, numbered as the user sees them."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read_table(filename: str, data: bytes) -> Sheet:
    """Read the first sheet of an XLSX file or a CSV file (UTF-8 with or without BOM, or GB18030)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(data)
    raise MalformedInput("Upload a .xlsx or .csv file.")


def _read_xlsx(data: bytes) -> Sheet:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise MalformedInput("The file is not a readable XLSX workbook.") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    body = [(number, list(row)) for number, row in enumerate(rows, start=2) if _has_content(row)]
    workbook.close()
    return _checked(Sheet(header, body))


def _read_csv(data: bytes) -> Sheet:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise MalformedInput("The CSV file is neither UTF-8 nor GB18030 text.")
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    body = [(number, row) for number, row in enumerate(reader, start=2) if _has_content(row)]
    return _checked(Sheet(header, body))


def _has_content(row: Iterable[Any]) -> bool:
    return any(cell not in (None, "") and str(cell).strip() for cell in row)


def _checked(sheet: Sheet) -> Sheet:
    if not any(sheet.header):
        raise MalformedInput("The first row must hold the column names.")
    if len(sheet.rows) > MAX_ROWS:
        raise MalformedInput(f"At most {MAX_ROWS} rows can be imported at once.")
    return sheet


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "\n".join(str(item) for item in value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_xlsx(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, header, rows), header bold and frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(name)) * 2 + 4))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a BOM, so spreadsheet programs open the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, (date, datetime)) else _cell(v)
                         for v in row])
    return out.getvalue().encode("utf-8-sig")
