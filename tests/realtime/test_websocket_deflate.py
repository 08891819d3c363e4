"""Socket.IO over a weak signal: a real server accepts permessage-deflate (RFC 7692) when the browser offers it, and
its frames then arrive compressed. In both deployments: `python wsgi.py` (threading) and gunicorn's gevent worker."""
from __future__ import annotations

import base64
import json
import os
import socket
import zlib

import pytest

from tests import databases
from tests.servers import GeventServer, ServerProcess

OFFER = "permessage-deflate; client_max_window_bits"


@pytest.fixture(params=["threading", "gevent"])
def server(request, sqlite_template, tmp_path):
    """A real server of each deployment, on SQLite (threading) or PostgreSQL (gevent needs it)."""
    if request.param == "threading":
        with ServerProcess(databases.copy_sqlite(sqlite_template, tmp_path / "ws.sqlite3")) as running:
            yield running
        return
    if not databases.postgres_reachable():
        databases.unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
    url = databases.clone_postgres_database(request.getfixturevalue("postgres_template"))
    try:
        with GeventServer(url) as running:
            yield running
    finally:
        databases.drop_postgres_database(url)


def upgrade(port: int, extensions: str | None) -> tuple[str, socket.socket, bytes]:
    """Open engine.io's WebSocket transport by hand; the 101's head, the socket and what followed the head."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    offer = f"Sec-WebSocket-Extensions: {extensions}\r\n" if extensions else ""
    connection.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                        f"Sec-WebSocket-Version: 13\r\n{offer}\r\n").encode())
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(4096)
        assert chunk, received
        received += chunk
    head, _, rest = received.partition(b"\r\n\r\n")
    return head.decode("latin-1"), connection, rest


def first_frame(connection: socket.socket, buffered: bytes) -> tuple[bool, bytes]:
    """The server's first frame (engine.io's open packet): whether RSV1 (compressed) is set, and its payload."""
    data = buffered
    while len(data) < 2:
        data += connection.recv(4096)
    length, start = data[1] & 0x7F, 2
    if length == 126:
        while len(data) < 4:
            data += connection.recv(4096)
        length, start = int.from_bytes(data[2:4], "big"), 4
    while len(data) < start + length:
        data += connection.recv(4096)
    return bool(data[0] & 0x40), data[start:start + length]


def test_the_socket_accepts_permessage_deflate_and_sends_compressed_frames(server):
    head, connection, rest = upgrade(server.port, OFFER)
    with connection:
        assert head.startswith("HTTP/1.1 101"), head
        accepted = [line for line in head.split("\r\n") if line.lower().startswith("sec-websocket-extensions:")]
        assert accepted and "permessage-deflate" in accepted[0], head
        compressed, payload = first_frame(connection, rest)
        assert compressed
        opened = zlib.decompressobj(-zlib.MAX_WBITS).decompress(payload + b"\x00\x00\xff\xff")
        assert opened.startswith(b'0{"sid"')


def test_a_client_that_offers_nothing_gets_plain_frames(server):
    head, connection, rest = upgrade(server.port, None)
    with connection:
        assert head.startswith("HTTP/1.1 101") and "sec-websocket-extensions" not in head.lower(), head
        compressed, payload = first_frame(connection, rest)
        assert not compressed and payload.startswith(b'0{"sid"')
        opened = json.loads(payload[1:])
        # The heartbeat the browser is told: a link that dies quietly is given up after 10 + 10 s, not 25 + 20 s.
        assert (opened["pingInterval"], opened["pingTimeout"]) == (10_000, 10_000)
