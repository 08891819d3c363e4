"""What the delivery tests do through the API as a campaign's owner would, and a worker driven on the injected
clock."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.access.world import World, bearer


def owner(world: World) -> dict:
    """The campaign owner's API headers."""
    return bearer(world, "owner")


def make_channel(client, world: World, kind: str, receiver=None, **fields) -> dict:
    """Make one of campaign C's channels through the API, pointed at a receiver; its 201 body."""
    body = {"kind": kind, "name": fields.pop("name", f"{kind} 群"), "campaign_id": world.ids["C"],
            **(receiver.channel_fields() if receiver is not None else {}), **fields}
    response = client.post("/api/v1/channels", headers=owner(world), json=body)
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    if kind == "webhook" and receiver is not None:
        receiver.secret = made["secret"]
    return made


def schedule_session(client, world: World, clock, days_ahead: int = 3, title: str = "") -> dict:
    """Schedule a two-hour session of host S1 in campaign C through the API; its 201 body."""
    start = (clock() + timedelta(days=days_ahead)).replace(hour=11, minute=0, second=0, microsecond=0)
    response = client.post("/api/v1/sessions", headers=owner(world), json={
        "campaign_id": world.ids["C"], "streamer_id": world.ids["S1"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(), "product_ids": [world.ids["PA1"]], "title": title})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def send_tests(client, world: World, channel_id: int, count: int) -> list[int]:
    """Queue `count` test messages to a channel ("send a test message"); their delivery ids."""
    ids = []
    for _ in range(count):
        response = client.post(f"/api/v1/channels/{channel_id}/test", headers=owner(world))
        assert response.status_code == 202, response.get_json()
        ids.append(response.get_json()["delivery_id"])
    return ids


def log(client, world: World, **query) -> list[dict]:
    """GET /api/v1/deliveries as the owner: the items, newest first."""
    response = client.get("/api/v1/deliveries", headers=owner(world), query_string={"per_page": 200, **query})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def one(client, world: World, channel_id: int) -> dict:
    """The channel's only delivery in the log."""
    items = log(client, world, channel_id=channel_id)
    assert len(items) == 1, items
    return items[0]


def run_for(worker, clock, seconds: float, step: float) -> int:
    """Run the worker every `step` seconds of the injected clock for `seconds`; how many attempts it made."""
    made, moved = worker.run_once(), 0.0
    while moved < seconds:
        clock.advance(seconds=step)
        moved += step
        made += worker.run_once()
    return made


def iso(moment: datetime) -> str:
    """A time as the API takes it."""
    return moment.isoformat()
