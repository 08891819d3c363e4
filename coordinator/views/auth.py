"""Log in and log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from coordinator.domain.errors import NotAuthenticated, TooManyRequests
from coordinator.services import accounts
from coordinator.views.forms import EmptyForm, LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login, never another host."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login page; failures are slowed down per username and per address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except TooManyRequests as error:
            flash(_("Too many failed attempts. Try again in %(seconds)s seconds.", seconds=error.retry_after), "error")
            status = 429
        except NotAuthenticated:
            flash(_("Wrong username or password."), "error")
            status = 401
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST with a CSRF token, so no other site can log a user out)."""
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
