"""The tally screen at /screen/<token>: full screen, dark, readable from across the room."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from coordinator.services import screens

bp = Blueprint("screen", __name__, url_prefix="/screen")


@bp.get("/<token>")
def show(token: str):
    """The screen page; it connects to /live with its own token and follows the tallies."""
    campaign, snapshot, series_rows = screens.opening(token)
    return render_template("screen/screen.html", campaign=campaign, snapshot=snapshot, series=series_rows, token=token,
                           rotate=request.args.get("rotate") == "sessions")


@bp.get("/<token>/scopes.json")
def scopes(token: str):
    """What a rotating screen cycles through: the campaign and its live sessions."""
    return jsonify(screens.scopes_for(token))


@bp.get("/<token>/series.json")
def series(token: str):
    """The per-minute series of the campaign or one of its sessions."""
    return jsonify(screens.series_for(token, request.args.get("scope", "campaign"),
                                      request.args.get("id", type=int)))
