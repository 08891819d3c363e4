"""Pooled PostgreSQL connections that went stale while idle are not used for a request, or are used once and
replaced: after a server restart (the server said goodbye) and after a NAT or proxy forgot the connection (nobody
said anything). The pool has no pre-ping: coordinator/database.py looks at the idle socket instead."""
from __future__ import annotations

import select
import socket
import struct
import threading
import time

import pytest
from sqlalchemy import text

from coordinator.extensions import db
from coordinator.domain.access_facts import SYSTEM
from coordinator.services import screen_links
from tests.faults.helpers import Outage, totals, utcnow
from tests.ingest.helpers import event, open_shop, post_sales

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def clock():
    """Real time: the webhook checks signatures' timestamps against it."""
    return utcnow


class ForgetfulProxy:
    """A TCP relay to PostgreSQL that can forget its connections as a NAT's idle timeout does: the server's side
    is closed, the client hears nothing, and its next packet is answered with a reset."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.flows: list[dict] = []
        self.lock = threading.Lock()
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            flow = {"client": client, "server": socket.create_connection(("127.0.0.1", 5432)), "forgotten": False,
                    "gone": threading.Event()}
            with self.lock:
                self.flows.append(flow)
            threading.Thread(target=self._relay, args=(flow,), daemon=True).start()

    def _relay(self, flow: dict) -> None:
        client, server = flow["client"], flow["server"]
        try:
            while self.running and not flow["forgotten"]:
                for end in select.select([client, server], [], [], 0.05)[0]:
                    data = end.recv(65536)
                    if not data:
                        return
                    (server if end is client else client).sendall(data)
            server.close()  # forgotten: the server's side goes, and the client hears nothing
            flow["gone"].set()
            while self.running and not select.select([client], [], [], 0.05)[0]:
                pass
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # its next packet: reset
        finally:
            client.close()
            server.close()

    def forget_all(self) -> int:
        """Drop every flow silently; how many there were."""
        with self.lock:
            flows = list(self.flows)
        for flow in flows:
            flow["forgotten"] = True
        for flow in flows:  # each relay has stopped relaying before the test goes on
            assert flow["gone"].wait(5) or flow["client"].fileno() == -1
        return len(flows)

    def close(self) -> None:
        self.running = False
        self.listener.close()


@pytest.fixture
def proxy(app_config, database_url):
    """The app reaches PostgreSQL through a ForgetfulProxy (request it before `app`)."""
    relay = ForgetfulProxy()
    app_config["SQLALCHEMY_DATABASE_URI"] = database_url.replace("127.0.0.1:5432", f"127.0.0.1:{relay.port}")
    yield relay
    relay.close()


def test_pooled_connections_the_server_ended_are_replaced_before_use(app, client, database_url):
    """PostgreSQL restarted (its backends terminated) while the pool sat idle: the next sale and the next page are
    served on fresh connections, without a 503."""
    with app.app_context():
        shop = open_shop(utcnow())
        _row, token = screen_links.create_screen_token(SYSTEM, shop.campaign_id, "war room")
    assert post_sales(client, shop, event(shop, "before", amount_fen=100)).status_code == 200
    assert client.get(f"/screen/{token}").status_code == 200
    outage = Outage(database_url)
    find = "SELECT pid FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
    with outage.admin.connect() as connection:
        pooled = connection.execute(text(find), {"n": outage.name}).scalars().all()
    assert pooled  # the app's idle pooled connections
    for pid in pooled:
        outage.terminate(pid)
    for _ in range(200):  # pg_terminate_backend only signals: wait until the backends are gone
        with outage.admin.connect() as connection:
            if not set(pooled) & set(connection.execute(text(find), {"n": outage.name}).scalars().all()):
                break
        time.sleep(0.05)
    else:
        pytest.fail(f"backends {pooled} were still there 10 s after they were terminated")
    outage.admin.dispose()
    sale = post_sales(client, shop, event(shop, "after", amount_fen=1000))
    assert sale.status_code == 200 and sale.get_json() == {"accepted": 1, "duplicates": 0}, sale.get_data(as_text=True)
    assert client.get(f"/screen/{token}").status_code == 200
    assert totals(database_url) == (1100, 2, 1100)


def test_a_sale_on_a_connection_a_nat_forgot_is_stored_on_a_new_one(proxy, app, client, database_url):
    """Nothing arrives on a connection a NAT forgot, so the checkout cannot tell: the webhook's statement fails
    with a reset, and is sent once more on a new connection (safe: its own transaction, ON CONFLICT)."""
    with app.app_context():
        shop = open_shop(utcnow())
    assert post_sales(client, shop, event(shop, "before", amount_fen=100)).status_code == 200
    with app.app_context():  # a few idle connections in the pool, as after a busy minute
        held = [db.engine.connect() for _ in range(3)]
        for connection in held:
            connection.close()
    assert proxy.forget_all() >= 3
    sale = post_sales(client, shop, event(shop, "after", amount_fen=1000))
    assert sale.status_code == 200 and sale.get_json() == {"accepted": 1, "duplicates": 0}, sale.get_data(as_text=True)
    assert post_sales(client, shop, event(shop, "next", amount_fen=10)).status_code == 200
    assert post_sales(client, shop, event(shop, "after", amount_fen=1000)).get_json() == {"accepted": 0, "duplicates": 1}
    assert totals(database_url) == (1110, 3, 1110)
