"""Log in and log out: each login starts a fresh server-side session, each logout ends it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from coordinator.domain.errors import NotAuthenticated, TooManyRequests
from coordinator.edge import publish, settings
from coordinator.services import accounts, logins
from coordinator.views.forms import EmptyForm, LoginForm
from coordinator.views.pages import safe_next

if TYPE_CHECKING:
    from coordinator.models import User

bp = Blueprint("auth", __name__)
LOGIN_KEY = "login"  # the session cookie's field holding the login session's secret


def start_login(user: User) -> None:
    """Log a user in on this browser with a new server-side session (a cookie from before opens nothing new)."""
    if current_user.is_authenticated:
        publish(logins.end(session.get(LOGIN_KEY)).events)
    session.clear()
    token = logins.start(user, request.user_agent.string, request.remote_addr or "")
    login_user(user)
    session[LOGIN_KEY] = token


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login page; failures are slowed down per username and client address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(settings(), form.username.data, form.password.data, request.remote_addr or "")
        except TooManyRequests as error:
            flash(_("Too many failed attempts. Try again in %(seconds)s seconds.", seconds=error.retry_after), "error")
            status = 429
        except NotAuthenticated:
            flash(_("Wrong username or password."), "error")
            status = 401
        else:
            start_login(user)
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST with a CSRF token, so no other site can log a user out); the session ends on the server."""
    if EmptyForm().validate_on_submit():
        publish(logins.end(session.get(LOGIN_KEY)).events)
        logout_user()
        session.clear()
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
