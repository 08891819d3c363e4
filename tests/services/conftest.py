"""Services run as a job or a script would run them: an app context for the database, no request, and a
configuration that refuses to give out the settings (they come in as a Settings value, or not at all)."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Config

from coordinator.domain.pairing_model import PairingWeights
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from tests.access.world import build

# What Settings is built from: a service that reads one of these from the app's config fails its test.
SETTINGS_KEYS = frozenset({"COORDINATOR_TIMEZONE", "SESSION_MIN_GAP_MINUTES", "REMINDER_LEAD_MINUTES",
                           "LOGIN_LINK_HOURS", "LOGIN_FREE_FAILURES", "LOGIN_MAX_DELAY_S",
                           "PAIRING_EXPECTED_UNITS_PER_SESSION", "PAIRING_WEIGHTS", "SECRET_KEY",
                           "SAMPLE_LEAD_DAYS"})


class GuardedConfig(Config):
    """A configuration that raises when a settings key is read."""

    def __getitem__(self, key):
        if key in SETTINGS_KEYS:
            raise AssertionError(f"a service read {key} from the app's config instead of its Settings")
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key in SETTINGS_KEYS:
            raise AssertionError(f"a service read {key} from the app's config instead of its Settings")
        return super().get(key, default)


# Unlike the configuration in every way that shows: New York time, a three-hour gap, odd reminder leads.
INJECTED = Settings(zone=ZoneInfo("America/New_York"), min_gap=timedelta(hours=3), reminder_leads=(45, 15),
                    login_link_hours=3, login_free_failures=1, login_max_delay_s=60, expected_units_per_session=10,
                    pairing_weights=PairingWeights(category=5.0), default_locale="en",
                    calendar_key=b"injected calendar key", upload_dir="", sample_lead_days=3)


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The injected settings, uploads kept in this test's folder."""
    from dataclasses import replace

    return replace(INJECTED, upload_dir=str(tmp_path / "uploads"))


@pytest.fixture
def env(app, clock, settings):
    """The world of the access matrix, and an app context without a request whose config guards the settings."""
    with app.app_context():
        world = build()
        db.session.remove()
        app.config = GuardedConfig(app.root_path, dict(app.config))
        yield world
        db.session.remove()


def actor(world, name: str):
    """The world's person as an actor, read afresh (their counties as they are now)."""
    from coordinator.models import User
    from coordinator.services import access

    return access.actor_for(db.session.get(User, world.ids[f"user:{name}"]))
