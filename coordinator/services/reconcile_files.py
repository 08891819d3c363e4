"""Reading a platform's order export: up to 250,000 rows of CSV or XLSX, within time and size caps.

XLSX is read with calamine (Rust), which reads a 200,000-row sheet in a few seconds where openpyxl takes a
minute; the zip is checked for bombs first, as every workbook the coordinator reads is.
"""
from __future__ import annotations

import io
import itertools

from python_calamine import CalamineWorkbook

from coordinator.domain.errors import MalformedInput
from coordinator.services.spreadsheets import Budget, Limits, RowsAs, Sheet, read_table, refuse_bombs

# Reading includes reading each row into its fields; the cap guards the server, not the promise (30 s).
EXPORT_LIMITS = Limits(rows=250_000, seconds=60.0, text_chars=100_000_000, unpacked_bytes=400 * 1024 * 1024)
# The upload itself: a 250,000-row CSV is about 25 MB.
MAX_EXPORT_BYTES = 64 * 1024 * 1024


def read_export(filename: str, data: bytes, rows_as: RowsAs | None = None) -> Sheet:
    """The export's header and rows (each converted by what rows_as makes of the header), as a spreadsheet import
    reads them but with the export's caps."""
    if len(data) > MAX_EXPORT_BYTES:
        raise MalformedInput(f"The file is larger than {MAX_EXPORT_BYTES >> 20} MiB; export fewer days at once.")
    if not (filename or "").lower().endswith(".xlsx"):
        return read_table(filename, data, EXPORT_LIMITS, rows_as)
    refuse_bombs(data, EXPORT_LIMITS)
    budget = Budget(EXPORT_LIMITS)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        first_row, first_column = sheet.start or (0, 0)
        rows = ([None] * first_column + row for row in sheet.iter_rows())
        return budget.table(itertools.chain(itertools.repeat([], first_row), rows), rows_as)
    except MalformedInput:
        raise
    except Exception as exc:  # calamine raises its own errors for a damaged or foreign file
        raise MalformedInput("The file is not a readable XLSX workbook: it is damaged, or was not saved by a "
                             "spreadsheet program.") from exc
