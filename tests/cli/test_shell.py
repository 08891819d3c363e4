"""The real `flask --app wsgi …` commands in child processes, as an operator runs them, on a fresh SQLite file."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from coordinator.domain.secrets import token_digest
from tests.servers import ROOT

FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def test_bootstrap_commands_from_a_shell(tmp_path):
    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SCHEDULER_MODE": "off", "PYTHONUNBUFFERED": "1"}

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen([*FLASK, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def last_line(process: subprocess.Popen) -> str:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert out.endswith("\n") and out.splitlines()[-1].strip(), out
        return out.splitlines()[-1]

    last_line(start("init-db"))
    assert last_line(start("demo")).startswith("/screen/lcc_screen_")
    # The three need only the demo's rows; run side by side to keep the test short (and SQLite busy).
    user, key, screen, refused = (start("create-user", "ops", "--role", "commissioner"), start("ingest-key", "douyin"),
                                  start("screen-token", "--campaign", "1"), start("screen-token", "--campaign", "99"))
    token, (key_id, secret), path = last_line(user), last_line(key).split(" "), last_line(screen)
    out, err = refused.communicate(timeout=60)
    assert refused.returncode != 0 and "99" in err and not out.strip().startswith("/screen/")
    assert token.startswith("lcc_api_") and key_id.startswith("ik_") and len(secret) == 64
    assert path.startswith("/screen/lcc_screen_")
    with sqlite3.connect(database) as connection:
        def one(sql: str, *params) -> tuple:
            return connection.execute(sql, params).fetchone()

        assert one("SELECT u.username FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
                   token_digest(token)) == ("ops",)
        assert one("SELECT secret FROM ingest_keys WHERE key_id = ?", key_id) == (secret,)
        assert one("SELECT campaign_id FROM screen_tokens WHERE token_hash = ?",
                   token_digest(path.removeprefix("/screen/"))) == (1,)
        assert one("SELECT count(*) FROM screen_tokens") == (2,)  # the demo's and the one above
