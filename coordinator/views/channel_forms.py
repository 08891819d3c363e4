"""Forms of the channels pages: a new channel (the fields its kind needs), and replaying failed deliveries."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coordinator.domain import notices
from coordinator.domain.enums import ChannelKind
from coordinator.i18n import CHANNEL_KIND_NAMES, EVENT_NAMES
from coordinator.services.channels import SIGNED_BY_VENDOR, URL_KINDS
from coordinator.views.forms import SafeForm
from coordinator.views.pages import local_to_utc

# What a campaign's team picks from, and what a host keeps for themself (their email or a robot of their own).
TEAM_KINDS = (ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU, ChannelKind.WEBHOOK, ChannelKind.EMAIL)
HOST_KINDS = (ChannelKind.EMAIL, ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU)
LOCALES = (("zh-CN", "中文"), ("en", "English"))


class ChannelForm(SafeForm):
    """A new channel; the page shows each destination field only for the kinds that use it."""

    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)],
                       description=_l("For example: 宜君县 county group"))
    url = StringField(_l("Robot or webhook URL"), validators=[Optional(), Length(max=2000)],
                      description=_l("Copied from the robot's settings in the group chat; it is shown masked later."))
    secret = StringField(_l("Signing secret"), validators=[Optional(), Length(max=200)],
                         description=_l("DingTalk's starts with SEC; Feishu's is on the robot's security settings."))
    address = StringField(_l("Email address"), validators=[Optional(), Length(max=320)])
    events = SelectMultipleField(_l("Events"), choices=[(e, EVENT_NAMES[e]) for e in notices.EVENTS],
                                 default=list(notices.EVENTS), widget=ListWidget(prefix_label=False),
                                 validators=[InputRequired(message=_l("Pick at least one event."))],
                                 option_widget=CheckboxInput())
    locale = SelectField(_l("Language of the messages"), choices=LOCALES, default="zh-CN")


def channel_form(kinds: tuple[ChannelKind, ...], with_events: bool = True, **kwargs) -> ChannelForm:
    """The new-channel form offering these kinds (the first is preselected); a host's has no events to pick."""
    form = ChannelForm(**kwargs)
    form.kind.choices = [(k.value, CHANNEL_KIND_NAMES[k.value]) for k in kinds]
    if not form.kind.data:
        form.kind.data = kinds[0].value
    if not with_events:  # only reminders reach a host's own channels
        del form.events
        form.name.description = _l("For example: my email")
    return form


def channel_data(form: ChannelForm, owner: dict) -> dict:
    """What the channels service takes from the form: the kind's own destination fields only, and the owner."""
    kind = form.kind.data
    picked = form.events.data if "events" in form else None
    # Every event picked is every event, including those added later (as the API's default).
    events = None if picked is None or set(picked) >= set(notices.EVENTS) else picked
    data = {"kind": kind, "name": (form.name.data or "").strip(), "locale": form.locale.data, **owner, "events": events}
    if kind in URL_KINDS:
        data["url"] = (form.url.data or "").strip()
    if kind in SIGNED_BY_VENDOR:
        data["secret"] = (form.secret.data or "").strip()
    if kind == ChannelKind.EMAIL:
        data["address"] = (form.address.data or "").strip()
    return data


class ReplayForm(SafeForm):
    """Send again every failed delivery since a time (of one channel when the log is filtered to it)."""

    since = DateTimeLocalField(_l("Failed since"), validators=[InputRequired()])
    channel_id = HiddenField(validators=[Optional()])

    def since_utc(self):
        """The time typed, in the coordinator's zone, as an aware time."""
        return local_to_utc(self.since.data)

    def channel(self) -> int | None:
        """The channel the replay is limited to, if any."""
        value = (self.channel_id.data or "").strip()
        return int(value) if value.isdigit() else None
