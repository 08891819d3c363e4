"""Language choice: the header switch wins, then the user's saved choice, then Accept-Language."""
from __future__ import annotations

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LANGUAGE_NAMES = {"zh_Hans": "中文", "en": "English"}
PLATFORM_NAMES = {"taobao": _l("Taobao Live"), "douyin": _l("Douyin"), "kuaishou": _l("Kuaishou"), "other": _l("Other")}
# Categories are free text used for pairing; the common codes get a name, anything else shows as typed.
CATEGORY_NAMES = {"fruit": _l("Fruit"), "grain": _l("Grain"), "tea": _l("Tea"), "snack": _l("Snacks"),
                  "vegetable": _l("Vegetables"), "meat": _l("Meat"), "honey": _l("Honey")}


def select_locale() -> str:
    """The locale for this request, one of LANGUAGES."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"])
    if best and best.lower().startswith("en"):
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Pages show times in the coordinator's configured zone."""
    return current_app.config["COORDINATOR_TIMEZONE"]


def platform_name(code: str) -> str:
    """A streaming platform's name in the page's language (unknown codes as stored)."""
    return str(PLATFORM_NAMES.get(code, code))


def category_name(code: str) -> str:
    """A product category's name in the page's language (free-text categories as typed)."""
    return str(CATEGORY_NAMES.get(code, code))


def _(text: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return text


# Messages the domain and services place beside form fields, in English; pages translate them when shown.
FIELD_MESSAGES = (
    _("already used"), _("already taken"), _("already exists"), _("already bound"), _("must be after starts_at"),
    _("must not be before available_from"), _("cannot exceed max_products_per_session"), _("at least 1"),
    _("end must be after start"), _("overlaps another window on the same day"), _("repeated in this file"),
    _("weekday is 0 (Monday) to 6 (Sunday)"), _("the product is archived"), _("the streamer is archived"),
    _("required"), _("may not be null"), _("must not contain control, text-direction or zero-width characters"),
)
# The channels' service refusals of a field (coordinator/services/channels.py, domain/destinations.py), translated
# where the channels pages show them.
CHANNEL_MESSAGES = (
    _("A channel needs a name."), _("Pick at least one event (leave events out for all of them)."),
    _("An email channel needs an address such as host@example.com."),
    _("Copy the robot's signing secret from its settings (DingTalk's starts with SEC)."),
    _("Messages are written in zh-CN or en."),
    _("This channel is switched off; switch it on to send it a test message."),
    _("only http and https URLs can receive messages"), _("the URL names no host"),
    _("put credentials in the channel's secret, not in the URL"), _("the URL's port is not a number from 1 to 65535"),
    _("the URL is longer than 2000 characters"), _("Unknown state."), _("pending, delivered or failed"),
)
EVENT_NAMES = {
    "session.scheduled": _l("Session scheduled"), "session.updated": _l("Session changed"),
    "session.cancelled": _l("Session cancelled"), "session.live": _l("Session on air"),
    "session.ended": _l("Session ended"), "session.reminder": _l("Reminder before a session"),
    "pairing.proposed": _l("Pairing proposed"), "pairing.accepted": _l("Pairing accepted"),
    "pairing.declined": _l("Pairing declined"), "campaign.status": _l("Campaign status changed"),
    "sample.shipped": _l("Sample shipped"), "sample.received": _l("Sample received"), "sample.late": _l("Sample late"),
    "channel.test": _l("Test message"),
}
CHANNEL_KIND_NAMES = {"webhook": _l("Webhook (Standard Webhooks)"), "wecom": _l("WeCom group robot"),
                      "dingtalk": _l("DingTalk robot"), "feishu": _l("Feishu robot"), "email": _l("Email")}


SAMPLE_STATUS_NAMES = {"requested": _l("Requested"), "approved": _l("Approved"), "shipped": _l("Shipped"),
                       "received": _l("Received"), "rejected": _l("Rejected"), "cancelled": _l("Cancelled")}


# Campaign and session states, looked up once per label (a results page shows thousands of session badges).
STATUS_NAMES = {"draft": _l("Draft"), "published": _l("Published"), "live": _l("Live"), "closed": _l("Closed"),
                "scheduled": _l("Scheduled"), "ended": _l("Ended"), "cancelled": _l("Cancelled")}


def status_name(code: str) -> str:
    """A campaign's or session's state in the page's language."""
    return str(STATUS_NAMES.get(code, code))


def sample_status_name(code: str) -> str:
    """A sample's state in the page's language."""
    return str(SAMPLE_STATUS_NAMES.get(code, code))


def carrier_name(code: str | None) -> str:
    """A carrier's name as people in the page's language know it (Chinese names in Chinese pages)."""
    from flask_babel import get_locale

    from coordinator.domain.carriers import BY_CODE

    carrier = BY_CODE.get(code or "")
    if carrier is None:
        return code or ""
    locale = get_locale()
    return carrier.name_en if locale is not None and locale.language == "en" else carrier.name_zh


def event_name(code: str) -> str:
    """A notification event's name in the page's language."""
    return str(EVENT_NAMES.get(code, code))


def channel_kind_name(code: str) -> str:
    """A channel kind's name in the page's language."""
    return str(CHANNEL_KIND_NAMES.get(code, code))
