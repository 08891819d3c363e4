"""Tally pushes: subscribers get the new numbers after a sale, coalesced to four a second per scope."""
from __future__ import annotations

import json

import pytest

from coordinator.extensions import socketio
from coordinator.realtime.coalesce import TallyCoalescer
from coordinator.realtime.tally_push import EXTENSION_KEY

from tests.ingest.helpers import event, open_shop, signed_headers
from tests.factories import api_token, make_user


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_coalescer_sends_each_scope_at_most_every_quarter_second():
    sent, ticks = [], Ticks()
    coalescer = TallyCoalescer(lambda scope, scope_id: sent.append((scope, scope_id, ticks.now)), clock=ticks)
    coalescer._dirty |= {("campaign", 1), ("session", 7)}  # as mark() does, without starting the worker
    assert coalescer.flush() is None and len(sent) == 2
    for step in range(40):  # ten seconds of changes every 25 ms
        ticks.now += 0.025
        coalescer._dirty.add(("campaign", 1))
        coalescer.flush()
    campaign_sends = [t for scope, _id, t in sent if scope == "campaign"]
    gaps = [later - earlier for earlier, later in zip(campaign_sends, campaign_sends[1:])]
    assert min(gaps) >= 0.25 - 1e-9 and len(campaign_sends) >= 4
    assert ("campaign", 1) not in coalescer._dirty or ticks.now - campaign_sends[-1] < 0.25


def test_a_failed_send_does_not_stop_other_scopes_and_is_retried_at_its_next_turn():
    sent, ticks, redis_down = [], Ticks(), [True]

    def send(scope, scope_id):
        if scope_id == 1 and redis_down[0]:
            raise ConnectionError("redis is down")
        sent.append(scope_id)
    coalescer = TallyCoalescer(send, clock=ticks)
    coalescer._dirty |= {("campaign", 1), ("campaign", 2)}
    assert coalescer.flush() == pytest.approx(0.25)
    assert sent == [2]
    redis_down[0] = False
    ticks.now += 0.25
    assert coalescer.flush() is None
    assert sent == [2, 1]


def test_a_sale_marked_while_its_scope_is_being_sent_is_pushed_next_turn():
    """The snapshot read during a send may predate a sale committed meanwhile: that sale must not be lost."""
    sent, ticks = [], Ticks()
    coalescer = TallyCoalescer(lambda scope, scope_id: None, clock=ticks, autostart=False)

    def send(scope, scope_id):
        sent.append(ticks.now)
        if len(sent) == 1:
            coalescer.mark({(scope, scope_id)})  # a sale commits while the first push is on its way
    coalescer._send = send
    coalescer.mark({("campaign", 1)})
    assert coalescer.flush() == pytest.approx(0.25)  # not None: the new sale still waits
    ticks.now += 0.25
    assert coalescer.flush() is None
    assert sent == [100.0, 100.25]


def test_a_scope_another_process_just_pushed_waits_for_its_next_turn():
    sent, ticks, allowed = [], Ticks(), [False]
    coalescer = TallyCoalescer(lambda scope, scope_id: sent.append(scope_id), may_send=lambda s, i: allowed[0],
                               clock=ticks, autostart=False)
    coalescer.mark({("campaign", 1)})
    assert coalescer.flush() is not None and sent == []
    allowed[0] = True
    ticks.now += 0.25
    assert coalescer.flush() is None and sent == [1]


@pytest.fixture
def shop(app, clock):
    with app.app_context():
        return open_shop(clock())


def test_subscribers_get_the_new_snapshot_after_a_sale(app, client, shop, clock):
    with app.app_context():
        token = api_token(make_user("chief", "commissioner", is_admin=True))
    socket = socketio.test_client(app, namespace="/live", auth={"token": token})
    ack = socket.emit("subscribe", {"campaign_id": shop.campaign_id}, namespace="/live", callback=True)
    assert ack["snapshot"]["totals"]["net_fen"] == 0 and ack["snapshot"]["seq"] == 0
    body = json.dumps({"events": [event(shop, "o-1"), event(shop, "o-2", product="grits", amount_fen=580)]}).encode()
    assert client.post("/api/v1/sales", data=body, headers=signed_headers(shop, body, int(clock().timestamp()))).status_code == 200
    app.extensions[EXTENSION_KEY].flush()  # what the worker thread does within a quarter second
    pushes = [m["args"][0] for m in socket.get_received("/live") if m["name"] == "tally"]
    assert pushes and pushes[-1]["totals"]["net_fen"] == 4570 and pushes[-1]["seq"] == 1
    assert pushes[-1]["by_product"][0]["name"] == "宜君苹果"
