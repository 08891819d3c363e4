"""A local group robot for the demo: it answers like WeCom's and writes each message it receives to a log file,
so a newcomer running `make run` sees the coordinator's messages arrive."""
from __future__ import annotations

import json
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MAX_BODY = 64 * 1024


def _line(body: bytes) -> str:
    try:
        message = json.loads(body)
        text = message.get("markdown", {}).get("content") or message.get("text", {}).get("content") or ""
    except (ValueError, AttributeError):
        text = body[:200].decode("utf-8", "replace")
    return text.replace("\n\n", " · ").replace("\n", " ")


def handler_for(log_path: Path) -> type[BaseHTTPRequestHandler]:
    """A request handler appending what it receives to the log."""

    class Robot(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            body = self.rfile.read(length)
            with log_path.open("a", encoding="utf-8") as log:
                log.write(f"{datetime.now().astimezone().isoformat(timespec='seconds')} {_line(body)}\n")
            answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:  # the log file says it all
            return

    return Robot


def serve(host: str, port: int, log_path: str) -> None:
    """Serve until interrupted."""
    path = Path(log_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((host, port), handler_for(path))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
