"""Every page under emulated weak 3G: what it weighs as transferred, how many requests, how long until it is usable.

Run by hand, never as a timed test: `.venv/bin/python bench/pages.py [--runs N] [--only NAME,...]`. It migrates a fresh
SQLite file in a temporary folder, loads the demo, serves `python wsgi.py` from the checkout this file sits in, and
drives Debian's Chromium through Playwright with Chromium's own network emulation (CDP
`Network.emulateNetworkConditions`: 150 ms latency, 1.6 Mbps down = 200,000 B/s, 750 kbps up = 93,750 B/s).

For each page, a new browser context (cold cache; logged in by its role's cookies only) opens it once:

- KB: the sum of CDP `Network.loadingFinished.encodedDataLength`, what crossed the wire (headers and compressed
  bodies; WebSocket frames are not counted, a long-polling transport's requests are);
- requests: CDP `Network.requestWillBeSent` events, the page's and its assets' and its scripts' fetches;
- load: the navigation timing entry's `loadEventEnd` (milliseconds from navigation start);
- usable: `performance.now()` when the page's main content is shown and its scripts have run (DOMContentLoaded) and,
  on the live pages, the tally from the socket's first snapshot is on screen (the screen's footer shows the snapshot's
  time; the host's live page and the pairing board say "live" once their subscription answered);
- warm: a second visit in the same context (the browser's cache warm), usable in milliseconds.

Pages come from tests/e2e/page_catalogue.py when it exists (every page with the demo's ids resolved), otherwise from
the list below. Prints a markdown table. `--runs N` takes the median of N cold visits per page.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.test_slow_network import throttled  # noqa: E402 - the browser tests' weak 3G, the same in both

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
ACCOUNTS = {"commissioner": ("commissioner", "one-more-agri-2026"), "streamer": ("xiaomei", "xiaomei-live-2026")}
# True once the page is usable; see the module's docstring.
USABLE = """() => {
  if (document.readyState === 'loading') return false;
  const main = document.querySelector('main');
  if (!main || main.getClientRects().length === 0) return false;
  const screen = document.getElementById('screen');
  if (screen) return screen.dataset.synced === 'true' || (document.getElementById('updated') || {}).textContent !== '';
  const live = document.getElementById('live-indicator');
  if (live) return live.dataset.state === 'live';
  return true;
}"""


@dataclass
class Page:
    name: str
    role: str  # "anonymous", "commissioner" or "streamer"
    path: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=120)
    return done.stdout.splitlines()


def fallback_pages(database: Path, screen_path: str) -> list[Page]:
    """The pages the issue names and their neighbours, with the demo's ids looked up (used until the catalogue exists)."""
    db = sqlite3.connect(database)
    session_id, campaign_id = db.execute(
        "SELECT s.id, s.campaign_id FROM live_sessions s JOIN streamers h ON h.id = s.streamer_id "
        "WHERE s.status = 'live' AND h.handle = 'yijun_xiaomei' ORDER BY s.id LIMIT 1").fetchone()
    product_id = db.execute("SELECT product_id FROM lineup_items WHERE session_id = ? ORDER BY position LIMIT 1",
                            (session_id,)).fetchone()[0]
    db.close()
    c = f"/campaigns/{campaign_id}"
    return [
        Page("login", "anonymous", "/login"),
        Page("dashboard", "commissioner", "/"),
        Page("campaign", "commissioner", c),
        Page("pairing board", "commissioner", c + "/pairings"),
        Page("calendar", "commissioner", c + "/calendar"),
        Page("plan", "commissioner", c + "/plan"),
        Page("results", "commissioner", c + "/results"),
        Page("sample board", "commissioner", c + "/samples"),
        Page("screens", "commissioner", c + "/screens"),
        Page("products", "commissioner", "/products"),
        Page("streamers", "commissioner", "/streamers"),
        Page("screen", "anonymous", screen_path),
        Page("host's home", "streamer", "/"),
        Page("host's live page", "streamer", f"/my/sessions/{session_id}/live"),
        Page("host's product brief", "streamer", f"/my/products/{product_id}"),
        Page("host's samples", "streamer", "/my/samples"),
        Page("host's profile", "streamer", "/my/profile"),
    ]


def pages_for(database_url: str, database: Path, screen_path: str) -> tuple[list[Page], str]:
    try:
        from tests.e2e.page_catalogue import catalogue
    except ImportError:
        return fallback_pages(database, screen_path), "bench/pages.py's own list"
    return [Page(p.name, role_of(p.role), p.path) for p in catalogue(database_url)], "tests/e2e/page_catalogue.py"


def role_of(role: str) -> str:
    role = role.lower()
    if "stream" in role or "host" in role:
        return "streamer"
    if "commission" in role or "admin" in role:
        return "commissioner"
    return "anonymous"


def log_in(browser, url: str, account: tuple[str, str]) -> dict:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(url + "/login")
    page.fill("#username", account[0])
    page.fill("#password", account[1])
    page.click("button.wide-button")
    page.wait_for_url(url + "/")
    state = context.storage_state()
    context.close()
    return state


def visit(browser, url: str, page_spec: Page, state: dict | None) -> dict:
    """One cold visit then one warm one, in a fresh context under weak 3G."""
    viewport = {"width": 1920, "height": 1080} if page_spec.path.startswith("/screen/") else (
        {"width": 360, "height": 740} if page_spec.role == "streamer" else {"width": 1280, "height": 800})
    context, page, cdp = throttled(browser, viewport, state)
    seen = {"bytes": 0, "requests": 0, "counting": True}

    def sent(_event):
        if seen["counting"]:
            seen["requests"] += 1

    def finished(event):
        if seen["counting"]:
            seen["bytes"] += event.get("encodedDataLength", 0)

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url + page_spec.path, wait_until="commit", timeout=60_000)
    usable = page.wait_for_function(f"() => ({USABLE})() && performance.now()", timeout=60_000, polling=20).json_value()
    page.wait_for_load_state("load", timeout=60_000)
    try:  # what the page fetches once it is up (a chart's series, a subscription's polling) counts too
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:  # a long-polling transport never idles
        pass
    load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    cold = {"kb": seen["bytes"] / 1024, "requests": seen["requests"], "load": load, "usable": usable}
    seen["counting"] = False
    page.goto(url + page_spec.path, wait_until="commit", timeout=60_000)
    cold["warm"] = page.wait_for_function(f"() => ({USABLE})() && performance.now()", timeout=60_000,
                                          polling=20).json_value()
    context.close()
    return cold


def shown(path: str) -> str:
    """A path without its capability token."""
    for prefix in ("/screen/", "/login/link/"):
        if path.startswith(prefix):
            return prefix + "<token>"
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="cold visits per page (the median is shown)")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    database = folder / "pages.sqlite3"
    database_url = f"sqlite:///{database}"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SCHEDULER_MODE": "off", "HOST": "127.0.0.1",
           "PORT": str(port), "PYTHONUNBUFFERED": "1"}
    flask(env, "init-db")
    screen_path = flask(env, "demo")[-1].strip()
    log = open(folder / "server.log", "w")
    server = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        import requests
        for _ in range(200):
            try:
                requests.get(url + "/login", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)  # waiting for a child process to listen
        pages, source = pages_for(database_url, database, screen_path)
        if args.only:
            wanted = {n.strip() for n in args.only.split(",")}
            pages = [p for p in pages if p.name in wanted]
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            states = {role: log_in(browser, url, account) for role, account in ACCOUNTS.items()}
            for spec in pages:
                runs = [visit(browser, url, spec, states.get(spec.role)) for _ in range(args.runs)]
                row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                rows.append((spec, row))
                print(f"  {spec.name}: {row['kb']:.1f} KB, {row['requests']:.0f} requests, load {row['load']:.0f} ms, "
                      f"usable {row['usable']:.0f} ms, warm {row['warm']:.0f} ms", file=sys.stderr)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    print(f"\nPages from {source}; checkout {commit.strip()}; weak 3G (150 ms, 1.6 Mbps down, 750 kbps up), "
          f"cold cache, median of {args.runs}.\n")
    print("| page | path | KB transferred | requests | load (ms) | usable (ms) | warm usable (ms) |")
    print("|---|---|---|---|---|---|---|")
    for spec, row in rows:
        print(f"| {spec.name} | `{shown(spec.path)}` | {row['kb']:.1f} | "
              f"{row['requests']:.0f} | {row['load']:.0f} | {row['usable']:.0f} | {row['warm']:.0f} |")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
