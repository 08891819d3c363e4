"""Notification channels: a campaign's (its team's) and a host's own (the host's and their manager's)."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import notices, wire
from coordinator.domain.access_facts import Actor, ChannelFacts
from coordinator.domain.enums import ChannelKind
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, Channel, Delivery, Streamer
from coordinator.services import access, audit, outbox
from coordinator.services.destinations import check_destination

URL_KINDS = frozenset({ChannelKind.WEBHOOK, ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU})
SIGNED_BY_US = frozenset({ChannelKind.WEBHOOK})  # the service makes the secret and shows it once
SIGNED_BY_VENDOR = frozenset({ChannelKind.DINGTALK, ChannelKind.FEISHU})  # the robot's page gives the secret
LOCALES = {"zh_Hans": "zh_Hans", "zh-CN": "zh_Hans", "zh": "zh_Hans", "en": "en"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, [FieldError(message, field=field)])


def _owner_facts(actor: Actor, campaign_id: int | None, streamer_id: int | None) -> tuple[ChannelFacts, str]:
    """Check the channel's owner exists and the actor may change its channels."""
    if (campaign_id is None) == (streamer_id is None):
        raise _bad("campaign_id", "A channel belongs to a campaign or to a streamer: name exactly one.")
    if campaign_id is not None:
        campaign = db.session.get(Campaign, campaign_id)
        facts = access.campaign_facts(actor, campaign) if campaign is not None else None
        if facts is None or not access.allowed(actor, "campaign.see", facts):
            raise _bad("campaign_id", f"There is no campaign {campaign_id}.")
        return ChannelFacts(campaign=facts), f"campaign {campaign_id}"
    streamer = db.session.get(Streamer, streamer_id)
    if streamer is None:
        raise _bad("streamer_id", f"There is no streamer {streamer_id}.")
    return ChannelFacts(streamer=access.streamer_facts(streamer)), f"streamer {streamer_id}"


def _events(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    unknown = notices.unknown_events(value)
    if unknown:
        raise _bad("events", f"Unknown events: {', '.join(unknown)}. Events are {', '.join(notices.EVENTS)}.")
    if not value:
        raise _bad("events", "Pick at least one event (leave events out for all of them).")
    return list(dict.fromkeys(value))


def _destination(settings: Settings, kind: str, data: dict[str, Any], row: Channel) -> str | None:
    """Set the kind's destination fields on the row; the secret to show once, if this call made or took one."""
    if kind in URL_KINDS:
        if "url" in data or not row.url:
            row.url = check_destination(str(data.get("url") or ""), settings.allow_private)
    elif "address" in data or not row.address:
        address = str(data.get("address") or "").strip()
        if len(address) > 320 or not EMAIL.match(address):
            raise _bad("address", "An email channel needs an address such as host@example.com.")
        row.address = address
    if kind in SIGNED_BY_US and not row.secret:
        row.secret = wire.new_webhook_secret()
        return row.secret
    if kind in SIGNED_BY_VENDOR and ("secret" in data or not row.secret):
        secret = str(data.get("secret") or "").strip()
        if not secret or len(secret) > 200:
            raise _bad("secret", "Copy the robot's signing secret from its settings (DingTalk's starts with SEC).")
        row.secret = secret
    return None


def _summary(row: Channel) -> dict[str, Any]:
    """What the audit trail keeps of a channel: never its secret or its URL (a robot's URL holds its key)."""
    return {"kind": row.kind, "name": row.name, "events": row.events, "enabled": row.enabled, "locale": row.locale,
            "destination": masked(row)}


def masked(row: Channel) -> str:
    """The destination as pages and the API show it: enough to recognise, too little to use."""
    if row.kind == ChannelKind.EMAIL:
        return row.address
    head, _, rest = row.url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    return f"{head}://{host}/…{row.url[-4:]}" if len(row.url) > len(head) + 3 + len(host) + 8 else row.url


def create(actor: Actor, settings: Settings, data: dict[str, Any]) -> tuple[Channel, str | None]:
    """Make a channel for a campaign or a host; the secret (made for webhooks) is answered this once."""
    facts, owner = _owner_facts(actor, data.get("campaign_id"), data.get("streamer_id"))
    access.require(actor, "channel.change", facts, owner)
    kind = str(data.get("kind") or "")
    if kind not in set(ChannelKind):
        raise _bad("kind", f"A channel's kind is one of {', '.join(ChannelKind)}.")
    name = str(data.get("name") or "").strip()
    if not name:
        raise _bad("name", "A channel needs a name.")
    row = Channel(kind=kind, name=name[:120], campaign_id=data.get("campaign_id"), streamer_id=data.get("streamer_id"),
                  events=_events(data.get("events")), locale=_locale(data.get("locale"), settings),
                  created_by_id=actor.user_id, created_at=clock.now())
    secret = _destination(settings, kind, data, row)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "create", row, None, _summary(row), campaign_id=row.campaign_id)
    db.session.commit()
    return row, secret


def _locale(value: str | None, settings: Settings) -> str:
    if value is None or value == "":
        return settings.default_locale
    if value not in LOCALES:
        raise _bad("locale", "Messages are written in zh-CN or en.")
    return LOCALES[value]


def channel_for(actor: Actor, channel_id: int, action: str = "channel.read") -> Channel:
    """A channel the actor may read or change (NotFound or PermissionDenied otherwise)."""
    row = db.session.get(Channel, channel_id)
    if row is None:
        raise NotFound(f"There is no channel {channel_id}.")
    access.require(actor, action, access.channel_facts(actor, row), f"channel {channel_id}")
    return row


def update(actor: Actor, settings: Settings, channel_id: int, changes: dict[str, Any]) -> Channel:
    """Rename, re-point, re-key, pick events, switch off or on (which clears a failing record)."""
    row = channel_for(actor, channel_id, "channel.change")
    before = _summary(row)
    if "name" in changes:
        if not str(changes["name"] or "").strip():
            raise _bad("name", "A channel needs a name.")
        row.name = str(changes["name"]).strip()[:120]
    if "events" in changes:
        row.events = _events(changes["events"])
    if "locale" in changes:
        row.locale = _locale(changes["locale"], settings)
    _destination(settings, row.kind, {k: v for k, v in changes.items() if k in ("url", "address", "secret")}, row)
    if "enabled" in changes and bool(changes["enabled"]) != row.enabled:
        row.enabled = bool(changes["enabled"])
        row.disabled_at = None if row.enabled else clock.now()
        row.disabled_reason = "" if row.enabled else "switched off by hand"
        row.failing_since = None
    audit.record(actor, "update", row, before, audit.changed_fields(before, _summary(row)), campaign_id=row.campaign_id)
    db.session.commit()
    return row


def delete(actor: Actor, channel_id: int) -> None:
    """Remove a channel and its delivery log."""
    row = channel_for(actor, channel_id, "channel.change")
    audit.record(actor, "delete", row, _summary(row), None, campaign_id=row.campaign_id)
    db.session.delete(row)
    db.session.commit()


def send_test(actor: Actor, settings: Settings, channel_id: int) -> Delivery:
    """Queue a test message to one channel; it is delivered, retried and logged like any other."""
    row = channel_for(actor, channel_id, "channel.change")
    if not row.enabled:
        raise Conflict("This channel is switched off; switch it on to send it a test message.")
    delivery = outbox.delivery_for(row, notices.test_notice(row.id, row.campaign_id, {"channel": row.name}), settings)
    db.session.add(delivery)
    db.session.commit()
    return delivery


def list_channels(actor: Actor, campaign_id: int | None = None, streamer_id: int | None = None) -> list[Channel]:
    """The channels the actor may see, of one campaign or one host if named, oldest first."""
    stmt = select(Channel).where(access.channels_clause(actor))
    if campaign_id is not None:
        stmt = stmt.where(Channel.campaign_id == campaign_id)
    if streamer_id is not None:
        stmt = stmt.where(Channel.streamer_id == streamer_id)
    return list(db.session.scalars(stmt.order_by(Channel.id)))


def disabled_for(actor: Actor) -> list[Channel]:
    """Channels the actor may change that were switched off for failing: the start page tells their owners."""
    rows = db.session.scalars(select(Channel).where(access.channels_clause(actor), Channel.enabled.is_(False),
                                                    Channel.disabled_reason != "switched off by hand")).all()
    return [row for row in rows if access.allowed(actor, "channel.change", access.channel_facts(actor, row))]
