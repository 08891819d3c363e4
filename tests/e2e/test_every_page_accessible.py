"""Every page of the catalogue, in Chinese and English, on a desk screen and a small phone: no critical or serious
axe-core violation, no sideways scroll on the phone, and a screenshot for a person to look at.

A browser context per (role, language, screen) logs in once and serves every page of that kind. The language is
chosen with the header's switch, which wins over the account's saved language and the browser's locale
(coordinator/i18n.py); the browser's locale is set to match, so an anonymous page speaks it too.
"""
from __future__ import annotations

import pytest

from tests import databases
from tests.e2e.axe import describe, violations
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.page_catalogue import ANONYMOUS, LOGINS, catalogue
from tests.servers import ServerProcess, load_demo

LANGUAGES = {"zh": ("zh-CN", "zh_Hans", "zh-Hans"), "en": ("en-US", "en", "en")}  # locale, switch value, html lang
SCREENS = {1920: {"width": 1920, "height": 1080}, 360: {"width": 360, "height": 740}}
# The page names, by role, that the catalogue lists (checked against it in test_the_page_list_matches_the_catalogue).
PAGES = {
    "anonymous": ["login", "login-link", "screen", "not-found"],
    "commissioner": [
        "dashboard", "tokens", "campaign", "campaign-new", "campaign-edit", "plan", "pairings", "calendar",
        "campaign-channels", "screens", "results", "results-finished", "sample-board", "sample-import",
        "reconciliations", "reconciliation", "session-edit", "session-results-live", "session-results-ended",
        "products", "product-new", "product-edit", "streamers", "streamer-new", "streamer-edit", "streamer-channels",
        "streamer-login-links", "counties", "county-edit", "import-products", "import-streamers", "ingest-keys",
        "deliveries"],
    "streamer": ["streamer-home", "my-profile", "my-samples", "my-channels", "my-brief", "my-live", "my-tokens"],
}


def cases():
    for role, names in PAGES.items():
        for name in names:
            for lang in LANGUAGES:
                for width in SCREENS:
                    yield pytest.param(role, name, lang, width, id=f"{name}-{lang}-{width}")


@pytest.fixture(scope="module")
def tour_server(sqlite_template, tmp_path_factory):
    """A demo server of this module's own: switching to English saves it on the demo accounts, which the other
    browser tests' Chinese pages must not see."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("tour") / "tour.sqlite3")
    load_demo(url)
    with ServerProcess(url) as server:
        yield server


@pytest.fixture(scope="module")
def pages_by_name(tour_server):
    return {page.name: page for page in catalogue(tour_server.env["DATABASE_URL"])}


@pytest.fixture(scope="module")
def contexts(browser, tour_server):
    """Browser contexts by (role, language, width), each made and logged in the first time a page needs it."""
    made = {}

    def context_for(role: str, lang: str, width: int):
        key = (role, lang, width)
        if key not in made:
            locale, switch, _html = LANGUAGES[lang]
            # bypass_csp: axe is injected with a script tag, which the app's Content-Security-Policy would refuse.
            context = browser.new_context(locale=locale, viewport=SCREENS[width], bypass_csp=True)
            if role != ANONYMOUS:
                page = context.new_page()
                page.goto(tour_server.url + "/login")
                page.fill("#username", LOGINS[role][0])
                page.fill("#password", LOGINS[role][1])
                page.click("button.wide-button")
                page.wait_for_url(tour_server.url + "/")
                page.click(f"button[name=lang][value={switch}]")
                page.wait_for_load_state()
                page.close()
            made[key] = context
        return made[key]

    yield context_for
    for context in made.values():
        context.close()


def test_the_page_list_matches_the_catalogue(pages_by_name):
    assert {(page.role, name) for name, page in pages_by_name.items()} == {
        (role, name) for role, names in PAGES.items() for name in names}


@pytest.mark.parametrize("role, name, lang, width", list(cases()))
def test_page_is_accessible(contexts, tour_server, pages_by_name, screenshot, role, name, lang, width):
    entry = pages_by_name[name]
    assert entry.role == role
    page = contexts(role, lang, width).new_page()
    try:
        response = page.goto(tour_server.url + entry.path, wait_until="load")
        assert response.status == (404 if name == "not-found" else 200), page.url
        assert "text/html" in response.headers["content-type"]
        assert page.locator("html").get_attribute("lang") == LANGUAGES[lang][2]
        (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
        screenshot(page, f"pages/{name}-{lang}-{width}")
        found = violations(page)
        assert not found, f"{entry.path} ({lang}, {width} px):\n{describe(found)}"
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
                f"{entry.path} scrolls sideways at 360 px: {wide_elements(page)}"
    finally:
        page.close()


def wide_elements(page) -> list[str]:
    """The elements that stick out past the right edge of the window, for the failure message."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                              (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')
                              + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')""")
