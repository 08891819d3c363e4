"""What the reconciliation pages show beside a reconciliation: the ingest keys a campaign's exports come from, with
the mapping each remembers, the rows of each kind in the page's order, and the names of the sessions and products
the rows name (this campaign's only: a row may name another campaign's session)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select

from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import CampaignStatus
from coordinator.domain.reconcile import RowKind
from coordinator.domain.reconcile_columns import suggested
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignProduct, IngestKey, IngestKeyCampaign, LiveSession, Product, Reconciliation, ReconciliationRow,
    Streamer,
)
from coordinator.services import access, reconcile

# Not matched first, in the order a person deals with them; matched last.
PAGE_ORDER = (RowKind.DIFFERENT, RowKind.MISSING_HERE, RowKind.MISSING_THERE, RowKind.UNKNOWN, RowKind.INVALID,
              RowKind.MATCHED)
SHOWN_ROWS = 200


@dataclass(frozen=True)
class KeyChoice:
    """An ingest key an export may come from, and the column mapping it remembers."""

    key_id: str
    name: str
    revoked: bool
    mapping: dict[str, str]


@dataclass
class CampaignReconciliations:
    """A campaign's reconciliations, their keys' names, and the keys to upload with for those who may."""

    campaign: Campaign
    reconciliations: list[Reconciliation]
    key_names: dict[int, tuple[str, str]]  # ingest key row id -> (name, KEY_ID)
    may_upload: bool
    keys: list[KeyChoice] = field(default_factory=list)


@dataclass
class Section:
    """One kind's rows as the page lists them: how many there are, and the first of them."""

    kind: RowKind
    count: int
    rows: list[ReconciliationRow]


@dataclass
class ReconciliationPage:
    """A reconciliation with its campaign, key, sections and names, and whether the reader may apply it."""

    rec: Reconciliation
    campaign: Campaign
    key: IngestKey
    sections: list[Section]
    sessions: dict[int, str]
    products: dict[int, str]
    may_apply: bool
    closed: bool


def may_read(actor: Actor, campaign_id: int) -> bool:
    """Whether the actor may read the campaign's reconciliations (for the links to them)."""
    campaign = db.session.get(Campaign, campaign_id)
    return campaign is not None and access.allowed(actor, "campaign.read", access.campaign_facts(actor, campaign))


def campaign_keys(campaign_id: int) -> list[KeyChoice]:
    """The keys that post sales for the campaign (every campaign's and its own), usable ones first."""
    own = select(IngestKeyCampaign.key_id).where(IngestKeyCampaign.campaign_id == campaign_id)
    found = db.session.scalars(select(IngestKey).where(or_(IngestKey.all_campaigns.is_(True), IngestKey.id.in_(own)))
                               .order_by(IngestKey.revoked_at.is_not(None), IngestKey.name, IngestKey.id))
    return [KeyChoice(key.key_id, key.name, key.revoked_at is not None, reconcile.remembered_mapping(key))
            for key in found]


def campaign_list(actor: Actor, campaign_id: int) -> CampaignReconciliations:
    """A campaign's reconciliations (campaign.read), and the keys to upload with for campaign.change."""
    recs = reconcile.campaign_reconciliations(actor, campaign_id)
    campaign, facts = access.campaign_for(actor, "campaign.read", campaign_id)
    key_ids = {rec.ingest_key_id for rec in recs}
    names = {row.id: (row.name, row.key_id) for row in db.session.execute(
        select(IngestKey.id, IngestKey.name, IngestKey.key_id).where(IngestKey.id.in_(key_ids)))} if key_ids else {}
    may_upload = access.allowed(actor, "campaign.change", facts)
    return CampaignReconciliations(campaign, recs, names, may_upload, campaign_keys(campaign_id) if may_upload else [])


def reconciliation_page(actor: Actor, reconciliation_id: int, limit: int = SHOWN_ROWS) -> ReconciliationPage:
    """A reconciliation (campaign.read) with its first rows of each kind and the names they need."""
    rec = reconcile.reconciliation_for(actor, reconciliation_id)
    campaign, facts = access.campaign_for(actor, "campaign.read", rec.campaign_id)
    sections = [Section(kind, getattr(rec, kind.value), reconcile.rows_of(rec, kind, limit)) for kind in PAGE_ORDER]
    sessions, products = _names(campaign.id, [row for section in sections for row in section.rows])
    return ReconciliationPage(rec, campaign, db.session.get(IngestKey, rec.ingest_key_id), sections, sessions,
                              products, access.allowed(actor, "campaign.change", facts),
                              campaign.status == CampaignStatus.CLOSED.value)


def _names(campaign_id: int, rows: list[ReconciliationRow]) -> tuple[dict[int, str], dict[int, str]]:
    """The campaign's sessions (title, else host) and enrolled products that the rows name, file or stored side."""
    session_ids, product_ids = set(), set()
    for row in rows:
        stored = row.stored or {}
        session_ids.update(i for i in (row.session_id, stored.get("session_id")) if isinstance(i, int))
        product_ids.update(i for i in (row.product_id, stored.get("product_id")) if isinstance(i, int))
    named_sessions = select(LiveSession.id, LiveSession.title, Streamer.display_name).join(
        Streamer, Streamer.id == LiveSession.streamer_id).where(LiveSession.campaign_id == campaign_id,
                                                                LiveSession.id.in_(session_ids))
    sessions = {sid: title or host for sid, title, host in db.session.execute(named_sessions)}
    products = dict(db.session.execute(select(Product.id, Product.name).join(
        CampaignProduct, CampaignProduct.product_id == Product.id).where(
        CampaignProduct.campaign_id == campaign_id, Product.id.in_(product_ids))).all())
    return sessions, products


def mapping_to_send(campaign_id: int, key_id: str, filled: dict[str, str]) -> dict[str, str] | None:
    """The mapping an upload from the page sends: None when the form holds just what the key remembers (the
    upload then also recognises known headers), else the fields filled in."""
    chosen = {name: title.strip() for name, title in filled.items() if title and title.strip()}
    key = db.session.scalar(select(IngestKey).where(IngestKey.key_id == (key_id or "").strip()))
    remembered = reconcile.remembered_mapping(key) if key is not None else {}
    if not chosen or chosen == {name: title for name, title in remembered.items() if title}:
        return None
    return chosen


def mapping_for_columns(key_id: str, columns: list[str], filled: dict[str, str]) -> dict[str, str]:
    """Each field's column of a file whose headers need mapping: as filled in where the file has it, else the
    key's remembered one, else a column the field is known by."""
    key = db.session.scalar(select(IngestKey).where(IngestKey.key_id == (key_id or "").strip()))
    guessed = suggested(columns, reconcile.remembered_mapping(key) if key is not None else {})
    kept = {name: title for name, title in filled.items() if title in columns}
    for exact, other in (("amount_fen", "amount_yuan"), ("amount_yuan", "amount_fen")):
        if exact in kept:
            guessed.pop(other, None)  # the amount is read from one column
    return {**guessed, **kept}
