"""Login sessions and the security headers every response carries."""
from __future__ import annotations

import logging
import re

from flask import Flask, Response
from flask_babel import lazy_gettext as _l

from coordinator.extensions import db, login_manager
from coordinator.models import User

# Only the project's own assets; Socket.IO connects back to the same origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


# Screen, iCal and login-link URLs carry their secret in the path: access logs show the route, not the secret.
CAPABILITY_PATH = re.compile(r"(/screen/|/calendar/|/login/link/)[A-Za-z0-9_\-.]+?(?=\.ics\b|/|\?|\s|\"|$)")
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


class RedactCapabilityTokens(logging.Filter):
    """Replaces the token in capability URLs of a log record with [redacted]."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message when it names a capability URL; always keep the record."""
        message = record.getMessage()
        redacted = CAPABILITY_PATH.sub(r"\1[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login: the user the login cookie names, if still there, active and not signed out everywhere since."""
    # "<id>.<generation>"; a bare "<id>" is a cookie from before generations existed, generation 0.
    number, _dot, generation = user_id.partition(".")
    if not number.isdigit() or not (generation or "0").isdigit():
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.active or user.login_generation != int(generation or "0"):
        return None
    return user


def add_security_headers(response: Response) -> Response:
    """Headers that keep pages from being framed, sniffed or fed foreign scripts."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    """Configure Flask-Login and register the header hook."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.after_request(add_security_headers)
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCapabilityTokens) for f in logger.filters):
            logger.addFilter(RedactCapabilityTokens())
