"""A user's own API tokens (create, shown once; list; revoke) and signing out of their other devices."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.edge import done
from coordinator.services import accounts, logins
from coordinator.views.forms import EmptyForm, TokenForm
from coordinator.views.pages import actor

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """List the user's tokens; a valid POST makes one and shows it this once."""
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _row, new_token = accounts.issue_api_token(actor(), form.name.data)
        form.name.data = ""
    return render_template("account/tokens.html", form=form, new_token=new_token,
                           tokens=accounts.list_api_tokens(actor()), revoke_form=EmptyForm())


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the user's own tokens."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    done(accounts.revoke_api_token(actor(), token_id))
    flash(_("The token was revoked; programs using it can no longer call the API."), "info")
    return redirect(url_for("account.tokens"))


@bp.post("/sign-out-others")
@login_required
def sign_out_others():
    """Log this account out of every other browser and phone; this one stays logged in."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    done(logins.sign_out_other_devices(actor(), session.get("login")))
    flash(_("Every other browser and phone was signed out."), "info")
    return redirect(url_for("account.tokens"))
