"""Recording who changed what, in the same transaction as the change."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, inspect, or_, select

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.extensions import db
from coordinator.models import AuditEntry

AUDIT_SKIPPED = {"created_at", "updated_at"}


def snapshot(row: Any) -> dict[str, Any]:
    """A row's column values as JSON-safe data, for the before and after of an entry."""
    out: dict[str, Any] = {}
    for column in inspect(row).mapper.column_attrs:
        if column.key in AUDIT_SKIPPED:
            continue
        value = getattr(row, column.key)
        out[column.key] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def record(actor: Actor | None, action: str, row: Any, before: dict | None, after: dict | None,
           campaign_id: int | None = None, entity_type: str | None = None, entity_id: int | None = None) -> None:
    """Add an audit entry to the session; the caller's commit makes it permanent with the change."""
    db.session.add(AuditEntry(
        at=clock.now(), user_id=actor.user_id if actor else None, action=action,
        entity_type=entity_type or row.__tablename__, entity_id=entity_id if entity_id is not None else row.id,
        campaign_id=campaign_id, before=before, after=after,
    ))


def changed_fields(before: dict, after: dict) -> dict:
    """Only what changed, so the trail reads as a diff."""
    return {key: after[key] for key in after if before.get(key) != after[key]}


def entries_for_campaign(campaign_id: int, limit: int = 200) -> list[AuditEntry]:
    """The newest entries about a campaign, and the catalog edits of the products and streamers enrolled in it."""
    from coordinator.models import CampaignProduct, CampaignStreamer

    products = select(CampaignProduct.product_id).where(CampaignProduct.campaign_id == campaign_id)
    streamers = select(CampaignStreamer.streamer_id).where(CampaignStreamer.campaign_id == campaign_id)
    return list(db.session.scalars(
        select(AuditEntry).where(or_(
            AuditEntry.campaign_id == campaign_id,
            # Catalog edits of what it carries; what other campaigns did with the same rows is theirs to show.
            and_(AuditEntry.campaign_id.is_(None), AuditEntry.entity_type == "products",
                 AuditEntry.entity_id.in_(products)),
            and_(AuditEntry.campaign_id.is_(None), AuditEntry.entity_type == "streamers",
                 AuditEntry.entity_id.in_(streamers)),
        )).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ))
