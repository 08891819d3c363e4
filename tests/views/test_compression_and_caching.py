"""Issue 20 on a weak signal: every page and JSON answer over 2 KB compressed (the issue found none of 27),
static files cached for a year under a URL that changes with their content (the issue found every one no-cache),
and private pages never cached."""
from __future__ import annotations

import gzip
import json
import re
import shutil
from datetime import datetime, timezone

import brotli
import pytest

from config import TestingConfig
from coordinator import ROOT, assets, create_app
from coordinator.clock import CLOCK_KEY
from coordinator.edge import settings
from coordinator.services import demo
from tests import databases
from tests.e2e.page_catalogue import ANONYMOUS, LOGINS, catalogue

BIG = 2048
STATIC = ("css/app.css", "js/screen.js", "vendor/socket.io-client-4.8.1/socket.io.min.js", "img/products/tea.svg")
# A CSRF token wherever a page puts it (form fields, data- attributes): itsdangerous's payload.time.signature.
SIGNED_TOKEN = re.compile(rb"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27}")
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]{12})"')


@pytest.fixture(scope="module")
def site(sqlite_template, tmp_path_factory):
    """An app on its own SQLite file with the demo loaded, the catalogue's pages, and the demo's logins."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("compression") / "site.sqlite3")
    app = app_on(url)
    with app.app_context():
        logins = demo.load(settings())
    # One moment for every request: a page that shows the time it was made (the screen's figures) reads the same
    # however it is encoded.
    moment = datetime.now(timezone.utc)
    app.extensions[CLOCK_KEY] = lambda: moment
    return app, catalogue(url), logins


def app_on(url: str):
    """An app of the test configuration on the database at url (the module's, not conftest's per-test app)."""
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})


def client_as(app, role: str):
    """A test client logged in as the demo's user of that role (or nobody)."""
    client = app.test_client()
    if role != ANONYMOUS:
        username, password = LOGINS[role]
        assert client.post("/login", data={"username": username, "password": password}).status_code == 302
    return client


def decoded(response) -> bytes:
    """The body as the browser reads it after undoing Content-Encoding."""
    encoding = response.headers.get("Content-Encoding")
    body = response.get_data()
    return {"gzip": gzip.decompress, "br": brotli.decompress}.get(encoding, lambda data: data)(body)


def test_every_page_over_2_kb_is_compressed_and_unchanged_by_it(site):
    app, pages, _ = site
    clients = {role: client_as(app, role) for role in {page.role for page in pages}}
    big = []
    for page in pages:
        client = clients[page.role]
        plain = client.get(page.path)
        assert "Content-Encoding" not in plain.headers, page.name  # no Accept-Encoding: identity
        assert plain.headers["Cache-Control"] == "no-store", page.name  # the screen's capability link too
        if len(plain.get_data()) <= BIG:
            continue
        big.append(page.name)
        for asked, sent in (("gzip", "gzip"), ("gzip, deflate, br", "br")):
            packed = client.get(page.path, headers={"Accept-Encoding": asked})
            assert packed.headers.get("Content-Encoding") == sent, page.name
            assert "Accept-Encoding" in packed.headers["Vary"]
            assert len(packed.get_data()) < len(plain.get_data()) / 2, page.name
            assert _steady(decoded(packed)) == _steady(plain.get_data()), page.name
    assert len(big) >= 27, big  # the count; the catalogue has grown since


def _steady(html: bytes) -> bytes:
    """The page without what differs between two requests for it (a form's CSRF token is signed with the time)."""
    return SIGNED_TOKEN.sub(b"", html)


def test_json_over_2_kb_is_compressed(site):
    app, _, logins = site
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {logins.api_token}"}
    for path, headers in (("/api/v1/openapi.json", {}), ("/api/v1/products", bearer),
                          (f"/api/v1/campaigns/{logins.campaign_id}/tally", bearer)):
        plain = client.get(path, headers=headers)
        assert plain.status_code == 200 and plain.is_json, path
        packed = client.get(path, headers={**headers, "Accept-Encoding": "gzip"})
        if len(plain.get_data()) > BIG:
            assert packed.headers["Content-Encoding"] == "gzip", path
        assert _undated(decoded(packed)) == _undated(plain.get_data()), path
        assert packed.headers["Cache-Control"] == "no-store", path


def _undated(body: bytes) -> dict:
    """A JSON answer without the time it was made (a tally snapshot says when it was taken)."""
    value = json.loads(body)
    if isinstance(value, dict):
        value.pop("at", None)
    return value


def test_a_tiny_answer_goes_uncompressed(site):
    app, _, _ = site
    answer = app.test_client().get("/api/v1/me", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 401 and len(answer.get_data()) < 500
    assert "Content-Encoding" not in answer.headers


def test_static_files_are_compressed_and_cached_a_year_only_under_their_hash(site):
    app, _, _ = site
    client = app.test_client()
    with app.app_context():
        digests = {name: assets.files(app).digest(name) for name in STATIC}
    for name, digest in digests.items():
        plain = client.get(f"/static/{name}")
        assert "Content-Encoding" not in plain.headers and plain.headers["Cache-Control"] == "no-cache"
        for asked, sent in (("gzip", "gzip"), ("gzip, deflate, br", "br")):
            current = client.get(f"/static/{name}?v={digest}", headers={"Accept-Encoding": asked})
            assert current.headers["Content-Encoding"] == sent and decoded(current) == plain.get_data(), name
            assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert current.headers["Vary"] == "Accept-Encoding" and "Set-Cookie" not in current.headers
            again = client.get(f"/static/{name}?v={digest}", headers={"Accept-Encoding": asked,
                                                                      "If-None-Match": current.headers["ETag"]})
            assert again.status_code == 304
        stale = client.get(f"/static/{name}?v=000000000000", headers={"Accept-Encoding": "gzip"})
        assert stale.headers["Cache-Control"] == "no-cache"  # an old page's URL: revalidated, not kept a year


def test_images_and_spreadsheets_are_not_compressed(site):
    app, _, logins = site
    client = client_as(app, "commissioner")
    workbook = client.get(f"/campaigns/{logins.finished_campaign_id}/results.xlsx", headers={"Accept-Encoding": "gzip"})
    assert workbook.status_code == 200 and workbook.get_data()[:2] == b"PK"  # the zip itself, not gzip around it
    assert "Content-Encoding" not in workbook.headers and workbook.headers["Cache-Control"] == "no-store"
    sheet = client.get(f"/campaigns/{logins.finished_campaign_id}/results.csv", headers={"Accept-Encoding": "gzip"})
    plain = client.get(f"/campaigns/{logins.finished_campaign_id}/results.csv")
    assert len(plain.get_data()) >= 500 and sheet.headers.get("Content-Encoding") == "gzip"  # CSV is text
    assert decoded(sheet) == plain.get_data()


def test_pages_link_static_files_by_their_hash(site):
    app, pages, _ = site
    home = client_as(app, "streamer").get("/")
    links = STATIC_URL.findall(home.get_data(as_text=True))
    assert any(path.endswith("app.css") for path, _ in links)
    assert any(path.startswith("/static/img/products/") for path, _ in links)  # the products' drawings too
    with app.app_context():
        for path, digest in links:
            assert assets.files(app).digest(path.removeprefix("/static/")) == digest, path
    for page in pages:  # no page links a static file outside the helper
        body = client_as(app, page.role).get(page.path).get_data(as_text=True)
        assert not re.search(r'(?:href|src)="/static/[^"?]+"', body), page.name


def test_changing_a_file_changes_its_url(tmp_path, sqlite_template):
    shutil.copytree(ROOT / "static", tmp_path / "static")  # edited there, never in the checkout
    app = app_on(databases.copy_sqlite(sqlite_template, tmp_path / "x.sqlite3"))
    app.extensions[assets.EXTENSION_KEY] = assets.StaticFiles(str(tmp_path / "static"))
    with app.test_request_context():
        from flask import url_for

        before = url_for("static", filename="css/app.css")
        css = tmp_path / "static" / "css" / "app.css"
        css.write_text(css.read_text() + "\n.new-rule { color: red; }\n")
        after = url_for("static", filename="css/app.css")
    assert before != after and "v=" in after
    served = app.test_client().get(after, headers={"Accept-Encoding": "gzip"})
    assert b".new-rule" in decoded(served) and served.headers["Cache-Control"].endswith("immutable")


def test_the_sales_webhook_answers_as_before(app, clock):
    from tests.ingest.helpers import event, open_shop, signed_headers

    with app.app_context():
        shop = open_shop(clock())
    body = json.dumps({"events": [event(shop, f"o-{n}") for n in range(40)]}).encode()
    headers = {**signed_headers(shop, body, timestamp=int(clock().timestamp())), "Accept-Encoding": "gzip, br"}
    answer = app.test_client().post("/api/v1/sales", data=body, headers=headers)
    assert answer.status_code == 200 and decoded(answer) == b'{"accepted":40,"duplicates":0}\n'


def test_socketio_long_polling_compresses_its_own_answers(site):
    app, _, _ = site
    # engine.io answers outside Flask, so Flask-Compress never sees it: python-engineio gzips polling itself.
    assert app.extensions["socketio"].server.eio.http_compression is True
