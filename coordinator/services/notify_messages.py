"""The words of each notice in a channel's language: a short title, a few lines, a link to the page with more."""
from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale, gettext

from coordinator.domain.notices import Notice
from coordinator.domain.settings import Settings
from coordinator.domain.wire import Message


def _when(settings: Settings, iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(settings.zone).strftime("%m-%d %H:%M")


def _session_title(notice: Notice, minutes: int | None) -> str:
    host = notice.names.get("host", "")
    titles = {
        "session.scheduled": gettext("New session: %(host)s", host=host),
        "session.updated": gettext("Session changed: %(host)s", host=host),
        "session.cancelled": gettext("Session cancelled: %(host)s", host=host),
        "session.live": gettext("On air now: %(host)s", host=host),
        "session.ended": gettext("Session ended: %(host)s", host=host),
        "session.reminder": gettext("%(host)s goes live in %(n)d minutes", host=host, n=minutes or 0),
    }
    return titles[notice.event]


def _session(notice: Notice, settings: Settings) -> tuple[str, list[str]]:
    data = notice.data
    lines = [gettext("Campaign: %(name)s", name=notice.names.get("campaign", "")),
             gettext("Time: %(start)s to %(end)s", start=_when(settings, data["starts_at"]),
                     end=_when(settings, data["ends_at"])[-5:])]
    if notice.names.get("title"):
        lines.append(gettext("Session: %(title)s", title=notice.names["title"]))
    if notice.names.get("products"):
        lines.append(gettext("Products: %(names)s", names="、".join(notice.names["products"])))
    return _session_title(notice, notice.names.get("minutes_left", data.get("minutes_before"))), lines


def _pairing(notice: Notice) -> tuple[str, list[str]]:
    names = notice.names
    campaign = gettext("Campaign: %(name)s", name=names.get("campaign", ""))
    if "count" in names:
        return gettext("%(n)d pairings proposed", n=names["count"]), [campaign]
    pair = {"host": names.get("host", ""), "product": names.get("product", "")}
    if notice.event == "pairing.accepted":
        return gettext("%(host)s accepted %(product)s", **pair), [campaign]
    if notice.event == "pairing.declined":
        reason = gettext("Reason: %(reason)s", reason=notice.data.get("decline_reason", ""))
        return gettext("%(host)s declined %(product)s", **pair), [campaign, reason]
    return gettext("Pairing proposed: %(host)s and %(product)s", **pair), [campaign]


def _sample(notice: Notice, settings: Settings) -> tuple[str, list[str]]:
    names, data = notice.names, notice.data
    pair = {"host": names.get("host", ""), "product": names.get("product", "")}
    lines = [gettext("Campaign: %(name)s", name=names.get("campaign", ""))]
    if data.get("tracking_number"):
        carrier = names.get("carrier_en") if _language() == "en" else names.get("carrier")
        lines.append(gettext("Tracking: %(carrier)s %(number)s", carrier=carrier or data.get("carrier") or "",
                             number=data["tracking_number"]))
    if notice.event == "sample.shipped":
        return gettext("Sample of %(product)s shipped to %(host)s", **pair), lines
    if notice.event == "sample.received":
        return gettext("%(host)s received the sample of %(product)s", **pair), lines
    lines.append(gettext("Session starts %(start)s", start=_when(settings, data["starts_at"])))
    return gettext("Sample of %(product)s not yet with %(host)s", **pair), lines


def _language() -> str:
    """The language messages are being rendered in."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "zh"


def _words(notice: Notice, settings: Settings) -> tuple[str, list[str]]:
    if notice.event.startswith("session."):
        return _session(notice, settings)
    if notice.event.startswith("pairing."):
        return _pairing(notice)
    if notice.event == "campaign.status":
        status = {"draft": gettext("draft"), "published": gettext("published"), "live": gettext("live"),
                  "closed": gettext("closed")}.get(notice.data["status"], notice.data["status"])
        return gettext("%(name)s is now %(status)s", name=notice.names.get("campaign", ""), status=status), []
    if notice.event.startswith("sample."):
        return _sample(notice, settings)
    if notice.event == "channel.test":
        return (gettext("Test message from the campaign coordinator"),
                [gettext("Channel %(name)s receives messages.", name=notice.names.get("channel", ""))])
    return notice.names.get("title") or notice.event, list(notice.names.get("lines", []))


def render(notice: Notice, locale: str, settings: Settings, for_host: bool = False) -> Message:
    """The notice in the language of the channel (zh_Hans or en), linking to the page that shows its reader more."""
    with force_locale(locale or settings.default_locale):
        title, lines = _words(notice, settings)
        link = notice.host_link if for_host else notice.link
        return Message(title, tuple(lines), settings.public_url + link, gettext("Open in the coordinator"))
