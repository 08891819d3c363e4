"""What every edge (pages, API, sockets, jobs, CLI) shares: the caller as an actor, the settings, publishing a
use case's events after its commit, and sending a download."""
from __future__ import annotations

from typing import Any, Iterable, TypeVar
from urllib.parse import quote

from flask import Flask, Response, current_app, g, has_request_context, request

from coordinator.domain.access_facts import ANONYMOUS, Actor
from coordinator.domain.downloads import Download
from coordinator.domain.events import Outcome
from coordinator.domain.settings import Settings

SETTINGS_KEY = "coordinator.settings"
T = TypeVar("T")


def install_settings(app: Flask) -> Settings:
    """Build the app's Settings once from its configuration."""
    value = Settings.from_config(app.config, app.instance_path)
    app.extensions[SETTINGS_KEY] = value
    return value


def settings(app: Flask | None = None) -> Settings:
    """The Settings of the current (or given) application."""
    return (app or current_app).extensions[SETTINGS_KEY]


def current_actor() -> Actor:
    """The request's caller as the access policy sees it: the API's token holder, else the logged-in user."""
    if not has_request_context():
        return ANONYMOUS
    cached = g.get("actor")
    if cached is None:
        from flask_login import current_user

        from coordinator.services import access

        user = g.get("api_user")
        if user is None and current_user and current_user.is_authenticated:
            user = current_user._get_current_object()
        cached = g.actor = access.actor_for(user)
    return cached


def publish(events: Iterable[Any], app: Flask | None = None) -> None:
    """Hand committed events to the realtime pushes and this process's scheduler."""
    from coordinator.realtime.publish import deliver

    deliver(list(events), app or current_app._get_current_object())


def done(outcome: Outcome[T]) -> T:
    """Publish an outcome's events (its change is committed) and return its value."""
    publish(outcome.events)
    return outcome.value


def download_response(download: Download) -> Response:
    """The one way every export leaves the service: an attachment, never cached."""
    ascii_name = download.filename.encode("ascii", "replace").decode().replace('"', "")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download.filename)}"
    return Response(download.data, mimetype=download.mimetype,
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


# Endpoints that take a platform's whole order export, far above the 2 MiB every other request is held to.
LARGE_UPLOADS = {"api.upload_reconciliation": 64 * 1024 * 1024, "reconcile_pages.upload": 64 * 1024 * 1024}


def install_upload_limits(app: Flask) -> None:
    """Raise the body limit for the large-upload endpoints, before anything (CSRF) reads the form."""
    def _raise_limit() -> None:
        limit = LARGE_UPLOADS.get(request.endpoint or "")
        if limit:
            request.max_content_length = limit

    app.before_request(_raise_limit)
