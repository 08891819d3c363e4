"""Compressed responses: Flask-Compress for pages, JSON and downloads; brotli and gzip for static files' bodies."""
from __future__ import annotations

import gzip

import brotli
from flask import Flask
from flask_compress import Compress

EXTENSION_KEY = "compress"
# A static file is compressed once for the life of the process, so the slowest, smallest setting pays off.
STATIC_LEVELS = {"br": 11, "gzip": 9}


def init_app(app: Flask) -> Compress:
    """Compress every response a client accepts compressed (br, else gzip) whose type and size make it worth it
    (COMPRESS_* in config.py)."""
    # One Compress per app: its init_app copies the app's settings onto the object, which several apps would share.
    compress = Compress(app)
    app.extensions[EXTENSION_KEY] = compress
    return compress


def encoding_for(accept_encoding) -> str | None:
    """The encoding to send a static file in, from a request's parsed Accept-Encoding: br, gzip or None."""
    return accept_encoding.best_match(tuple(STATIC_LEVELS)) if accept_encoding else None


def compress_static(data: bytes, encoding: str) -> bytes:
    """A static file's body in the given encoding, at the highest level (done once per file and version)."""
    if encoding == "br":
        return brotli.compress(data, quality=STATIC_LEVELS["br"])
    if encoding == "gzip":
        # mtime=0: the same file gives the same bytes, so its ETag may name the content.
        return gzip.compress(data, compresslevel=STATIC_LEVELS["gzip"], mtime=0)
    raise ValueError(f"unknown encoding {encoding!r}")
