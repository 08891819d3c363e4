"""The streamer's own pages: answering pairings from a phone."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordinator.domain.errors import DomainError
from coordinator.services import live, pairings
from coordinator.views.forms import EmptyForm

bp = Blueprint("portal", __name__, url_prefix="/my")


def streamer_required(view: Callable) -> Callable:
    """Only streamer accounts answer pairings."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.is_commissioner:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/sessions/<int:session_id>/live")
@streamer_required
def live_session(session_id: int):
    """The host's own session on air: the tally live and each product's stock left."""
    view = live.host_view(current_user, session_id)
    return render_template("portal/live.html", view=view)


@bp.post("/pairings/<int:pairing_id>/<any(accept, decline):answer>")
@streamer_required
def answer_pairing(pairing_id: int, answer: str):
    """Accept, or decline with a reason; the commissioner's board shows it at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        pairings.respond(current_user, pairing_id, answer == "accept", request.form.get("reason", ""))
    except DomainError as error:
        if error.status in (403, 404):
            abort(error.status)
        flash(_("Please say why you decline.") if answer == "decline" else _(error.detail), "error")
    else:
        flash(_("Thank you, the commissioner can see your answer."), "info")
    return redirect(url_for("main.home") + "#pairings")
