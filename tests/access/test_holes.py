"""The holes an outsider found in a shared deployment (issue 13), each tried again: every one is closed now.

Each test names the hole it closes; each failed on the code before the trust boundaries were built.
"""
from __future__ import annotations

import csv
import io
import os
import stat
import pytest
from itsdangerous import URLSafeTimedSerializer
from openpyxl import load_workbook

from config import TestingConfig
from coordinator import create_app
from coordinator.extensions import db
from tests.access.effects import differences, dump
from tests.access.matrix import logged_in
from tests.access.world import PASSWORD, bearer

OUTSIDER = "outsider"


def test_a_commissioner_cannot_log_in_as_a_host_by_enrolling_them(app, client, world):
    """Hole: enrol any host in a campaign of one's own, then send oneself a login link for them."""
    mine = client.post("/api/v1/campaigns", headers=bearer(world, OUTSIDER), json={
        "name": "我的活动", "starts_at": "2026-11-12T00:00:00+08:00", "ends_at": "2026-11-20T00:00:00+08:00"}).get_json()
    assert client.post(f"/api/v1/campaigns/{mine['id']}/streamers", json={"streamer_id": world.ids["S1"]},
                       headers=bearer(world, OUTSIDER)).status_code == 201
    page = logged_in(app, OUTSIDER)
    with app.app_context():
        before = dump()
    link = client.post(f"/api/v1/streamers/{world.ids['S1']}/login-links", headers=bearer(world, OUTSIDER))
    assert link.status_code == 403
    assert page.post(f"/streamers/{world.ids['S1']}/login-link").status_code == 403
    with app.app_context():
        assert differences(before, dump()) == []


def test_a_commissioner_without_a_county_cannot_make_one_and_so_own_it(app, client, world):
    """Hole: a commissioner with no county created one (which assigned it to them) to reach everything under it."""
    body = {"name": "新县", "province": "新省"}
    assert client.post("/api/v1/counties", json=body, headers=bearer(world, "viewer")).status_code == 403
    assert logged_in(app, "viewer").post("/counties", data=body).status_code == 403
    assert client.get("/api/v1/counties", headers=bearer(world, "viewer")).get_json()["items"] == []


def test_an_outsider_changes_nothing_of_another_teams_campaign(app, client, world):
    """Hole: any commissioner could rename, close or re-plan any campaign, cancel and move its sessions, unenrol its
    streamers, make screen links and keys for it, and read other counties' prices and stock."""
    c, session, headers = world.ids["C"], world.ids["SS_host"], bearer(world, OUTSIDER)
    page = logged_in(app, OUTSIDER)
    with app.app_context():
        before = dump()
    attempts = [
        ("patch", f"/api/v1/campaigns/{c}", {"name": "被改了"}),
        ("post", f"/api/v1/campaigns/{c}/status", {"status": "closed"}),
        ("post", f"/api/v1/campaigns/{c}/pairings/auto", None),
        ("post", f"/api/v1/sessions/{session}/cancel", None),
        ("patch", f"/api/v1/sessions/{session}", {"title": "x"}),
        ("delete", f"/api/v1/campaigns/{c}/streamers/{world.ids['S4']}", None),
        ("post", f"/api/v1/campaigns/{c}/screens", {"name": "偷看"}),
        ("post", "/api/v1/ingest-keys", {"name": "偷", "campaign_ids": [c]}),
        ("get", f"/api/v1/campaigns/{c}/export.xlsx", None),
        ("get", f"/api/v1/campaigns/{c}/products", None),
        ("get", f"/api/v1/products/{world.ids['PA1']}", None),
    ]
    for method, url, body in attempts:
        answer = client.open(url, method=method.upper(), json=body, headers=headers)
        assert answer.status_code in (403, 404), (method, url, answer.status_code)
    listed = client.get("/api/v1/products", headers=headers).get_json()["items"]
    assert {p["county_id"] for p in listed} <= {world.ids["Z"]}
    assert page.post(f"/sessions/{session}/move", data={"day": "2026-11-15"}).status_code == 403
    assert page.get(f"/campaigns/{c}/export.csv?sheet=products").status_code == 403
    with app.app_context():
        assert differences(before, dump()) == []


def test_make_run_never_signs_with_a_key_anyone_can_read(tmp_path, monkeypatch):
    """Hole: `make run` signed cookies and calendar links with the public development key."""
    config = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
    config.update(SECRET_KEY=None, TESTING=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'k.sqlite3'}")
    monkeypatch.setattr("coordinator.ROOT", tmp_path)
    first, second = create_app(config), create_app(config)
    key_file = tmp_path / "instance" / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 32 and first.config["SECRET_KEY"] != "dev-only-secret-key-change-me"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({**config, "SECRET_KEY": "dev-only-secret-key-change-me"})


def test_a_cookie_forged_with_the_old_public_key_opens_nothing(app, world):
    forged = URLSafeTimedSerializer("dev-only-secret-key-change-me", salt="cookie-session",
                                    signer_kwargs={"key_derivation": "hmac", "digest_method": "sha1"})
    browser = app.test_client()
    browser.set_cookie("session", forged.dumps({"_user_id": str(world.ids["user:admin"]), "_fresh": True}))
    assert browser.get("/").status_code == 302


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\r=1"])
def test_formula_looking_text_is_text_in_every_export(app, client, world, text):
    """Hole: a product name, host region or session title beginning with = was a live formula in the XLSX
    export, and CSV wrote such cells raw. Numbers are numbers and times are date-times now."""
    owner = bearer(world, "owner")
    assert client.patch(f"/api/v1/products/{world.ids['PA1']}", json={"name": text}, headers=owner).status_code == 200
    with app.app_context():
        from coordinator.models import LiveSession, Streamer

        db.session.get(Streamer, world.ids["S1"]).region = text
        db.session.get(LiveSession, world.ids["SS_host"]).title = text
        db.session.commit()
    sheets = load_workbook(io.BytesIO(client.get(f"/api/v1/campaigns/{world.ids['C']}/export.xlsx",
                                                 headers=owner).data))
    cells = [cell for sheet in sheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # The API strips leading whitespace from a product's name; the region and the title keep theirs.
    kept = ("products", "streamers", "sessions") if text == text.strip() else ("streamers", "sessions")
    assert sum(1 for c in cells if c.value in (text, text.replace("\r", "\n"))) >= len(kept)
    products = sheets["产品"]
    price = products.cell(row=2, column=[c.value for c in products[1]].index("价格（元）") + 1)
    assert price.data_type == "n" and float(price.value) == 29.9
    start = sheets["直播场次"].cell(row=2, column=3)
    assert start.is_date and start.value.hour == 19  # 11:00 UTC, as the coordinator's clock shows it
    for sheet in kept:
        body = client.get(f"/api/v1/campaigns/{world.ids['C']}/export.csv?sheet={sheet}", headers=owner)
        values = [cell for row in csv.reader(io.StringIO(body.get_data(as_text=True), newline="")) for cell in row]
        assert "'" + text in values and text not in values, sheet


@pytest.mark.parametrize("target", ["/\n/x", "/\t/evil.example", "/\\evil.example", "//evil.example",
                                    "https://evil.example/", "/%0d%0aSet-Cookie:x=1", " /x", "/ok\x00"])
def test_language_switch_only_ever_goes_back_to_this_site(client, target):
    """Hole: `next=/\\n/x` answered 500 and `next=/\\t/evil.example` redirected off-site."""
    answer = client.post("/language", data={"lang": "en", "next": target})
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location
    assert "\n" not in location and "\t" not in location and "\\" not in location


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\u200b", "\u2066", "\ufeff", "\u200d"])
def test_hidden_characters_in_names_are_refused_on_that_field(app, client, world, character):
    """Hole: NUL, bidi-override and zero-width characters were stored in names."""
    owner, name = bearer(world, "owner"), f"宜君{character}苹果"
    page = logged_in(app, "owner")
    with app.app_context():
        before = dump()
    for url, body, field in (
            (f"/api/v1/products/{world.ids['PA1']}", {"name": name}, "name"),
            (f"/api/v1/campaigns/{world.ids['C']}", {"name": name}, "name"),
            (f"/api/v1/sessions/{world.ids['SS_host']}", {"title": name}, "title")):
        answer = client.patch(url, json=body, headers=owner)
        assert answer.status_code == 422 and [e["field"] for e in answer.get_json()["errors"]] == [field], url
    page = page.post(f"/campaigns/{world.ids['C']}/edit", headers={"Accept-Language": "en"}, data={
        "name": name, "starts_at": "2026-11-10T12:00", "ends_at": "2026-11-24T12:00",
        "min_agri_products_per_session": "1", "max_products_per_session": "5"})
    assert page.status_code == 200 and "zero-width characters" in page.get_data(as_text=True)
    with app.app_context():
        assert differences(before, dump()) == []


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXY_COUNT": 1}])
def test_the_login_throttle_counts_one_username_from_one_address(app, clock, world, app_config):
    """Hole: the throttle was keyed on the address alone, so behind a proxy one person locked everyone out."""
    def attempt(username, password, address):
        return app.test_client().post("/login", data={"username": username, "password": password},
                                      headers={"X-Forwarded-For": address})

    for _ in range(6):
        assert attempt("editor", "wrong password", "10.0.0.7").status_code in (401, 429)
    assert attempt("editor", PASSWORD, "10.0.0.7").status_code == 429  # this person, from here, waits
    assert attempt("viewer", PASSWORD, "10.0.0.7").status_code == 302  # a colleague behind the same proxy does not
    assert attempt("editor", PASSWORD, "10.0.0.8").status_code == 302  # nor does the same person elsewhere
    clock.advance(seconds=app.config["LOGIN_MAX_DELAY_S"] + 1)
    assert attempt("editor", PASSWORD, "10.0.0.7").status_code == 302  # the right password after the wait


def test_an_audit_entry_names_who_made_each_screen_and_key(app, client, world):
    owner = bearer(world, "owner")
    client.post(f"/api/v1/campaigns/{world.ids['C']}/screens", json={"name": "大屏"}, headers=owner)
    client.post("/api/v1/ingest-keys", json={"name": "快手", "campaign_ids": [world.ids["C"]]}, headers=owner)
    with app.app_context():
        from coordinator.models import AuditEntry

        made = {(e.entity_type, e.action, e.user_id) for e in db.session.query(AuditEntry)}
    assert {("screen_tokens", "create", world.ids["user:owner"]), ("ingest_keys", "create", world.ids["user:owner"])} \
        <= made
