"""Pages for notification channels: a campaign's group robots and webhooks (its team's), a host's own email or
robot (on their phone, and for their manager), and the buttons on each channel."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.errors import DomainError
from coordinator.edge import settings
from coordinator.models import Channel, Streamer
from coordinator.services import access, channels, streamers
from coordinator.views.channel_forms import HOST_KINDS, TEAM_KINDS, ChannelForm, channel_data, channel_form
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, redirect_with, safe_next, show_errors

bp = Blueprint("channels", __name__)
# The service names the owner's field when it refuses the owner; on a page the owner is the page itself.
OWNER_FIELDS = {"campaign_id": "name", "streamer_id": "name"}


@bp.app_template_filter("destination")
def destination(row: Channel) -> str:
    """A channel's destination as pages show it: masked (a robot's URL holds its key)."""
    return channels.masked(row)


def _create(form: ChannelForm, owner: dict) -> tuple[Channel | None, str | None]:
    """The channel the posted form made, and its secret if the service made one; (None, None) if refused."""
    if not form.validate_on_submit():
        return None, None
    try:
        return channels.create(actor(), settings(), channel_data(form, owner))
    except DomainError as error:
        show_errors(form, error, OWNER_FIELDS)
        return None, None


def _added(row: Channel):
    flash(_("%(name)s is added. Send it a test message to check that it arrives.", name=row.name), "info")
    return redirect(request.path)


@bp.route("/campaigns/<int:campaign_id>/channels", methods=["GET", "POST"])
@login_required
def campaign(campaign_id: int):
    """A campaign's channels: the list, a new one (a webhook's secret shown once), test, switch off or on, delete."""
    row_campaign, facts = access.campaign_for(actor(), "campaign.read", campaign_id)
    form = channel_form(TEAM_KINDS)
    made, secret = _create(form, {"campaign_id": campaign_id})
    if made is not None and secret is None:
        return _added(made)
    if made is not None:
        form = channel_form(TEAM_KINDS, formdata=None)
    return render_template("channels/campaign.html", campaign=row_campaign, form=form,
                           may_change=access.allowed(actor(), "campaign.change", facts),
                           rows=channels.list_channels(actor(), campaign_id=campaign_id),
                           shown=(made, secret) if secret else None, action_form=EmptyForm())


def _host_page(host: Streamer, own: bool):
    form = channel_form(HOST_KINDS, with_events=False)
    made, secret = _create(form, {"streamer_id": host.id})
    if made is not None and secret is None:
        return _added(made)
    if made is not None:
        form = channel_form(HOST_KINDS, with_events=False, formdata=None)
    return render_template("channels/host.html", streamer=host, own=own, form=form,
                           rows=channels.list_channels(actor(), streamer_id=host.id),
                           shown=(made, secret) if secret else None, action_form=EmptyForm())


@bp.route("/my/channels", methods=["GET", "POST"])
@login_required
def mine():
    """The host's own channels on the phone: where reminders before their sessions reach them."""
    return _host_page(streamers.own_profile(actor()), own=True)


@bp.route("/streamers/<int:streamer_id>/channels", methods=["GET", "POST"])
@login_required
def streamer(streamer_id: int):
    """A host's own channels as their manager (or an admin) keeps them."""
    host = streamers.streamer_for(actor(), streamer_id, "streamer.channels")
    return _host_page(host, own=host.id == actor().streamer_id)  # a host who followed a link sees their own page


@bp.post("/channels/<int:channel_id>/<any(test, off, on, delete):action>")
@login_required
def change(channel_id: int, action: str):
    """Send a test message, switch off or back on, or delete a channel; then back to the page of the button."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = safe_next(request.form.get("next"))
    try:
        if action == "test":
            channels.send_test(actor(), settings(), channel_id)
            flash(_("A test message is on its way; the delivery log shows when it arrives."), "info")
        elif action == "delete":
            channels.delete(actor(), channel_id)
            flash(_("The channel and its delivery log are deleted."), "info")
        else:
            row = channels.update(actor(), settings(), channel_id, {"enabled": action == "on"})
            flash(_("%(name)s is switched on again.", name=row.name) if row.enabled
                  else _("%(name)s is switched off: it hears nothing until it is switched on.", name=row.name), "info")
    except DomainError as error:
        return redirect_with(error, back)
    return redirect(back)
