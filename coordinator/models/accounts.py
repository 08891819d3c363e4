"""Users and the credentials they hold: API tokens, login links, ingest keys, screen tokens."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.domain.enums import Role, sql_in
from coordinator.models.base import Base, UTCDateTime, utcnow


class User(UserMixin, Base):
    """A person who logs in: a commissioner, or a streamer bound to one profile."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(sql_in("role", Role), name="role_valid"),
        CheckConstraint(
            "(role = 'streamer' AND streamer_id IS NOT NULL) OR (role <> 'streamer' AND streamer_id IS NULL)",
            name="streamer_binding",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(16))
    streamer_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("streamers.id", ondelete="RESTRICT"), unique=True
    )
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(16), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Flask-Login refuses inactive users."""
        return self.active

    @property
    def is_commissioner(self) -> bool:
        """True for commissioners, who plan campaigns."""
        return self.role == Role.COMMISSIONER


class LoginSession(Base):
    """One browser's login, kept on the server: signing out ends it, and a copied cookie then opens nothing."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class LoginLink(Base):
    """A one-time link that logs a streamer in; only its SHA-256 is stored, and it expires."""

    __tablename__ = "login_links"
    __table_args__ = (CheckConstraint("expires_at > created_at", name="expires_after_creation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # A link sent to the wrong chat is turned off before anyone taps it.
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class IngestKey(Base):
    """A sales platform's signing key; during rotation the previous secret stays valid a while."""

    __tablename__ = "ingest_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # HMAC verification needs the secret itself, so it cannot be stored as a hash.
    secret: Mapped[str] = mapped_column(String(128))
    previous_secret: Mapped[Optional[str]] = mapped_column(String(128))
    previous_valid_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # False: the key accepts sales only for the campaigns listed in ingest_key_campaigns.
    all_campaigns: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class IngestKeyCampaign(Base):
    """A campaign an ingest key may post sales for."""

    __tablename__ = "ingest_key_campaigns"

    key_id: Mapped[int] = mapped_column(ForeignKey("ingest_keys.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ScreenToken(Base):
    """A secret URL that shows one campaign's tally screen; only its hash is stored."""

    __tablename__ = "screen_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Failed logins per username or address, to slow down guessing."""

    __tablename__ = "login_throttles"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures_not_negative"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
