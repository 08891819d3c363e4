"""The contract's commands: each prints its secret as the last line, and the secret works."""
from __future__ import annotations

import os
import subprocess
import sys

from coordinator.domain.secrets import token_digest
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignProduct, CampaignStreamer, County, IngestKey, Product, ScreenToken, Streamer, User
from tests.factories import make_streamer
from tests.servers import ROOT


def last_line(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_create_commissioner_prints_a_working_token(runner, client):
    token = last_line(runner.invoke(args=["create-user", "wang", "--role", "commissioner"]))
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert (me["username"], me["role"], me["streamer_id"]) == ("wang", "commissioner", None)


def test_create_streamer_token_is_bound_to_the_streamer(app, runner, client):
    with app.app_context():
        streamer_id = make_streamer("xunwu_laozhong").id
    token = last_line(runner.invoke(args=["create-user", "laozhong", "--role", "streamer", "--streamer", "xunwu_laozhong",
                                          "--password", "passion-fruit-1"]))
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert (me["role"], me["streamer_id"]) == ("streamer", streamer_id)
    assert client.post("/login", data={"username": "laozhong", "password": "passion-fruit-1"}).status_code == 302


def test_create_user_errors_exit_nonzero_and_store_nothing(app, runner):
    for args in (["create-user", "ghost", "--role", "streamer", "--streamer", "nobody"],
                 ["create-user", "x", "--role", "commissioner"],
                 ["create-user", "wang", "--role", "commissioner", "--county", "404"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
    assert runner.invoke(args=["create-user", "wang", "--role", "commissioner"]).exit_code == 0
    assert runner.invoke(args=["create-user", "wang", "--role", "commissioner"]).exit_code != 0
    with app.app_context():
        assert [u.username for u in db.session.query(User)] == ["wang"]


def test_ingest_key_prints_key_id_and_secret(app, runner):
    key_id, secret = last_line(runner.invoke(args=["ingest-key", "taobao-live"])).split(" ")
    with app.app_context():
        key = db.session.query(IngestKey).filter_by(key_id=key_id).one()
        assert key.secret == secret and key.name == "taobao-live" and len(secret) == 64


def test_screen_token_prints_a_path_bound_to_the_campaign(app, runner):
    from datetime import datetime, timezone

    with app.app_context():
        campaign = Campaign(name="双十一", starts_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 11, 12, tzinfo=timezone.utc))
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    path = last_line(runner.invoke(args=["screen-token", "--campaign", str(campaign_id)]))
    assert path.startswith("/screen/")
    with app.app_context():
        row = db.session.query(ScreenToken).one()
        assert row.campaign_id == campaign_id and row.token_hash == token_digest(path.removeprefix("/screen/"))
    assert runner.invoke(args=["screen-token", "--campaign", "999"]).exit_code != 0


def test_demo_loads_the_real_counties_twice_without_duplicates_and_its_logins_work(app, runner, client):
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert last_line(first).startswith("/screen/") and last_line(second).startswith("/screen/")
    with app.app_context():
        assert db.session.query(County).count() == 7
        assert {"宜君县", "普安县", "寻乌县"} <= {c.name for c in db.session.query(County)}
        assert db.session.query(Product).count() == 10 and db.session.query(Streamer).count() == 12
        campaign = db.session.query(Campaign).one()
        assert "One More Agriproduct" in campaign.name and campaign.status == "published"
        assert db.session.query(CampaignProduct).count() == 10 and db.session.query(CampaignStreamer).count() == 12
        grits = db.session.query(Product).filter_by(sku="YJ-GRITS-500G").one()
        assert grits.price_fen == 580
    logins = dict(line.split(":", 1) for line in second.output.splitlines() if "login:" in line)
    for label in ("Commissioner login", "Streamer login"):
        username, password = [part.strip() for part in logins[label].split("/")]
        fresh = app.test_client()
        assert fresh.post("/login", data={"username": username, "password": password}).status_code == 302, label


def test_the_real_commands_from_a_shell(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3", "SCHEDULER_MODE": "off"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]

    def run(*args: str) -> str:
        result = subprocess.run([*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    run("init-db")
    assert run("demo").startswith("/screen/")
    assert run("create-user", "ops", "--role", "commissioner").startswith("lcc_api_")
    key_id, secret = run("ingest-key", "douyin").split(" ")
    assert key_id.startswith("ik_") and len(secret) == 64
    assert run("screen-token", "--campaign", "1").startswith("/screen/lcc_screen_")
