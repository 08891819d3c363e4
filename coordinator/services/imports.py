"""Importing products and streamers from spreadsheets: a preview with every bad row, then valid rows or nothing."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coordinator.domain.catalog import availability_errors, harvest_window_errors, parse_clock
from coordinator.domain import plain_errors
from coordinator.domain.cells import blank
from coordinator.domain.access_facts import Actor
from coordinator.domain.errors import Conflict, DomainError, InvalidInput
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import AvailabilityWindow, County, Product, Streamer
from coordinator.schemas.catalog import ProductIn, StreamerIn
from coordinator.services import access, audit
from coordinator.services.import_columns import PLATFORM_ALIASES, PRODUCT_COLUMNS, STREAMER_COLUMNS, match_header
from coordinator.services.spreadsheets import read_table
from coordinator.i18n import _

KINDS = {"products": PRODUCT_COLUMNS, "streamers": STREAMER_COLUMNS}
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


class UploadExpired(DomainError):
    """A previewed file that is no longer kept (imported already, or never staged)."""

    status = 410
    title = "Gone"
    slug = "upload-expired"


@dataclass
class RowError:
    """One problem: the row number as the spreadsheet shows it, the column's header, a message.

    `message` is a %-format message id (pages translate it and fill in `values`); `text` is it in English.
    """

    row: int
    column: str
    message: str
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message in English with its values filled in."""
        return plain_errors.render(self.message, self.values)


def _literal(text: str) -> str:
    """A message that is not a catalog id, made safe for %-formatting."""
    return text.replace("%", "%%")


@dataclass
class ImportReport:
    """What a file holds: valid rows ready to store and every bad row."""

    kind: str
    total_rows: int
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0

    @property
    def bad_rows(self) -> list[int]:
        """The numbers of the rows with at least one error."""
        return sorted({error.row for error in self.errors})


def preview(actor: Actor, kind: str, filename: str, data: bytes) -> ImportReport:
    """Read and check a spreadsheet without storing anything."""
    access.require(actor, "product.list" if kind == "products" else "streamer.create")
    if kind not in KINDS:
        raise InvalidInput(f"Unknown import kind {kind!r}; use products or streamers.")
    sheet = read_table(filename, data)
    columns = match_header(sheet.header, KINDS[kind])
    if kind == "products" and not {"name", "sku"} <= {c.field for c in columns.values()}:
        raise InvalidInput("The sheet needs at least the columns 名称 (name) and SKU.")
    if kind == "streamers" and "handle" not in {c.field for c in columns.values()}:
        raise InvalidInput("The sheet needs at least the column 账号 (handle).")
    report = ImportReport(kind=kind, total_rows=len(sheet.rows))
    titles = {c.field: sheet.header[i] for i, c in columns.items()}
    counties = _county_lookup(actor) if kind == "products" else {}
    for number, cells_ in sheet.rows:
        values, errors = _read_row(number, cells_, columns, sheet.header)
        if not errors:
            values, errors = _check_row(kind, number, values, titles, counties)
        if errors:
            report.errors.extend(errors)
        else:
            report.valid.append((number, values))
    _flag_duplicates(report, titles)
    return report


def _read_row(number, cells_, columns, header) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors = []
    for index, column in columns.items():
        cell = cells_[index] if index < len(cells_) else None
        if blank(cell):
            continue
        try:
            values[column.field] = column.convert(cell)
        except ValueError as exc:
            errors.append(RowError(number, header[index], _literal(str(exc))))
    return values, errors


def _plain(error: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    message, values = plain_errors.plain_error(error)
    return (message, values) if values or message in plain_errors.KNOWN else (_literal(message), {})


def _county_lookup(actor: Actor) -> dict[tuple[str, str], list[County]]:
    stmt = select(County).where(access.counties_clause(actor))
    lookup: dict[tuple[str, str], list[County]] = {}
    for county in db.session.scalars(stmt):
        lookup.setdefault((county.name, ""), []).append(county)
        lookup.setdefault((county.name, county.province), []).append(county)
    return lookup


def _check_row(kind, number, values, titles, counties) -> tuple[dict[str, Any], list[RowError]]:
    if kind == "products":
        found = counties.get((values.pop("county", ""), values.pop("province", "")), [])
        if len(found) != 1:
            message = (_("unknown county (or one you do not manage)") if not found
                       else _("several counties have this name; add 省份"))
            return values, [RowError(number, titles.get("county", "县域"), message)]
        values["county_id"] = found[0].id
        schema, extra = ProductIn, harvest_window_errors(values.get("available_from"), values.get("available_to"))
    else:
        values["platform"] = PLATFORM_ALIASES.get(values.get("platform", ""), values.get("platform", ""))
        windows = values.pop("availability", [])
        schema, extra = StreamerIn, availability_errors(windows)
        values["availability"] = [{"weekday": d, "start": f"{s // 60:02d}:{s % 60:02d}",
                                   "end": f"{e // 60:02d}:{e % 60:02d}"} for d, s, e in windows]
    try:
        checked = schema.model_validate(values).model_dump()
    except ValidationError as exc:
        return values, [RowError(number, titles.get(str(e["loc"][0]), str(e["loc"][0])), *_plain(e))
                        for e in exc.errors(include_url=False)]
    if extra:
        field_name = extra[0].field.split(".")[0] if extra[0].field else ""
        return values, [RowError(number, titles.get(field_name, field_name), _literal(e.message)) for e in extra]
    return checked, []


def _flag_duplicates(report: ImportReport, titles: dict[str, str]) -> None:
    """A key already stored, or repeated in the file, makes the later row bad."""
    key = "sku" if report.kind == "products" else "handle"
    keys = [values[key].lower() for _, values in report.valid]
    if report.kind == "products":
        taken = set(k.lower() for k in db.session.scalars(select(Product.sku).where(func.lower(Product.sku).in_(keys))))
    else:
        taken = set(db.session.scalars(select(func.lower(Streamer.handle)).where(func.lower(Streamer.handle).in_(keys))))
    seen: set[str] = set()
    kept = []
    for number, values in report.valid:
        value = values[key].lower()
        if value in taken or value in seen:
            report.errors.append(RowError(number, titles.get(key, key),
                                          _("already exists") if value in taken else _("repeated in this file")))
        else:
            kept.append((number, values))
        seen.add(value)
    report.valid = kept
    report.errors.sort(key=lambda e: e.row)


def apply(actor: Actor, report: ImportReport, all_or_nothing: bool) -> ImportReport:
    """Store the valid rows, or nothing at all when all_or_nothing and any row is bad; the importer manages
    the streamers they import."""
    access.require(actor, "product.list" if report.kind == "products" else "streamer.create")
    if all_or_nothing and report.errors:
        return report
    for _number, values in report.valid:
        row = _build(report.kind, values, actor)
        db.session.add(row)
        db.session.flush()
        audit.record(actor, "import", row, None, audit.snapshot(row))
    try:
        db.session.commit()
    except IntegrityError as exc:  # an SKU or handle taken since the preview
        db.session.rollback()
        raise Conflict("Another change took one of these SKUs or handles meanwhile; preview the file again.") from exc
    report.imported = len(report.valid)
    return report


def _build(kind: str, values: dict[str, Any], actor: Actor):
    if kind == "products":
        return Product(**values)
    windows = values.pop("availability")
    streamer = Streamer(**values, manager_id=actor.user_id)
    streamer.availability = [AvailabilityWindow(weekday=w["weekday"], start_minute=parse_clock(w["start"]),
                                                end_minute=parse_clock(w["end"])) for w in windows]
    return streamer


def stage(actor: Actor, settings: Settings, kind: str, filename: str, data: bytes) -> tuple[ImportReport, str]:
    """Preview a file and keep it until the commissioner confirms the import; returns the report and its id."""
    report = preview(actor, kind, filename, data)
    upload_id = secrets.token_hex(16)
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    folder = Path(settings.upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{actor.user_id}-{kind}-{upload_id}{suffix}").write_bytes(data)
    return report, upload_id


def confirm_staged(actor: Actor, settings: Settings, kind: str, upload_id: str, all_or_nothing: bool) -> ImportReport:
    """Import a staged file (checked again first): its valid rows, or nothing unless every row is valid."""
    access.require(actor, "product.list" if kind == "products" else "streamer.create")
    # The id is 32 hex characters (checked here), so it cannot walk out of the folder.
    if not UPLOAD_ID.fullmatch(upload_id or "") or kind not in KINDS:
        raise UploadExpired("That upload has expired; please choose the file again.")
    files = sorted(Path(settings.upload_dir).glob(f"{actor.user_id}-{kind}-{upload_id}.*"))
    if not files:
        raise UploadExpired("That upload has expired; please choose the file again.")
    report = apply(actor, preview(actor, kind, files[0].name, files[0].read_bytes()), all_or_nothing)
    files[0].unlink(missing_ok=True)
    return report


def may_import(actor: Actor, kind: str) -> None:
    """Refuse the import pages to anyone who may not import this kind."""
    access.require(actor, "product.list" if kind == "products" else "streamer.create")
