"""`python wsgi.py` serves HTTP and Socket.IO on $HOST:$PORT, as CONTRACT section 1 says."""
from __future__ import annotations

import os
import subprocess
import sys

import requests

from tests import databases
from tests.servers import ROOT, ServerProcess


def test_wsgi_serves_http_and_socketio_on_host_and_port(sqlite_template, tmp_path):
    url = databases.copy_sqlite(sqlite_template, tmp_path / "serve.sqlite3")
    with ServerProcess(url) as server:
        document = requests.get(server.url + "/api/v1/openapi.json", timeout=5)
        assert document.status_code == 200 and document.json()["openapi"].startswith("3.")
        login = requests.get(server.url + "/login", timeout=5)
        assert login.status_code == 200 and "text/html" in login.headers["Content-Type"]
        handshake = requests.get(server.url + "/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=5)
        assert handshake.status_code == 200 and handshake.text.startswith("0{") and '"sid"' in handshake.text


def test_a_guessable_secret_refuses_to_start(sqlite_template, tmp_path):
    env = {**os.environ, "COORDINATOR_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
           "SECRET_KEY": "dev-only-secret-key-change-me"}
    result = subprocess.run([sys.executable, "wsgi.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
