"""Shipping samples from a spreadsheet a county office fills in: a sample (or pairing), a carrier and a tracking
number a row. A preview names every bad row; then the valid rows, or nothing, are shipped in one transaction."""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from coordinator.domain import cells
from coordinator.domain import samples as rules
from coordinator.domain.access_facts import Actor, CampaignFacts, ItemFacts
from coordinator.domain.carriers import CARRIERS, NUMBER, normalized_number
from coordinator.domain.enums import SampleStatus
from coordinator.domain.errors import InvalidInput
from coordinator.domain.events import Outcome
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.i18n import _
from coordinator.models import Campaign, Product, Sample
from coordinator.services import access, samples
from coordinator.services.import_columns import Column, match_header
from coordinator.services.imports import UPLOAD_ID, ImportReport, RowError, UploadExpired
from coordinator.services.spreadsheets import read_table

KIND = "shipments"


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a tracking number typed as a number arrives as 1234567890123.0
    return str(value).strip()


SHIPMENT_COLUMNS = (
    Column("sample_id", ("样品编号", "样品ID", "sample_id", "sample id", "sample"), cells.to_int),
    Column("pairing_id", ("配对编号", "配对ID", "pairing_id", "pairing id", "pairing"), cells.to_int),
    Column("carrier", ("快递公司", "承运商", "快递", "carrier"), _text),
    Column("tracking_number", ("快递单号", "运单号", "单号", "tracking_number", "tracking number", "tracking no."), _text),
)
# Why a named sample cannot be shipped now, by its state.
STATE_PROBLEMS = {
    SampleStatus.REQUESTED.value: _("this sample is requested: approve it first"),
    SampleStatus.SHIPPED.value: _("this sample is shipped already"),
    SampleStatus.RECEIVED.value: _("this sample is received already"),
    SampleStatus.REJECTED.value: _("this sample was rejected"),
    SampleStatus.CANCELLED.value: _("this sample was cancelled"),
}
UNKNOWN_SAMPLE = _("unknown sample")
UNKNOWN_PAIRING = _("unknown pairing, or none of its samples is approved")
# Beyond this many ids in one file, the campaign's samples are read whole (no SQL parameter list that long).
MAX_NAMED = 5000


def may_import(actor: Actor, campaign_id: int) -> Campaign:
    """The campaign whose samples the actor may ship in bulk (its team's changers, a partner their counties')."""
    return access.campaign_for(actor, "campaign.samples", campaign_id)[0]


def preview(actor: Actor, campaign_id: int, filename: str, data: bytes) -> ImportReport:
    """Read and check a shipping spreadsheet without storing anything: every bad row with its column."""
    campaign, facts = access.campaign_for(actor, "campaign.samples", campaign_id)
    sheet = read_table(filename, data)
    columns = match_header(sheet.header, SHIPMENT_COLUMNS)
    titles = {c.field: sheet.header[i] for i, c in columns.items()}
    if not ({"sample_id", "pairing_id"} & titles.keys() and {"carrier", "tracking_number"} <= titles.keys()):
        raise InvalidInput("The sheet needs the columns 样品编号 (sample_id) or 配对编号 (pairing_id), "
                           "快递公司 (carrier) and 快递单号 (tracking_number).")
    read = [(number, *_read_row(number, row, columns, sheet.header)) for number, row in sheet.rows]
    by_id, by_pairing = _handleable(actor, campaign.id, facts, read)
    report = ImportReport(kind=KIND, total_rows=len(sheet.rows))
    seen: dict[int, int] = {}
    for number, values, errors in read:
        # A cell that is no id at all was named already; only ids that read can be looked up.
        sample, problems = (None, []) if errors else _identify(number, values, titles, by_id, by_pairing, seen)
        shipment, wrong = _shipment(number, values, titles)
        errors = [*errors, *problems, *wrong]
        if errors:
            report.errors.extend(errors)
        else:
            report.valid.append((number, {"sample_id": sample.id, "shipment": shipment}))
    report.errors.sort(key=lambda e: e.row)
    return report


def _read_row(number: int, row: list[Any], columns: dict[int, Column],
              header: list[str]) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors = []
    for index, column in columns.items():
        cell = row[index] if index < len(row) else None
        if cells.blank(cell) or column.field in values:
            continue
        try:
            values[column.field] = column.convert(cell)
        except ValueError as exc:
            errors.append(RowError(number, header[index], str(exc).replace("%", "%%")))
    return values, errors


def _handleable(actor: Actor, campaign_id: int, facts: CampaignFacts,
                read: list[tuple[int, dict, list]]) -> tuple[dict[int, Sample], dict[int, list[Sample]]]:
    """Every sample the file names (by id or pairing) that the actor may handle, in one query."""
    sample_ids = {values["sample_id"] for _n, values, _e in read if "sample_id" in values}
    pairing_ids = {values["pairing_id"] for _n, values, _e in read if "pairing_id" in values}
    stmt = (select(Sample, Product.county_id).join(Product, Product.id == Sample.product_id)
            .where(Sample.campaign_id == campaign_id).order_by(Sample.id))
    if len(sample_ids) + len(pairing_ids) <= MAX_NAMED:
        stmt = stmt.where(or_(Sample.id.in_(sample_ids), Sample.pairing_id.in_(pairing_ids)))
    by_id: dict[int, Sample] = {}
    by_pairing: dict[int, list[Sample]] = {}
    for sample, county in db.session.execute(stmt):
        # Another county's sample, for a partner, is as unknown as none: its row says "unknown" and nothing more.
        if access.allowed(actor, "sample.handle", ItemFacts(facts, sample.streamer_id, frozenset({county}))):
            by_id[sample.id] = sample
            if sample.pairing_id is not None:
                by_pairing.setdefault(sample.pairing_id, []).append(sample)
    return by_id, by_pairing


def _pairing_sample(candidates: list[Sample]) -> Sample | None:
    """A pairing's approved sample; else the one on its way, else its latest, whose state the row then names."""
    for wanted in ({SampleStatus.APPROVED.value}, rules.ON_THE_WAY):
        found = [s for s in candidates if s.status in wanted]
        if found:
            return found[0]
    return candidates[-1] if candidates else None


def _identify(number: int, values: dict[str, Any], titles: dict[str, str], by_id: dict[int, Sample],
              by_pairing: dict[int, list[Sample]], seen: dict[int, int]) -> tuple[Sample | None, list[RowError]]:
    """The row's sample and why it cannot be shipped: unknown, the wrong pairing, its state, named twice."""
    if "sample_id" not in values and "pairing_id" not in values:
        return None, [RowError(number, titles.get("sample_id") or titles["pairing_id"],
                               _("give a sample id or a pairing id"))]
    by = "sample_id" if "sample_id" in values else "pairing_id"
    column = titles[by]
    if by == "sample_id":
        sample = by_id.get(values["sample_id"])
        if sample is None:
            return None, [RowError(number, column, UNKNOWN_SAMPLE)]
        if "pairing_id" in values and values["pairing_id"] != sample.pairing_id:
            return None, [RowError(number, titles["pairing_id"], _("not this sample's pairing"))]
    else:
        sample = _pairing_sample(by_pairing.get(values["pairing_id"], []))
        if sample is None:
            return None, [RowError(number, column, UNKNOWN_PAIRING)]
    if sample.status != SampleStatus.APPROVED.value:
        return None, [RowError(number, column, STATE_PROBLEMS[sample.status])]
    if sample.id in seen:
        return None, [RowError(number, column, _("repeated in this file (row %(row)d)"), {"row": seen[sample.id]})]
    seen[sample.id] = number
    return sample, []


def _shipment(number: int, values: dict[str, Any], titles: dict[str, str]) -> tuple[Any, list[RowError]]:
    """The row's carrier and number as the rules check them, or why not."""
    missing = [RowError(number, titles[name], _("required")) for name in ("carrier", "tracking_number")
               if name not in values]
    if missing:
        return None, missing
    try:
        return rules.shipment(values["carrier"], values["tracking_number"]), []
    except InvalidInput as error:
        return None, [_shipment_error(number, values, titles, error.errors[0].field)]


def _shipment_error(number: int, values: dict[str, Any], titles: dict[str, str], field: str | None) -> RowError:
    if field == "carrier":
        return RowError(number, titles["carrier"], _("unknown carrier: use one of %(codes)s or its name"),
                        {"codes": ", ".join(c.code for c in CARRIERS)})
    if not NUMBER.fullmatch(normalized_number(values["tracking_number"])):
        return RowError(number, titles["tracking_number"], _("a tracking number is 6 to 32 letters and digits"))
    return RowError(number, titles["tracking_number"], _("not a tracking number of %(carrier)s"),
                    {"carrier": values["carrier"]})


def apply(actor: Actor, settings: Settings, campaign_id: int, report: ImportReport,
          all_or_nothing: bool) -> Outcome[ImportReport]:
    """Ship the previewed valid rows in one transaction, or nothing when all_or_nothing and any row is bad."""
    may_import(actor, campaign_id)
    if (all_or_nothing and report.errors) or not report.valid:
        return Outcome(report, [])
    shipments = [(values["sample_id"], values["shipment"]) for _number, values in report.valid]
    outcome = samples.ship_many(actor, settings, campaign_id, shipments)
    report.imported = len(outcome.value)
    return Outcome(report, outcome.events)


def stage(actor: Actor, settings: Settings, campaign_id: int, filename: str, data: bytes) -> tuple[ImportReport, str]:
    """Preview a shipping file and keep it until the handler confirms; returns the report and the upload's id."""
    report = preview(actor, campaign_id, filename, data)
    upload_id = secrets.token_hex(16)
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    folder = Path(settings.upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{actor.user_id}-{KIND}-{campaign_id}-{upload_id}{suffix}").write_bytes(data)
    return report, upload_id


def confirm_staged(actor: Actor, settings: Settings, campaign_id: int, upload_id: str,
                   all_or_nothing: bool) -> Outcome[ImportReport]:
    """Ship a staged file's rows (checked again first): the valid ones, or nothing unless every row is valid."""
    may_import(actor, campaign_id)
    # The id is 32 hex characters (checked here), so it cannot walk out of the folder.
    if not UPLOAD_ID.fullmatch(upload_id or ""):
        raise UploadExpired("That upload has expired; please choose the file again.")
    files = sorted(Path(settings.upload_dir).glob(f"{actor.user_id}-{KIND}-{campaign_id}-{upload_id}.*"))
    if not files:
        raise UploadExpired("That upload has expired; please choose the file again.")
    report = preview(actor, campaign_id, files[0].name, files[0].read_bytes())
    outcome = apply(actor, settings, campaign_id, report, all_or_nothing)
    files[0].unlink(missing_ok=True)
    return outcome
