"""The tally screen at /screen/<token>: full screen, dark, readable from across the room."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request

from coordinator.domain.errors import NotAuthenticated
from coordinator.extensions import db
from coordinator.models import Campaign
from coordinator.services import keys, screens

bp = Blueprint("screen", __name__, url_prefix="/screen")


def _screen_campaign(token: str) -> Campaign:
    try:
        row = keys.screen_for_token(token)
    except NotAuthenticated:
        abort(404)
    return db.session.get(Campaign, row.campaign_id)


@bp.get("/<token>")
def show(token: str):
    """The screen page; it connects to /live with its own token and follows the tallies."""
    campaign = _screen_campaign(token)
    return render_template("screen/screen.html", campaign=campaign, token=token,
                           rotate=request.args.get("rotate") == "sessions")


@bp.get("/<token>/scopes.json")
def scopes(token: str):
    """What a rotating screen cycles through: the campaign and its live sessions."""
    return jsonify(screens.scopes_for(_screen_campaign(token).id))


@bp.get("/<token>/series.json")
def series(token: str):
    """The per-minute series of the campaign or one of its sessions."""
    campaign = _screen_campaign(token)
    scope, scope_id = request.args.get("scope", "campaign"), request.args.get("id", type=int)
    if scope == "campaign":
        scope_id = campaign.id
    elif scope != "session" or scope_id is None or not screens.session_in_campaign(scope_id, campaign.id):
        abort(404)
    return jsonify(screens.series(scope, scope_id))
