"""A file a use case hands to the browser: what every export returns."""
from __future__ import annotations

from dataclasses import dataclass

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Download:
    """A file for the browser to save: its bytes, type and name."""

    data: bytes
    mimetype: str
    filename: str


def xlsx(data: bytes, filename: str) -> Download:
    """A workbook download."""
    return Download(data, XLSX_MIMETYPE, filename)


def csv(data: bytes, filename: str) -> Download:
    """A UTF-8 CSV download."""
    return Download(data, CSV_MIMETYPE, filename)
