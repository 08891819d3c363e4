"""Reading spreadsheets (CSV and XLSX) as header + rows of cell values (writing them: spreadsheet_writing).

Reading trusts nothing a file declares: rows, columns, cell text, unpacked size and time are capped, and every
way a file can be unreadable is a MalformedInput (TooLarge, 413, for sheer size).
"""
from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Callable

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from coordinator.domain.errors import MalformedInput

MAX_ROWS = 20000
# Rows a sheet may span, blank ones included; a row element further down ends the reading.
MAX_SHEET_ROWS = 2 * MAX_ROWS + 1
TOO_MANY_ROWS = f"At most {MAX_ROWS} rows can be imported at once."
MAX_COLUMNS = 64
MAX_CELL_CHARS = 5000
# All the text of one file: a 2 MiB upload holds far less unless a workbook repeats one shared string everywhere.
MAX_TEXT_CHARS = 16_000_000
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Spreadsheet XML compresses 15 to 25 to 1; a zip bomb's repetition compresses far better.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# openpyxl reads about 70 000 cells a second on two cores: a full 20 000-row product sheet takes 4 to 6 s.
READ_SECONDS = 10.0


class TooLarge(MalformedInput):
    """An upload whose contents are larger than the coordinator reads (413)."""

    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


@dataclass(frozen=True)
class Limits:
    """What reading one file may spend."""

    rows: int = MAX_ROWS
    seconds: float = READ_SECONDS
    text_chars: int = MAX_TEXT_CHARS
    unpacked_bytes: int = MAX_UNPACKED_BYTES

    @property
    def too_many_rows(self) -> str:
        """The refusal of a file with more rows."""
        return TOO_MANY_ROWS if self.rows == MAX_ROWS else f"At most {self.rows:,} rows can be read at once."


IMPORT_LIMITS = Limits()


# Makes, from a file's header, the function each of its rows' cells are converted with.
RowsAs = Callable[[list[str]], Callable[[list[Any]], Any]]


@dataclass
class Sheet:
    """A table read from a file: its header cells and its data rows, numbered as the user sees them."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read_table(filename: str, data: bytes, limits: Limits | None = None, rows_as: RowsAs | None = None) -> Sheet:
    """Read the first sheet of an XLSX file or a CSV file (UTF-8 with or without BOM, or GB18030), within the caps
    (an import's, unless others are given)."""
    limits = limits or Limits(seconds=READ_SECONDS)
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(data, Budget(limits), rows_as)
    if name.endswith((".csv", ".txt")):
        return _read_csv(data, Budget(limits), rows_as)
    raise MalformedInput("Upload a .xlsx or .csv file.")


class Budget:
    """What one reading may spend: time until its deadline, rows, columns and characters of text."""

    def __init__(self, limits: Limits = IMPORT_LIMITS) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.chars = 0
        self.row = 0

    def check_time(self) -> None:
        """Refuse the file once reading it has taken too long."""
        if time.monotonic() > self.deadline:
            raise MalformedInput(f"Reading the file took too long (over {self.limits.seconds:.0f} s); split it up.")

    def table(self, rows: Iterable[Sequence[Any]], rows_as: RowsAs | None = None) -> Sheet:
        """The header and the rows with content, every cap checked as each row arrives (each row converted by what
        rows_as makes of the header, if given: a large file's cells then need not all be kept)."""
        header: list[str] | None = None
        body: list[tuple[int, Any]] = []
        convert = None
        for number, row in enumerate(rows, start=1):
            self.row = number
            self.check_time()
            if number > 2 * self.limits.rows + 1:  # blank rows count too, up to as many again
                raise MalformedInput(self.limits.too_many_rows)
            if header is None and _has_content(row[MAX_COLUMNS:]):
                raise MalformedInput(f"A sheet may have at most {MAX_COLUMNS} columns.")
            cells = _trimmed(self._cells(row[:MAX_COLUMNS]))  # openpyxl pads rows out to max_col
            if header is None:
                header = [str(cell).strip() if cell is not None else "" for cell in cells]
                if rows_as is not None and any(header):
                    convert = rows_as(header)
            elif _has_content(cells):
                if len(body) == self.limits.rows:
                    raise MalformedInput(self.limits.too_many_rows)
                body.append((number, convert(cells) if convert else cells))
        if not header or not any(header):
            raise MalformedInput("The first row must hold the column names.")
        return Sheet(header, body)

    def _cells(self, row: Sequence[Any]) -> list[Any]:
        lengths = [len(cell) if type(cell) is str else 0 for cell in row]
        longest = max(lengths, default=0)
        if longest > MAX_CELL_CHARS:
            column = get_column_letter(lengths.index(longest) + 1)
            raise MalformedInput(f"Cell {column}{self.row} holds more than {MAX_CELL_CHARS} characters.")
        self.chars += sum(lengths)
        if self.chars > self.limits.text_chars:
            raise MalformedInput(f"The file holds more than {self.limits.text_chars:,} characters of text; split it.")
        return list(row)


class _TimedBytes(io.BytesIO):
    """The upload as a file whose every read checks the deadline, so unpacking and parsing stay bounded too."""

    def __init__(self, data: bytes, budget: Budget) -> None:
        super().__init__(data)
        self._budget = budget

    def read(self, size: int | None = -1) -> bytes:
        """The next bytes, unless the reading is out of time."""
        self._budget.check_time()
        return super().read(size)


def _read_xlsx(data: bytes, budget: Budget, rows_as: RowsAs | None = None) -> Sheet:
    refuse_bombs(data, budget.limits)
    workbook = None
    try:
        workbook = load_workbook(_TimedBytes(data, budget), read_only=True, data_only=True)
        # The bounds are ours: a sheet's declared dimension (A1:XFD1048576) never decides how much is read.
        rows = workbook.worksheets[0].iter_rows(max_row=2 * budget.limits.rows + 2, max_col=MAX_COLUMNS + 1, values_only=True)
        return budget.table(rows, rows_as)
    except MalformedInput:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file, at opening or halfway through a sheet
        where = f" after row {budget.row - 1}" if budget.row > 1 else ""
        raise MalformedInput(f"The file is not a readable XLSX workbook{where}: it is damaged, or was not saved by a "
                             "spreadsheet program.") from exc
    finally:
        if workbook is not None:
            workbook.close()


def refuse_bombs(data: bytes, limits: Limits = IMPORT_LIMITS) -> None:
    """Refuse a zip that would unpack to too much, from its directory alone, before anything is unpacked."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as exc:  # zipfile too: BadZipFile, NotImplementedError, EOFError, struct.error
        raise MalformedInput("The file is not a readable XLSX workbook.") from exc
    # zipfile stops at each member's declared size (and fails its CRC), so these sizes bound what is unpacked.
    if sum(member.file_size for member in members) > limits.unpacked_bytes:
        raise TooLarge(f"The workbook unpacks to more than {limits.unpacked_bytes >> 20} MiB; split it up.")
    if any(member.file_size > max(RATIO_CHECKED_FROM_BYTES, MAX_COMPRESSION_RATIO * member.compress_size)
           for member in members):
        raise MalformedInput(f"The workbook is compressed more than {MAX_COMPRESSION_RATIO} to 1, as zip bombs are "
                             "and spreadsheets are not; save it again from your spreadsheet program.")


def _read_csv(data: bytes, budget: Budget, rows_as: RowsAs | None = None) -> Sheet:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise MalformedInput("The CSV file is neither UTF-8 nor GB18030 text.")
    if "\x00" in text:
        raise MalformedInput("The file holds NUL characters, so it is no CSV text; save it again as CSV UTF-8.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return budget.table(reader, rows_as)
    except csv.Error as exc:
        raise MalformedInput(f"The CSV file cannot be read at line {reader.line_num}: {exc}.") from exc


def _trimmed(cells: list[Any]) -> list[Any]:
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


def _has_content(row: Iterable[Any]) -> bool:
    for cell in row:  # a loop, not any(): this runs for every row of a 250,000-row export
        if cell is not None and cell != "" and (type(cell) is not str or not cell.isspace()):
            return True
    return False
