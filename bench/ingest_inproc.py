"""Ingest CPU per post in process: the WSGI app called directly, no HTTP server and no client in the way.

Run by hand:  .venv/bin/python bench/ingest_inproc.py [--backend sqlite|postgresql] [--posts 400] [--size 1]
Prints CPU milliseconds per post (time.process_time of this process, which also runs the tally push thread) and
the wall-time rate. Point PYTHONPATH-style at another checkout with --root to compare two versions of the code.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument("--size", type=int, default=1, help="events per post (1: a single event, not a batch)")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent), help="the checkout to measure")
    args = parser.parse_args()
    sys.path[:0] = [args.root, str(Path(args.root) / "bench")]
    import ingest as bench  # the checkout's own bench/ingest.py: database set-up and signing

    with tempfile.TemporaryDirectory() as tmp:
        url = bench.database(args.backend, Path(tmp))
        try:
            key_id, secret, session_id, products, _key_row = bench.prepare(url)
            os.environ.update(DATABASE_URL=url, SCHEDULER_MODE="off")
            from coordinator import create_app

            app = create_app()
            bodies = [json.dumps(bench.event(i, session_id, products, "s") if args.size == 1 else {"events": [
                bench.event(k, session_id, products, "b") for k in range(i * args.size, (i + 1) * args.size)]}).encode()
                for i in range(args.posts + 20)]

            def call(body: bytes) -> None:
                headers = bench.signed(key_id, secret, body)
                environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/sales", "SERVER_NAME": "bench",
                           "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
                           "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
                           "CONTENT_TYPE": "application/json"}
                environ.update({"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()
                                if name.startswith("X-")})
                status = []
                b"".join(app(environ, lambda line, _headers: status.append(line)))
                assert status[0].startswith("200"), status

            for body in bodies[:20]:  # warm pools and caches
                call(body)
            cpu, wall = time.process_time(), time.perf_counter()
            for body in bodies[20:]:
                call(body)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{args.backend} {args.size}-event posts: {cpu / args.posts * 1000:.2f} ms CPU per post, "
                  f"{args.posts * args.size / wall:,.0f} events/s wall ({args.posts} posts)")
        finally:
            bench.drop(url)


if __name__ == "__main__":
    main()
