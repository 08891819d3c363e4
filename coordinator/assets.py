"""Static files: a content hash in every static URL, a year's caching when the URL's hash is the file's, and
compressed bodies made once per file and kept in memory."""
from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, abort, current_app, request, send_from_directory, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

from coordinator import compression

EXTENSION_KEY = "coordinator.assets"
HASH_LENGTH = 12
VERSION_ARG = "v"
# The URL names this exact content: a browser keeps it a year without asking again (a new file gets a new URL).
IMMUTABLE = "public, max-age=31536000, immutable"
# No hash, or another one (a page cached before a deploy): keep it, but ask with the ETag before each use.
REVALIDATE = "no-cache"


@dataclass
class _Entry:
    """One static file at one (mtime, size): where it is, its hash and its compressed bodies so far."""

    path: str
    stamp: tuple[int, int]
    digest: str
    bodies: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.stamp[1]


class StaticFiles:
    """The files of one static folder by relative name; an entry is made anew when the file's mtime or size
    changes, so an edit during development shows at once. Two threads racing on one file compute it twice and
    keep either: both are right."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._entries: dict[str, _Entry] = {}

    def entry(self, filename: str) -> _Entry | None:
        """The file's entry, or None when the folder has no such file."""
        path = safe_join(self.folder, filename)
        try:
            stat = os.stat(path) if path else None
        except OSError:
            return None
        if stat is None or not os.path.isfile(path):
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        entry = self._entries.get(filename)
        if entry is None or entry.stamp != stamp:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:HASH_LENGTH]
            entry = self._entries[filename] = _Entry(path, stamp, digest)
        return entry

    def digest(self, filename: str) -> str | None:
        """The first 12 hex digits of the file's SHA-256, or None when there is no such file."""
        entry = self.entry(filename)
        return entry.digest if entry else None

    @staticmethod
    def compressed(entry: _Entry, encoding: str) -> bytes:
        """The entry's body in the encoding: compressed on first request, then from memory."""
        body = entry.bodies.get(encoding)
        if body is None:
            with open(entry.path, "rb") as handle:
                body = entry.bodies[encoding] = compression.compress_static(handle.read(), encoding)
        return body


def files(app: Flask | None = None) -> StaticFiles:
    """The current (or given) app's static files."""
    return (app or current_app).extensions[EXTENSION_KEY]


def add_version(endpoint: str, values: dict[str, Any]) -> None:
    """url_defaults: url_for('static', filename=...) gains v=<the file's hash>, wherever it is called."""
    if endpoint == "static" and VERSION_ARG not in values and "filename" in values:
        digest = files().digest(values["filename"])
        if digest:
            values[VERSION_ARG] = digest


def static_url(path: str) -> str:
    """A site path with the content hash added when it names a static file (paths kept in data, not url_for)."""
    prefix = current_app.static_url_path + "/"
    if path.startswith(prefix) and "?" not in path:
        return url_for("static", filename=path[len(prefix):])
    return path


def serve_static(filename: str) -> Response:
    """The static view: compressed from memory when the type, size and client allow it, else the file itself."""
    store = files()
    entry = store.entry(filename)
    if entry is None:
        abort(404)
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    encoding = compression.encoding_for(request.accept_encodings)
    config = current_app.config
    if encoding and mimetype in config["COMPRESS_MIMETYPES"] and entry.size >= config["COMPRESS_MIN_SIZE"]:
        response = Response(store.compressed(entry, encoding), mimetype=mimetype,
                            headers={"Content-Encoding": encoding})
        response.set_etag(f"{entry.digest}-{encoding}")
        response.make_conditional(request)
    else:
        response = send_from_directory(store.folder, filename)
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = IMMUTABLE if request.args.get(VERSION_ARG) == entry.digest else REVALIDATE
    return response


class StaticFilesOutsideSessions(SecureCookieSessionInterface):
    """Flask's cookie sessions, but a static file's response neither sets the cookie nor varies by it."""

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Save as Flask does, except after a static file."""
        # Flask-Login reads the session after every request (for its remember cookie), which would add Vary: Cookie
        # to static files: a browser would fetch every file again whenever the session cookie changed.
        if request.endpoint != "static":
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Serve the static folder through serve_static and put the hash in every static URL."""
    if not app.has_static_folder:
        return
    app.extensions[EXTENSION_KEY] = StaticFiles(str(app.static_folder))
    app.view_functions["static"] = serve_static
    app.url_defaults(add_version)
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = StaticFilesOutsideSessions()
