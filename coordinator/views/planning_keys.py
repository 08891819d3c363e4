"""Pages for ingest keys (sales platforms, each for the campaigns it names) and a campaign's screen links."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.errors import DomainError
from coordinator.edge import done
from coordinator.services import access, keys, screen_links
from coordinator.views.forms import EmptyForm, TokenForm
from coordinator.views.pages import actor, redirect_with, show_errors
from coordinator.views.planning import bp
from coordinator.views.planning_forms import KeyForm


def _key_form() -> KeyForm:
    form = KeyForm()
    form.campaign_ids.choices = [(c.id, c.name) for c in keys.editable_campaigns(actor())]
    return form


@bp.route("/ingest-keys", methods=["GET", "POST"])
@login_required
def ingest_keys():
    """Keys the sales platforms sign with: make, rotate, revoke; a new secret is shown once."""
    form, shown = _key_form(), None
    if form.validate_on_submit():
        try:
            key, secret = keys.create_ingest_key(actor(), form.name.data,
                                                 None if form.every_campaign.data else form.campaign_ids.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            shown = (key.key_id, secret)
            form = _key_form()
            form.name.data = ""
    return _keys_page(form, shown)


def _keys_page(form: KeyForm, shown: tuple[str, str] | None, rotated: bool = False) -> str:
    return render_template("planning/ingest_keys.html", form=form, shown=shown, rows=keys.list_ingest_keys(actor()),
                           action_form=EmptyForm(), rotated=rotated,
                           may_make_for_all=access.allowed(actor(), "key.create_for_all"),
                           campaign_names=dict(form.campaign_ids.choices))


@bp.post("/ingest-keys/<int:key_id>/<any(rotate, revoke):action>")
@login_required
def change_ingest_key(key_id: int, action: str):
    """Rotate (old secret valid 24 more hours) or revoke a key."""
    if EmptyForm().validate_on_submit():
        try:
            if action == "rotate":
                key, secret = keys.rotate_ingest_key(actor(), key_id, grace_hours=24)
                form = _key_form()
                form.name.data = ""
                return _keys_page(form, (key.key_id, secret), rotated=True)
            keys.revoke_ingest_key(actor(), key_id)
        except DomainError as error:
            return redirect_with(error, url_for("plan.ingest_keys"))
        flash(_("The key was revoked; sales signed with it are refused from now on."), "info")
    return redirect(url_for("plan.ingest_keys"))


@bp.route("/campaigns/<int:campaign_id>/screens", methods=["GET", "POST"])
@login_required
def screens(campaign_id: int):
    """A campaign's screen links: make one for a display, list them, revoke."""
    rows = screen_links.list_screen_tokens(actor(), campaign_id)
    form, path = TokenForm(), None
    if form.validate_on_submit():
        try:
            row, token = screen_links.create_screen_token(actor(), campaign_id, form.name.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            path, rows = f"/screen/{token}", [row, *rows]
    campaign = screen_links.campaign_of_screens(actor(), campaign_id)
    return render_template("planning/screens.html", campaign=campaign.campaign, may_change=campaign.may_change,
                           form=form, path=path, screens=rows, action_form=EmptyForm(),
                           base=request.host_url.rstrip("/"))


@bp.post("/screens/<int:screen_id>/revoke")
@login_required
def revoke_screen(screen_id: int):
    """Turn a screen link off."""
    if EmptyForm().validate_on_submit():
        row = done(screen_links.revoke_screen_token(actor(), screen_id))
        flash(_("The screen link was revoked."), "info")
        return redirect(url_for("plan.screens", campaign_id=row.campaign_id))
    return redirect(url_for("main.home"))
