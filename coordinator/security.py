"""Login sessions and the security headers every response carries."""
from __future__ import annotations

import logging
import os
import re
import secrets
import time
from pathlib import Path

from flask import Flask, Response, session
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from coordinator.extensions import login_manager
from coordinator.models import User

# Only the project's own assets; Socket.IO connects back to the same origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


# Screen, iCal and login-link URLs carry their secret in the path: access logs show the route, not the secret.
CAPABILITY_PATH = re.compile(r"(/screen/|/calendar/|/login/link/)[A-Za-z0-9_\-.]+?(?=\.ics\b|/|\?|\s|\"|$)")
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
SECRET_KEY_FILE = "secret_key"


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
    """Flask-Login: the user the cookie names, only while the login session it carries is open on the server."""
    from coordinator.services import logins

    if not user_id.isdigit() or len(user_id) > 10:
        return None
    found = logins.resolve(int(user_id), session.get("login"))
    return found[0] if found else None


def ensure_secret_key(app: Flask) -> None:
    """Without SECRET_KEY in the environment, use a random key kept in instance/ (made on first start, mode 0600):
    never one that anyone can read."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / SECRET_KEY_FILE
    try:
        # O_EXCL: of two processes starting at once, one makes the key and the other reads it.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(handle, "w") as out:
            out.write(secrets.token_urlsafe(48))
    for _attempt in range(50):
        key = path.read_text().strip()
        if key:
            break
        time.sleep(0.02)  # the other process is writing it this instant
    else:
        raise RuntimeError(f"{path} is empty; delete it to make a new key")
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    app.config["SECRET_KEY"] = key


def add_security_headers(response: Response) -> Response:
    """Headers that keep pages from being framed, sniffed, fed foreign scripts or cached."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Pages and API answers belong to whoever is logged in, or to a capability link (a screen): no browser or proxy
    # may keep them. Static files (coordinator.assets) and views with caching of their own set their header.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Configure Flask-Login and register the header hook."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.after_request(add_security_headers)
    proxies = app.config.get("TRUSTED_PROXY_COUNT", 0)
    if proxies:
        # The client's address comes from X-Forwarded-For as set by this many proxies of ours, no more: a client
        # cannot pose as another address (the login throttle counts failures per username and address).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0)
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCapabilityTokens) for f in logger.filters):
            logger.addFilter(RedactCapabilityTokens())
