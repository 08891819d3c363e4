"""create-user, ingest-key and screen-token: the secret is the last line of stdout, and it works."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from coordinator.domain.secrets import token_digest
from coordinator.extensions import db
from coordinator.models import ApiToken, Campaign, CommissionerCounty, IngestKey, ScreenToken, User
from tests.cli.helpers import last_line, refused
from tests.factories import make_county, make_streamer, make_user


def me(client, token: str) -> dict:
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_commissioner_gets_a_working_token_and_a_generated_password(runner, client):
    result = runner.invoke(args=["create-user", "wang", "--role", "commissioner"])
    token = last_line(result)
    assert token.startswith("lcc_api_")
    assert (me(client, token)["username"], me(client, token)["role"], me(client, token)["streamer_id"]) == \
        ("wang", "commissioner", None)
    password = next(line.removeprefix("Password:").strip() for line in result.stdout.splitlines()
                    if line.startswith("Password:"))
    assert client.post("/login", data={"username": "wang", "password": password}).status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer lcc_api_wrong"}).status_code == 401


def test_admin_commissioner_with_counties(app, runner, client):
    with app.app_context():
        yijun, puan = make_county("宜君县", "陕西省").id, make_county("普安县", "贵州省").id
    token = last_line(runner.invoke(args=["create-user", "li", "--role", "commissioner", "--admin", "--password",
                                          "apples-and-grits", "--county", str(yijun), "--county", str(puan),
                                          "--county", str(yijun)]))
    assert me(client, token)["is_admin"] is True
    with app.app_context():
        user = db.session.query(User).filter_by(username="li").one()
        assigned = db.session.query(CommissionerCounty).filter_by(user_id=user.id)
        assert {row.county_id for row in assigned} == {yijun, puan}
    assert client.post("/login", data={"username": "li", "password": "apples-and-grits"}).status_code == 302


def test_streamer_token_is_bound_to_the_streamer(app, runner, client):
    with app.app_context():
        streamer_id = make_streamer("xunwu_laozhong").id
    result = runner.invoke(args=["create-user", "laozhong", "--role", "streamer", "--streamer", "xunwu_laozhong",
                                 "--password", "passion-fruit-1"])
    token = last_line(result)
    assert "Password:" not in result.stdout  # given, so not echoed
    assert (me(client, token)["role"], me(client, token)["streamer_id"]) == ("streamer", streamer_id)
    assert client.post("/login", data={"username": "laozhong", "password": "passion-fruit-1"}).status_code == 302


@pytest.mark.parametrize("args, says", [
    (["ghost", "--role", "streamer", "--streamer", "nobody"], "nobody"),
    (["ghost", "--role", "streamer"], "--streamer HANDLE"),
    (["ghost", "--role", "admin"], "admin"),
    (["ghost", "--role", "commissioner", "--streamer", "xunwu_laozhong"], "streamer"),
    (["ghost", "--role", "streamer", "--streamer", "xunwu_laozhong", "--admin"], "commissioner"),
    (["ghost", "--role", "commissioner", "--county", "404"], "404"),
    (["ghost", "--role", "commissioner", "--password", "short"], "password"),
    (["ghost", "--role", "commissioner", "--password", ""], "password"),
    (["x", "--role", "commissioner"], "username"),
    (["wang", "--role", "commissioner"], "taken"),
    (["ghost", "--role", "streamer", "--streamer", "yijun_xiaomei"], "already"),
])
def test_create_user_refusals_say_why_and_store_nothing(app, runner, args, says):
    with app.app_context():
        make_streamer("xunwu_laozhong")
        make_streamer("yijun_xiaomei")
        make_user("wang", "commissioner")
        make_user("xiaomei", "streamer", streamer_handle="yijun_xiaomei")
    assert says in refused(runner.invoke(args=["create-user", *args]))
    with app.app_context():
        assert sorted(u.username for u in db.session.query(User)) == ["wang", "xiaomei"]
        assert db.session.query(ApiToken).count() == 0 and db.session.query(CommissionerCounty).count() == 0


def test_ingest_key_prints_key_id_and_secret(app, runner):
    key_id, secret = last_line(runner.invoke(args=["ingest-key", "taobao-live"])).split(" ")
    with app.app_context():
        key = db.session.query(IngestKey).filter_by(key_id=key_id).one()
        assert (key.secret, key.name, key.revoked_at) == (secret, "taobao-live", None)
    assert key_id.startswith("ik_") and len(secret) == 64


def test_ingest_key_needs_a_name(app, runner):
    assert "name" in refused(runner.invoke(args=["ingest-key", " "]))
    with app.app_context():
        assert db.session.query(IngestKey).count() == 0


def _campaign(app) -> int:
    with app.app_context():
        campaign = Campaign(name="双十一", starts_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 11, 12, tzinfo=timezone.utc))
        db.session.add(campaign)
        db.session.commit()
        return campaign.id


def test_screen_token_prints_a_path_bound_to_the_campaign(app, runner, client):
    campaign_id = _campaign(app)
    result = runner.invoke(args=["screen-token", "--campaign", str(campaign_id), "--name", "县电商办大屏"])
    path = last_line(result)
    assert path.startswith("/screen/lcc_screen_") and f"http://127.0.0.1:5000{path}" in result.stdout
    with app.app_context():
        row = db.session.query(ScreenToken).one()
        assert (row.campaign_id, row.name) == (campaign_id, "县电商办大屏")
        assert row.token_hash == token_digest(path.removeprefix("/screen/"))
    assert client.get(path).status_code == 200


def test_screen_token_for_an_unknown_campaign_is_refused(app, runner):
    _campaign(app)
    assert "999" in refused(runner.invoke(args=["screen-token", "--campaign", "999"]))
    with app.app_context():
        assert db.session.query(ScreenToken).count() == 0
    assert runner.invoke(args=["screen-token"]).exit_code != 0
