"""One error shape: problem+json under /api, friendly HTML pages everywhere else."""
from __future__ import annotations

import logging
import re
import sqlite3

from flask import Flask, Response, abort, jsonify, render_template, request
from flask_babel import get_locale, gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from coordinator.domain.errors import DomainError, FieldError
from coordinator.schemas.common import MAX_INT32

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
SLUGS = {
    400: "malformed-request", 401: "not-authenticated", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 409: "conflict", 413: "payload-too-large",
    415: "unsupported-media-type", 422: "validation-error", 429: "too-many-requests",
    500: "internal-error", 503: "service-unavailable",
}
# Seconds a client should wait before trying again when the database is briefly out of reach.
DATABASE_RETRY_AFTER_S = 2
# SQLite's transient failures: another writer holding the file past the busy timeout, or the file out of reach.
# Any other SQLite OperationalError ("no such table", a syntax error) is a bug and stays a 500.
_SQLITE_TRANSIENT = re.compile(r"database is locked|database table is locked|database is busy|"
                               r"unable to open database file|disk I/O error", re.IGNORECASE)

try:  # the PostgreSQL driver's own errors, raised as they are on the raw connections of the ingest hot path
    import psycopg

    _DRIVER_UNAVAILABLE: tuple[type[Exception], ...] = (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover - psycopg is in requirements.txt
    _DRIVER_UNAVAILABLE = ()


def wants_problem_json() -> bool:
    """API callers get problem+json; people in browsers get pages."""
    return request.path == "/api" or request.path.startswith("/api/")


def problem_response(
    status: int, title: str, detail: str, errors: list[FieldError] | None = None, slug: str | None = None
) -> Response:
    """An RFC 9457 problem document."""
    body: dict = {
        "type": f"/api/v1/problems/{slug or SLUGS.get(status, 'error')}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [error.as_dict() for error in errors]
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    return response


def _page(status: int, title: str, detail: str) -> tuple[str, int]:
    return render_template("error.html", status=status, title=title, detail=detail), status


def _friendly_http_text(status: int) -> tuple[str, str]:
    texts = {
        400: (_("Bad request"), _("The request could not be understood.")),
        401: (_("Please log in"), _("You need to log in to see this page.")),
        403: (_("Not allowed"), _("Your account may not open this page.")),
        404: (_("Page not found"), _("There is nothing at this address. Check the link or go back to the start.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        409: (_("Conflict"), _("This clashes with the current state of the data. Reload the page and try again.")),
        413: (_("Too large"), _("What you sent is larger than the coordinator accepts.")),
        422: (_("Invalid values"), _("Some of the values are not valid. Go back, correct them and try again.")),
        429: (_("Too many attempts"), _("Please wait a moment and try again.")),
    }
    return texts.get(status, (_("Something went wrong"), _("Please try again in a moment.")))


def handle_domain_error(error: DomainError):
    """Translate a domain error at the edge."""
    if wants_problem_json():
        response = problem_response(error.status, error.title, error.detail, error.errors, error.slug)
    else:
        title, friendly = _friendly_http_text(error.status)
        # Domain details are English; show one only when the catalog translates it or the page is in English.
        detail = _(error.detail) if error.detail else ""  # gettext("") would return the catalog header
        if not detail or (detail == error.detail and str(get_locale()) != "en"):
            detail = friendly
        response = _page(error.status, title, detail)
    retry_after = getattr(error, "retry_after", 0)
    if retry_after:
        response = _with_header(response, "Retry-After", str(retry_after))
    return response


def _with_header(response, name: str, value: str):
    from flask import make_response

    response = make_response(response)
    response.headers[name] = value
    return response


def handle_http_exception(error: HTTPException):
    """Werkzeug's HTTP errors (404, 405, 413 …) in the caller's format."""
    status = error.code or 500
    if wants_problem_json():
        detail = error.description if status != 413 else "The request body is larger than 2 MiB."
        response = problem_response(status, error.name, detail or error.name)
        if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response
    title, detail = _friendly_http_text(status)
    if isinstance(error, CSRFError):
        title = _("The page had expired")
        detail = _("Forms work only with cookies on and for a limited time. Reload the page and try again.")
    return _page(status, title, detail)


def _where() -> str:
    """The request's method and path for a log line, with capability tokens redacted."""
    from coordinator.security import CAPABILITY_PATH

    path = CAPABILITY_PATH.sub(r"\1[redacted]", request.path)
    return f"{request.method} {path}"


def first_line(error: BaseException) -> str:
    """An error's first line for a log, without the driver's SQL and background text."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def database_unavailable(error: BaseException) -> bool:
    """True when the error says the database is out of reach or busy, not that the request or the code is wrong."""
    if isinstance(error, (DisconnectionError, PoolTimeout)):
        return True
    original = getattr(error, "orig", None) if isinstance(error, (OperationalError, InterfaceError)) else error
    if getattr(error, "connection_invalidated", False):
        return True
    if isinstance(original, sqlite3.OperationalError):
        return bool(_SQLITE_TRANSIENT.search(str(original)))
    if isinstance(original, _DRIVER_UNAVAILABLE):
        return True
    return isinstance(error, (OperationalError, InterfaceError)) and not isinstance(original, sqlite3.Error)


def handle_database_unavailable(error: Exception):
    """The database briefly out of reach: 503 with Retry-After, so callers retry; the next request reconnects."""
    if not database_unavailable(error):
        return handle_unexpected(error)
    from coordinator.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool replaces it at the next checkout
        db.session.invalidate()
    log.warning("database unavailable on %s: %s", _where(), first_line(error))
    if wants_problem_json():
        response = problem_response(503, "Service unavailable",
                                    "The database is briefly unavailable. Try again shortly; a retried sale counts once.")
    else:
        title, detail = _friendly_http_text(503)
        response = _page(503, title, detail)
    return _with_header(response, "Retry-After", str(DATABASE_RETRY_AFTER_S))


def handle_unexpected(error: Exception):
    """Log the traceback for operators; show the client nothing of it."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s", _where())
    if wants_problem_json():
        return problem_response(500, "Internal error", "The server failed to answer; the error has been logged.")
    title, detail = _friendly_http_text(500)
    return _page(500, title, detail)


def handle_out_of_range(error: Exception):
    """A value the database cannot hold that slipped past validation: the caller's mistake, not a crash."""
    from coordinator.extensions import db

    db.session.rollback()
    log.warning("value out of range on %s: %s", _where(), error)
    detail = "A value is outside the range the coordinator accepts."
    if wants_problem_json():
        return problem_response(422, "Invalid values", detail)
    title, friendly = _friendly_http_text(422)
    return _page(422, title, friendly)


def refuse_ids_beyond_the_database(endpoint: str | None, values: dict | None) -> None:
    """An id in the URL larger than any key the database holds names nothing: 404 before any query runs."""
    if values and any(type(value) is int and value > MAX_INT32 for value in values.values()):
        abort(404)


def init_app(app: Flask) -> None:
    """Register the error handlers, and the 404 for ids beyond the database."""
    app.url_value_preprocessor(refuse_ids_beyond_the_database)
    app.register_error_handler(OverflowError, handle_out_of_range)
    app.register_error_handler(DataError, handle_out_of_range)
    for unavailable in (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, sqlite3.OperationalError,
                        *_DRIVER_UNAVAILABLE):
        app.register_error_handler(unavailable, handle_database_unavailable)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
