"""Pages for ingest keys (sales platforms) and a campaign's screen links."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordinator.domain.errors import DomainError
from coordinator.services import campaigns, keys
from coordinator.views.forms import EmptyForm, TokenForm
from coordinator.views.planning import bp, commissioner_required


@bp.route("/ingest-keys", methods=["GET", "POST"])
@commissioner_required
def ingest_keys():
    """Keys the sales platforms sign with: make, rotate, revoke; a new secret is shown once."""
    form, shown = TokenForm(), None
    if form.validate_on_submit():
        key, secret = keys.create_ingest_key(form.name.data, created_by=current_user)
        shown = (key.key_id, secret)
        form.name.data = ""
    return _keys_page(form, shown)


def _keys_page(form: TokenForm, shown: tuple[str, str] | None, rotated: bool = False) -> str:
    return render_template("planning/ingest_keys.html", form=form, shown=shown, keys=keys.list_ingest_keys(),
                           action_form=EmptyForm(), rotated=rotated,
                           may_change=lambda key: keys.may_change_ingest_key(current_user, key))


@bp.post("/ingest-keys/<int:key_id>/<any(rotate, revoke):action>")
@commissioner_required
def change_ingest_key(key_id: int, action: str):
    """Rotate (old secret valid 24 more hours) or revoke a key."""
    shown = None
    if EmptyForm().validate_on_submit():
        try:
            if action == "rotate":
                key, secret = keys.rotate_ingest_key(current_user, key_id, grace_hours=24)
                shown = (key.key_id, secret)
            else:
                keys.revoke_ingest_key(current_user, key_id)
                flash(_("The key was revoked; sales signed with it are refused from now on."), "info")
        except DomainError as error:
            flash(_("Only an admin or the commissioner who made this key may rotate or revoke it.")
                  if error.status == 403 else _(error.detail), "error")
    if shown:
        return _keys_page(TokenForm(formdata=None), shown, rotated=True)
    return redirect(url_for("plan.ingest_keys"))


@bp.route("/campaigns/<int:campaign_id>/screens", methods=["GET", "POST"])
@commissioner_required
def screens(campaign_id: int):
    """A campaign's screen links: make one for a display, list them, revoke."""
    campaign = campaigns.get_campaign(campaign_id)
    form, path = TokenForm(), None
    if form.validate_on_submit():
        _row, token = keys.create_screen_token(campaign.id, form.name.data)
        path = f"/screen/{token}"
    return render_template("planning/screens.html", campaign=campaign, form=form, path=path,
                           screens=keys.list_screen_tokens(campaign.id), action_form=EmptyForm(),
                           base=request.host_url.rstrip("/"))


@bp.post("/screens/<int:screen_id>/revoke")
@commissioner_required
def revoke_screen(screen_id: int):
    """Turn a screen link off."""
    campaign_id = request.form.get("campaign_id", type=int)
    if EmptyForm().validate_on_submit():
        keys.revoke_screen_token(screen_id)
        flash(_("The screen link was revoked."), "info")
    return redirect(url_for("plan.screens", campaign_id=campaign_id) if campaign_id else url_for("main.home"))
