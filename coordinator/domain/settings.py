"""The settings services work with, as one value built once from the configuration (services never read it)."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from coordinator.domain.delivery_rules import DEFAULT_RETRY_SCHEDULE, parse_schedule
from coordinator.domain.destinations import AllowList
from coordinator.domain.pairing_model import PairingWeights


@dataclass(frozen=True)
class Settings:
    """Zone, gaps, lead times, lifetimes and pairing options: everything a use case may need to know."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    min_gap: timedelta = timedelta(minutes=10)
    reminder_leads: tuple[int, ...] = (30, 5)
    login_link_hours: int = 24
    login_free_failures: int = 3
    login_max_delay_s: int = 300
    expected_units_per_session: int = 50
    pairing_weights: PairingWeights = field(default_factory=PairingWeights)
    default_locale: str = "zh_Hans"
    # Signs calendar links: derived from SECRET_KEY for this one purpose, so a calendar link reveals nothing that
    # could sign a login cookie.
    calendar_key: bytes = b"calendar links need a key of their own"
    # Where a previewed spreadsheet waits for its import to be confirmed.
    upload_dir: str = "instance/uploads"
    # Notifications: the retry delays, the private destinations allowed, and the address messages link to.
    retry_schedule: tuple[int, ...] = DEFAULT_RETRY_SCHEDULE
    allow_private: AllowList = field(default_factory=AllowList)
    public_url: str = "http://127.0.0.1:5000"
    # Samples: days before a session by which its products' samples should be in the host's hands.
    sample_lead_days: int = 2

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance_path: str = "instance") -> "Settings":
        """The settings of an application's configuration."""
        return cls(
            upload_dir=f"{instance_path}/uploads",
            zone=ZoneInfo(config["COORDINATOR_TIMEZONE"]),
            min_gap=timedelta(minutes=config["SESSION_MIN_GAP_MINUTES"]),
            reminder_leads=tuple(config["REMINDER_LEAD_MINUTES"]),
            login_link_hours=config["LOGIN_LINK_HOURS"],
            login_free_failures=config["LOGIN_FREE_FAILURES"],
            login_max_delay_s=config["LOGIN_MAX_DELAY_S"],
            expected_units_per_session=config["PAIRING_EXPECTED_UNITS_PER_SESSION"],
            pairing_weights=replace(PairingWeights(), **config.get("PAIRING_WEIGHTS", {})),
            default_locale=config["BABEL_DEFAULT_LOCALE"],
            calendar_key=purpose_key(config["SECRET_KEY"], "calendar-feed"),
            retry_schedule=parse_schedule(config["NOTIFY_RETRY_SCHEDULE"]),
            allow_private=AllowList.parse(config["NOTIFY_ALLOW_PRIVATE"]),
            sample_lead_days=config.get("SAMPLE_LEAD_DAYS", 2),
            public_url=(config.get("PUBLIC_URL") or f"http://{config['HOST']}:{config['PORT']}").rstrip("/"),
        )


def purpose_key(secret: str | bytes, purpose: str) -> bytes:
    """A key for one purpose derived from the application's secret (HMAC-SHA256 of the purpose)."""
    material = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(material, purpose.encode(), hashlib.sha256).digest()
