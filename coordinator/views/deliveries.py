"""The delivery log page: every message to the caller's channels with each attempt, and replays of failed ones."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import login_required

from coordinator import clock
from coordinator.domain import notices
from coordinator.domain.enums import DeliveryState
from coordinator.domain.errors import DomainError
from coordinator.services import access, channels, deliveries as delivery_log
from coordinator.views.channel_forms import ReplayForm
from coordinator.views.channels import bp
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, as_local, redirect_with, safe_next

PER_PAGE = 25
MAX_PAGE = 100_000
STATES = tuple(state.value for state in DeliveryState)
EVENTS = (*notices.EVENTS, notices.TEST_EVENT)


def _filters() -> dict:
    """The log's filters from the query string; values that name nothing are left out."""
    state, event = request.args.get("state"), request.args.get("event")
    return {"channel_id": request.args.get("channel_id", type=int), "state": state if state in STATES else None,
            "event": event if event in EVENTS else None}


@bp.get("/deliveries")
@login_required
def log():
    """Deliveries of the channels the caller sees, newest first, by state, event and channel; replay buttons."""
    filters = _filters()
    number = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    page = delivery_log.log(actor(), number, PER_PAGE, **filters)
    visible = {row.id: row for row in channels.list_channels(actor())}
    shown = {item.delivery.channel_id for item in page.items}
    # Buttons only where the service would replay; it decides again when one is pressed.
    may_replay = {cid: access.allowed(actor(), "channel.change", access.channel_facts(actor(), visible[cid]))
                  for cid in shown if cid in visible}
    since = as_local(clock.now() - timedelta(days=1)).replace(second=0, microsecond=0)
    form = ReplayForm(formdata=None, data={"since": since,
                                           "channel_id": filters["channel_id"] or ""})
    return render_template("channels/deliveries.html", page=page, filters=filters, channels=visible,
                           may_replay=may_replay, replay_form=form, action_form=EmptyForm(), states=STATES,
                           events=EVENTS, pages=(page.total + PER_PAGE - 1) // PER_PAGE)


def _back() -> str:
    return safe_next(request.form.get("next"), url_for("channels.log"))


@bp.post("/deliveries/<int:delivery_id>/replay")
@login_required
def replay(delivery_id: int):
    """Send one delivery again from the start of its retry schedule (the same webhook-id)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        delivery_log.replay(actor(), delivery_id)
    except DomainError as error:
        return redirect_with(error, _back())
    flash(_("The message is queued again; a receiver that already has it can tell by its id."), "info")
    return redirect(_back())


@bp.post("/deliveries/replay")
@login_required
def replay_failed():
    """Send again every failed delivery since a time, of the channel the log shows or of all the caller changes."""
    form = ReplayForm()
    if not form.validate_on_submit():
        flash(_("Pick the time from which to send failed messages again."), "error")
        return redirect(_back())
    try:
        count = delivery_log.replay_failed(actor(), form.since_utc(), form.channel())
    except DomainError as error:
        return redirect_with(error, _back())
    flash(ngettext("%(num)d failed message is queued again.", "%(num)d failed messages are queued again.", count),
          "info")
    return redirect(_back())
