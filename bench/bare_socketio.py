"""The baseline for bench/fanout.py: a bare python-socketio server, the coordinator's stack without the coordinator.

Same async mode (threading) and server (gunicorn, one worker, a thread per WebSocket) as the coordinator. Clients
connect to /live with any auth and emit `subscribe`; POST /broadcast {"seconds", "hz"} emits a payload shaped and
sized like a campaign snapshot to all of them `hz` times a second and answers with when each emit started.
"""
from __future__ import annotations

import json
import os
import time

import socketio

sio = socketio.Server(async_mode=os.environ.get("SOCKETIO_ASYNC_MODE", "threading"))
ROOM = "campaign:1"


@sio.on("connect", namespace="/live")
def connect(sid, environ, auth=None):  # noqa: ANN001 - python-socketio handler
    """Everyone may connect."""


@sio.on("subscribe", namespace="/live")
def subscribe(sid, data):  # noqa: ANN001 - python-socketio handler
    """Join the one room; the ack carries a snapshot like the coordinator's."""
    sio.enter_room(sid, ROOM, namespace="/live")
    return {"ok": True, "snapshot": snapshot(0, 0)}


def snapshot(seq: int, orders: int) -> dict:
    rows = [{"county_id": i, "name": f"县{i}", "net_fen": 100_000 - i, "orders": i} for i in range(20)]
    return {"scope": "campaign", "id": 1, "seq": seq,
            "totals": {"orders": orders, "units": orders, "gross_fen": orders * 580, "refunded_fen": 0,
                       "net_fen": orders * 580},
            "by_county": rows, "by_streamer": [{"streamer_id": i, "display_name": f"主播{i}", "net_fen": 9_000 - i,
                                                "orders": i} for i in range(20)],
            "by_product": [{"product_id": i, "name": f"产品{i}", "net_fen": 8_000 - i, "units": i} for i in range(20)],
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def control(environ, start_response):
    """POST /broadcast: emit for a while, answer with [emit start time, orders value] per emit."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    request = json.loads(environ["wsgi.input"].read(length) or b"{}")
    marks, seconds, interval = [], float(request.get("seconds", 10)), 1 / float(request.get("hz", 4))
    started = time.time()
    for n in range(1, int(seconds / interval) + 1):
        due = started + n * interval
        if due > time.time():
            time.sleep(due - time.time())
        at = time.time()
        sio.emit("tally", snapshot(n, n), to=ROOM, namespace="/live")
        marks.append((at, n))
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({"marks": marks}).encode()]


app = socketio.WSGIApp(sio, control)
