"""The results page in a real browser: sales posted through the signed webhook over several days, the page drawn
with its charts at 1920 and 360 px, then printed to an A4 PDF by Chromium and read back with pdftotext: the totals
and a county's name are in it, every page carries the campaign's name, and the page count is plausible.
Artifacts: results-desk.png, results-phone.png, results.pdf, results-print-<n>.png."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
from datetime import datetime, timedelta

import pytest
import requests

from coordinator.domain.ingest import signature_for
from coordinator.services.demo_data import COMMISSIONER
from tests import databases
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_pages_in_browser import no_sideways_scroll
from tests.e2e.test_pairing_live import log_in
from tests.servers import ServerProcess, load_demo


def _sales(server, demo) -> None:
    """Orders on every session of the demo campaign, one product after another, over the campaign's first days."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {demo.api_token}"
    campaign = api.get(f"{server.url}/api/v1/campaigns/{demo.campaign_id}", timeout=10).json()
    start = datetime.fromisoformat(campaign["starts_at"])
    sessions = api.get(f"{server.url}/api/v1/sessions", params={"campaign_id": demo.campaign_id}, timeout=10).json()
    events = []
    for s_index, session in enumerate(item for item in sessions["items"] if item["status"] != "cancelled"):
        for p_index, product_id in enumerate(session["product_ids"]):
            for n in range(1 + (s_index + p_index) % 3):
                at = start + timedelta(days=(s_index + n) % 5, hours=10 + (p_index * 3 + n) % 12)
                events.append({"id": f"print-{session['id']}-{product_id}-{n}", "kind": "order",
                               "session_id": session["id"], "product_id": product_id, "quantity": 1 + n,
                               "amount_fen": 2990 * (1 + n) + 100 * p_index, "occurred_at": at.isoformat()})
    assert len(events) >= 10
    post_sales(server, demo, events)


def post_sales(server, demo, events: list[dict]) -> None:
    """Sales through the signed webhook as the demo's ingest key."""
    body = json.dumps({"events": events}).encode()
    stamp = str(int(time.time()))
    answer = requests.post(server.url + "/api/v1/sales", data=body, timeout=20, headers={
        "Content-Type": "application/json", "X-Coordinator-Key": demo.key_id, "X-Coordinator-Timestamp": stamp,
        "X-Coordinator-Signature": f"sha256={signature_for(demo.secret, stamp, body)}"})
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def results_server(sqlite_template, tmp_path_factory):
    """The demo with sales of its own, on a server of its own (others count the demo's sales)."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("results") / "results.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url).start()
    _sales(server, demo)
    report = requests.get(f"{server.url}/api/v1/campaigns/{demo.campaign_id}/report", timeout=10,
                          headers={"Authorization": f"Bearer {demo.api_token}"}).json()
    yield server, demo, report
    server.stop()


def _open(browser, server, demo, viewport):
    context, page = log_in(browser, server, COMMISSIONER, viewport)
    page.click("button[name=lang][value=zh_Hans]")  # an earlier test may have saved English on the account
    page.goto(f"{server.url}/campaigns/{demo.campaign_id}/results")
    page.wait_for_selector("#days canvas")
    return context, page


@pytest.mark.parametrize("width", [1920, 360])
def test_results_page_draws_its_charts_on_a_desk_and_a_phone(browser, results_server, screenshot, width):
    server, demo, report = results_server
    context, page = _open(browser, server, demo, {"width": width, "height": 1000})
    for chart in ("days", "hours", "counties", "products"):
        assert page.locator(f"#{chart} canvas").count() >= 1, chart
    assert "¥" in page.locator("#total-net").inner_text()
    assert no_sideways_scroll(page)
    screenshot(page, "results-desk" if width > 1000 else "results-phone")
    context.close()


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def test_printed_to_pdf_it_is_an_a4_report_with_totals_counties_and_a_header_on_every_page(browser, results_server):
    if not shutil.which("pdftotext"):
        databases.unavailable("pdftotext is missing (make browser installs Debian's poppler-utils)")
    server, demo, report = results_server
    context, page = _open(browser, server, demo, {"width": 1280, "height": 900})
    page.emulate_media(media="print")  # the charts redraw at A4 width, as on beforeprint
    page.wait_for_function("document.querySelector('#days canvas') && "
                           "document.querySelector('#days canvas').getBoundingClientRect().width <= 700")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "results.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    context.close()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert "(A4)" in info
    assert 3 <= pages <= 10, pages
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert _yuan(report["totals"]["net_fen"]) in text
    assert str(report["totals"]["orders"]) in text
    assert report["by_county"][0]["name"] in text
    assert "按县域" in text or "县域" in text
    assert "退出" not in text and "API" not in text  # no navigation
    for number in range(1, pages + 1):
        one = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        flat = "".join(one.split())  # pdftotext breaks and spaces the margin boxes as it likes
        # A long bilingual name wraps inside the margin box, and pdftotext may give its lines in either order.
        halves = ["".join(part.split()) for part in report["name"].split("/")]
        assert all(half in flat for half in halves), (number, one)
        assert f"{number}/{pages}" in flat, number
    if shutil.which("pdftoppm"):  # pictures of the printed pages, for a person to look at
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(ARTIFACTS / "results-print")], check=True)
