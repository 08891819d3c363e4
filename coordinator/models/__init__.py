"""Typed SQLAlchemy 2 models; importing this package registers every table."""
from coordinator.models.accounts import (
    ApiToken, IngestKey, IngestKeyCampaign, LoginLink, LoginSession, LoginThrottle, ScreenToken, User,
)
from coordinator.models.audit import AccessEpoch, AuditEntry
from coordinator.models.base import Base, utcnow
from coordinator.models.campaigns import Campaign, CampaignMember, CampaignProduct, CampaignStreamer, Pairing
from coordinator.models.catalog import AvailabilityWindow, Product, Streamer
from coordinator.models.geo import CommissionerCounty, County
from coordinator.models.notify import Channel, Delivery, DeliveryAttempt
from coordinator.models.reconcile import ReconcileMapping, Reconciliation, ReconciliationRow
from coordinator.models.samples import Sample, SampleLateNotice, ShippingAddress
from coordinator.models.sales import SaleEvent, TallyCounter, TallyMinute
from coordinator.models.sessions import LineupItem, LiveSession, SessionReminder

__all__ = [
    "AccessEpoch", "ApiToken", "AuditEntry", "AvailabilityWindow", "Base", "Campaign", "CampaignMember",
    "CampaignProduct", "CampaignStreamer", "Channel", "CommissionerCounty", "County", "Delivery", "DeliveryAttempt", "IngestKey", "IngestKeyCampaign",
    "LineupItem", "LiveSession", "LoginLink", "LoginSession", "LoginThrottle", "Pairing", "Product", "SaleEvent",
    "ReconcileMapping", "Reconciliation", "ReconciliationRow", "Sample", "SampleLateNotice", "ShippingAddress",
    "ScreenToken", "SessionReminder", "Streamer", "TallyCounter", "TallyMinute", "User", "utcnow",
]
