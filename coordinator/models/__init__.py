"""Typed SQLAlchemy 2 models; importing this package registers every table."""
from coordinator.models.accounts import ApiToken, IngestKey, LoginLink, LoginThrottle, ScreenToken, User
from coordinator.models.audit import AuditEntry
from coordinator.models.base import Base, utcnow
from coordinator.models.campaigns import Campaign, CampaignProduct, CampaignStreamer, Pairing
from coordinator.models.catalog import AvailabilityWindow, Product, Streamer
from coordinator.models.geo import CommissionerCounty, County
from coordinator.models.sales import SaleEvent, TallyCounter, TallyMinute
from coordinator.models.sessions import LineupItem, LiveSession, SessionReminder

__all__ = [
    "ApiToken", "AuditEntry", "AvailabilityWindow", "Base", "Campaign", "CampaignProduct",
    "CampaignStreamer", "CommissionerCounty", "County", "IngestKey", "LineupItem", "LiveSession",
    "LoginLink", "LoginThrottle", "Pairing", "Product", "SaleEvent", "ScreenToken", "SessionReminder",
    "Streamer", "TallyCounter", "TallyMinute", "User", "utcnow",
]
