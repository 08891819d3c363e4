"""A real server and headless Chromium for browser tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import databases
from tests.servers import ROOT, ServerProcess, load_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (which cannot download a browser of its own here)."""
    if not Path(CHROMIUM).exists():
        databases.unavailable(f"{CHROMIUM} is missing (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def demo_server(sqlite_template, tmp_path_factory):
    """`python wsgi.py` on a migrated SQLite file with the demo loaded."""
    path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    url = databases.copy_sqlite(sqlite_template, path)
    load_demo(url)
    server = ServerProcess(url).start()
    yield server
    server.stop()


@pytest.fixture
def screenshot(request):
    """Save a page's screenshot under tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        target = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return take


def pytest_sessionstart(session):
    """Start each run with an empty artifacts folder (once: pytest-xdist's workers must not clear each other's)."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
