"""The host's samples on the phone: their list with tracking, asking for one, "I received it", cancelling, and the
shipping address kept on the profile page. Routes join the portal blueprint (/my)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from coordinator.domain.carriers import CARRIERS
from coordinator.domain.errors import DomainError
from coordinator.edge import done, settings
from coordinator.services import addresses, host_samples, samples, streamers
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, redirect_with, safe_next, show_errors
from coordinator.views.portal import bp, profile_page
from coordinator.views.portal_sample_forms import AddressForm, SampleRequestForm

# The rules word a refused request for whoever asks (often a commissioner); the host reads it about themself.
FOR_THE_HOST = {
    "The host declined this pairing; no sample is sent for it.":
        _l("You declined this pairing, so no sample is sent for it."),
    "A sample of this product is already on its way to this host.":
        _l("A sample of this product is already on its way to you; nothing was asked again."),
}


def carrier_names() -> dict[str, str]:
    """Each carrier's name in the page's language (for the tracking line and the page's live updates)."""
    english = str(get_locale()) == "en"
    return {c.code: c.name_en if english else c.name_zh for c in CARRIERS}


def _back(default: str) -> str:
    return safe_next(request.form.get("next"), default)


@bp.get("/samples")
@login_required
def samples_page():
    """The host's samples: state, tracking, late warnings, one-tap receipt and cancel, and asking for another."""
    who = actor()
    view = host_samples.for_host(who, settings())
    address = addresses.get(who, who.streamer_id) if who.streamer_id is not None else None
    return render_template("portal/samples.html", host_samples=view, askable=host_samples.askable(who, view),
                           address=address, ask_form=SampleRequestForm(), move_form=EmptyForm(),
                           carrier_names=carrier_names())


@bp.post("/samples")
@login_required
def request_sample():
    """Ask for a sample of one of the host's pairings; a declined pairing or one already on its way changes
    nothing and says why."""
    back = _back(url_for("portal.samples_page"))
    form = SampleRequestForm()
    if not form.validate_on_submit():
        flash(_("Choose a product and a number of units, then ask again."), "error")
        return redirect(back)
    try:
        done(samples.request(actor(), settings(), form.pairing_id.data, form.quantity.data or 1))
    except DomainError as error:
        if error.status == 409 and error.detail in FOR_THE_HOST:
            flash(str(FOR_THE_HOST[error.detail]), "error")
            return redirect(back)
        return redirect_with(error, back)
    flash(_("Sample requested. The county approves it and sends it to your shipping address."), "info")
    return redirect(back)


def _move(sample_id: int, move: str, said: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = _back(url_for("portal.samples_page"))
    try:
        done(samples.move(actor(), settings(), sample_id, move))
    except DomainError as error:
        return redirect_with(error, back)
    flash(said, "info")
    return redirect(back)


@bp.post("/samples/<int:sample_id>/receive")
@login_required
def receive_sample(sample_id: int):
    """The host confirms a shipped sample arrived: the county sees it, and its late warnings go."""
    return _move(sample_id, "receive", _("Thank you: the county can see the sample arrived."))


@bp.post("/samples/<int:sample_id>/cancel")
@login_required
def cancel_sample(sample_id: int):
    """Cancel a sample not yet shipped."""
    return _move(sample_id, "cancel", _("The sample is cancelled; nothing will be sent."))


@bp.post("/address")
@login_required
def save_address():
    """The host's own shipping address (recipient, phone, address), shown and edited on the profile page."""
    who = actor()
    streamer = streamers.own_profile(who)  # host.portal: the caller's own, never anyone else's
    form = AddressForm()
    if form.validate_on_submit():
        try:
            addresses.put(who, streamer.id, form.recipient.data, form.phone.data, form.address.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Your shipping address is saved; samples go there from now on."), "info")
            return redirect(_back(url_for("portal.profile") + "#shipping-address"))
    return profile_page(streamer, address_form=form), 422
