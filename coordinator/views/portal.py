"""The streamer's own pages on a phone: answering pairings, product briefs, the session on air, their profile."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.errors import DomainError
from coordinator.edge import done, settings
from coordinator.services import addresses, briefs, live, pairings, streamers
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, redirect_with, show_errors
from coordinator.views.planning_forms import ProfileForm, streamer_changes
from coordinator.views.portal_sample_forms import AddressForm

bp = Blueprint("portal", __name__, url_prefix="/my")


@bp.get("/sessions/<int:session_id>/live")
@login_required
def live_session(session_id: int):
    """The host's own session on air: the tally live and each product's stock left."""
    return render_template("portal/live.html", view=live.host_view(actor(), session_id))


@bp.get("/products/<int:product_id>")
@login_required
def product_brief(product_id: int):
    """What to say about a product on air; only products paired with the host or in their sessions open."""
    return render_template("portal/brief.html", brief=briefs.product_brief(actor(), product_id))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """The streamer's own platform, categories, region and weekly availability, edited by themself."""
    streamer = streamers.own_profile(actor())
    # Filled from the profile only to show it: a post carries every field, and one left out is an error, not
    # the stored list (which is no text) slipping through.
    form = ProfileForm(data=streamers.form_values(streamer)) if request.method == "GET" else ProfileForm()
    if form.validate_on_submit():
        try:
            data, windows = streamer_changes(form)
            streamers.update_streamer(actor(), streamer.id, data, windows)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Your profile is saved; the commissioner plans with it from now on."), "info")
            return redirect(url_for("portal.profile"))
    status = 422 if request.method == "POST" else 200
    return profile_page(streamer, form=form), status


def profile_page(streamer, form: ProfileForm | None = None, address_form: AddressForm | None = None) -> str:
    """The profile page: the profile form and, beside it, the shipping address form (each posts on its own)."""
    address = addresses.get(actor(), streamer.id)
    if form is None:
        form = ProfileForm(formdata=None, data=streamers.form_values(streamer))
    if address_form is None:
        values = {k: getattr(address, k) for k in ("recipient", "phone", "address")} if address else {}
        address_form = AddressForm(formdata=None, data=values)
    return render_template("portal/profile.html", form=form, streamer=streamer, address=address,
                           address_form=address_form)


@bp.post("/pairings/<int:pairing_id>/<any(accept, decline):answer>")
@login_required
def answer_pairing(pairing_id: int, answer: str):
    """Accept, or decline with a reason; the commissioner's board shows it at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("main.home") + "#pairings"
    try:
        done(pairings.respond(actor(), settings(), pairing_id, answer == "accept", request.form.get("reason", "")))
    except DomainError as error:
        if answer == "decline" and error.status == 422:
            flash(_("Please say why you decline."), "error")
            return redirect(back)
        return redirect_with(error, back)
    flash(_("Thank you, the commissioner can see your answer."), "info")
    return redirect(back)
