"""A campaign's samples board as a spreadsheet (each reader's share), and the shipping sheet a county office fills
in: its approved samples with where they go, carrier and number left blank for the shipping import."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from coordinator.domain import downloads
from coordinator.domain.access_facts import Actor, ItemFacts
from coordinator.domain.downloads import Download
from coordinator.domain.enums import SampleStatus
from coordinator.domain.settings import Settings
from coordinator.services import access, sample_board
from coordinator.services.sample_board import SampleLine
from coordinator.services.spreadsheet_writing import write_csv, write_xlsx

BOARD_HEADER = ["样品编号", "县域", "产品", "主播", "数量", "状态", "快递公司", "快递单号", "物流链接", "延误",
                "延误场次", "申请时间", "批准时间", "发货时间", "签收时间", "收件人", "电话", "收件地址"]
# The import reads 样品编号, 配对编号, 快递公司 and 快递单号; the columns between say what to pack and where it goes.
TEMPLATE_HEADER = ["样品编号", "配对编号", "县域", "产品", "SKU", "数量", "主播", "收件人", "电话", "收件地址",
                   "快递公司", "快递单号"]


def _local(settings: Settings, moment: datetime | None) -> datetime | None:
    """A stored time as the coordinator's wall clock (spreadsheet cells carry no zone)."""
    return moment.astimezone(settings.zone).replace(tzinfo=None) if moment else None


def _late_sessions(settings: Settings, line: SampleLine) -> list[str]:
    return [f"{session.title or '#' + str(session.id)} {_local(settings, session.starts_at):%Y-%m-%d %H:%M}"
            for session in line.late_sessions]


def _ship_to(line: SampleLine) -> list[str | None]:
    address = line.ship_to
    return [address.recipient, address.phone, address.address] if address else [None, None, None]


def _board_row(settings: Settings, line: SampleLine) -> list[Any]:
    sample = line.sample
    return [sample.id, line.county.name, line.product.name, line.streamer.display_name, sample.quantity,
            sample.status, line.carrier_name or None, sample.tracking_number, line.tracking_url,
            "是" if line.late else "否", _late_sessions(settings, line),
            *(_local(settings, moment) for moment in (sample.requested_at, sample.approved_at, sample.shipped_at,
                                                       sample.received_at)),
            *_ship_to(line)]


def board_table(actor: Actor, settings: Settings, campaign_id: int) -> tuple[list[str], list[list[Any]]]:
    """The samples board as (header, rows): the team every sample, a partner their counties' (campaign.read_part)."""
    access.campaign_for(actor, "campaign.read_part", campaign_id)
    lines = sample_board.campaign_samples(actor, settings, campaign_id)
    return BOARD_HEADER, [_board_row(settings, line) for line in lines]


def board_xlsx(actor: Actor, settings: Settings, campaign_id: int) -> Download:
    """The samples board as an XLSX workbook (times are date-time cells, text never a formula)."""
    header, rows = board_table(actor, settings, campaign_id)
    return downloads.xlsx(write_xlsx([("样品", header, rows)]), f"campaign-{campaign_id}-samples.xlsx")


def board_csv(actor: Actor, settings: Settings, campaign_id: int) -> Download:
    """The samples board as UTF-8 CSV."""
    header, rows = board_table(actor, settings, campaign_id)
    return downloads.csv(write_csv(header, rows), f"campaign-{campaign_id}-samples.csv")


def shipping_template(actor: Actor, settings: Settings, campaign_id: int) -> Download:
    """A CSV of the campaign's approved samples the actor may ship, ids and ship-to filled in, carrier and number
    blank: what a county office fills in and imports."""
    _campaign, facts = access.campaign_for(actor, "campaign.samples", campaign_id)
    lines = [line for line in sample_board.campaign_samples(actor, settings, campaign_id, SampleStatus.APPROVED.value)
             if access.allowed(actor, "sample.handle", ItemFacts(facts, line.sample.streamer_id,
                                                                 frozenset({line.county.id})))]
    rows = [[line.sample.id, line.sample.pairing_id, line.county.name, line.product.name, line.product.sku,
             line.sample.quantity, line.streamer.display_name, *_ship_to(line), None, None] for line in lines]
    return downloads.csv(write_csv(TEMPLATE_HEADER, rows), f"campaign-{campaign_id}-shipping.csv")
