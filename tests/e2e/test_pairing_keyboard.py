"""The pairing board and the session calendar with a keyboard alone, and both checked by axe-core in Chinese and
English on a desk screen and a small phone."""
from __future__ import annotations

import pytest

from coordinator.services.demo_data import COMMISSIONER
from tests.e2e.axe import describe, violations
# A demo server of this module's own (module-scoped), so the keyboard's changes reach no other test.
from tests.e2e.test_calendar import planning_server  # noqa: F401

SCREENS = {1920: {"width": 1920, "height": 1080}, 360: {"width": 360, "height": 740}}
LANGUAGES = {"zh": ("zh-CN", "zh_Hans"), "en": ("en-US", "en")}
FOCUSED = "document.activeElement"
WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 6).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' +
                          Math.round(e.getBoundingClientRect().right))"""


def log_in(browser, server, lang: str, viewport: dict, **options):
    locale, switch = LANGUAGES[lang]
    context = browser.new_context(locale=locale, viewport=viewport, **options)
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", COMMISSIONER[0])
    page.fill("#password", COMMISSIONER[1])
    page.click("button.wide-button")
    page.wait_for_url(server.url + "/")
    page.click(f"button[name=lang][value={switch}]")  # the account may have saved the other language
    page.wait_for_load_state()
    return context, page


def tab_to(page, condition: str, limit: int = 120) -> None:
    """Press Tab until the focused element meets a JavaScript condition on `el`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = {FOCUSED}; return !!el && ({condition}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def outline_shows(page) -> bool:
    """The focused element draws a solid outline at least 2 px wide in a colour that is not transparent."""
    return page.evaluate(f"""(() => {{ const s = getComputedStyle({FOCUSED});
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor !== 'rgba(0, 0, 0, 0)'
            && {FOCUSED}.matches(':focus-visible'); }})()""")


def test_the_board_with_the_keyboard_alone(browser, planning_server, screenshot):
    context, page = log_in(browser, planning_server, "en", {"width": 1400, "height": 900})
    page.goto(planning_server.url + "/campaigns/1/pairings")
    tab_to(page, "el.id === 'run-pairing'")
    assert outline_shows(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("#live-indicator[data-state=live]")
    tab_to(page, "el.matches('#pairing-board td button')")  # the grid is one stop: its first cell
    assert outline_shows(page)
    assert page.locator("#pairing-board td button[tabindex='0']").count() == 1
    for _ in range(30):  # along the row, then down, to an empty cell
        if page.evaluate(f"{FOCUSED}.name === 'pair'"):
            break
        page.keyboard.press("ArrowRight" if page.evaluate(f"{FOCUSED}.closest('td').nextElementSibling")
                            else "ArrowDown")
    pair = page.evaluate(f"{FOCUSED}.value")
    streamer, product = pair.split("-")
    page.keyboard.press("Enter")  # pair by hand
    page.wait_for_load_state()
    page.wait_for_function(f"() => {FOCUSED}.name === 'open'")  # back on the cell just made
    column = page.evaluate(f"document.getElementById('p-{product}').closest('th').cellIndex")
    assert page.evaluate(f"{FOCUSED}.closest('td').cellIndex") == column
    cell = f"#pairing-board tr:has(#h-{streamer}) td:nth-child({column + 1})"
    assert page.locator(f"{cell} .pair-proposed").count() == 1
    page.keyboard.press("Enter")  # its reasons and actions, in a dialog
    dialog = page.locator("#pair-dialog[open]")
    dialog.locator("#pairing-detail").wait_for()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('pair-dialog').open")
    assert page.evaluate(f"{FOCUSED}.matches('{cell} button')")  # focus came back to the cell
    page.keyboard.press("Enter")
    dialog.locator("#pairing-detail").wait_for()
    screenshot(page, "keyboard-board-dialog")
    tab_to(page, "el.textContent.trim() === 'Lock'", limit=10)
    assert outline_shows(page)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.wait_for_function(f"() => {FOCUSED}.name === 'open'")
    assert page.locator(f"{cell} .pair-locked").count() == 1
    assert outline_shows(page)
    screenshot(page, "keyboard-board-locked")
    context.close()


def test_the_calendar_with_the_keyboard_alone(browser, planning_server, screenshot):
    context, page = log_in(browser, planning_server, "en", {"width": 1400, "height": 900})
    page.goto(planning_server.url + "/campaigns/1/calendar")
    for _ in range(6):  # the demo's scheduled sessions may start a week or two on
        if page.locator(".cal-move").count():
            break
        page.click("a.button:has-text('Later')")
        page.wait_for_load_state()
    tab_to(page, "el.classList.contains('cal-move')", limit=200)
    assert outline_shows(page)
    session = page.evaluate(f"{FOCUSED}.closest('.cal-session').dataset.session")
    days = page.evaluate(f"[...{FOCUSED}.closest('tr').querySelectorAll('.cal-cell')].map(c => c.dataset.day)")
    here = days.index(page.evaluate(f"{FOCUSED}.closest('.cal-cell').dataset.day"))
    there, key = (here + 1, "ArrowRight") if here + 1 < len(days) else (here - 1, "ArrowLeft")
    page.keyboard.press("Enter")  # pick it up
    assert page.locator(f"#session-{session}.moving").count() == 1
    page.keyboard.press(key)
    assert page.locator(f".cal-cell.drop-target[data-day='{days[there]}']").count() == 1
    assert days[there][5:] in page.inner_text("#calendar-notice")
    screenshot(page, "keyboard-calendar-moving")
    page.keyboard.press("Enter")  # put it down there
    page.wait_for_selector(f".cal-cell[data-day='{days[there]}'] #session-{session}")
    page.wait_for_function(f"() => {FOCUSED}.closest('#session-{session}') !== null")
    assert outline_shows(page)
    page.keyboard.press("Enter")  # and Escape lets go of it again, with focus staying put
    page.keyboard.press("Escape")
    assert page.locator(".cal-session.moving").count() == 0
    assert page.evaluate(f"{FOCUSED}.closest('#session-{session}') !== null")
    screenshot(page, "keyboard-calendar-moved")
    context.close()


@pytest.mark.parametrize("width", SCREENS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name, path", [("board", "/campaigns/1/pairings"), ("calendar", "/campaigns/1/calendar")])
def test_board_and_calendar_pass_axe(browser, planning_server, screenshot, name, path, lang, width):
    # bypass_csp: axe is injected with a script tag, which the app's Content-Security-Policy would refuse.
    context, page = log_in(browser, planning_server, lang, SCREENS[width], bypass_csp=True)
    page.goto(planning_server.url + path)
    page.wait_for_load_state()
    screenshot(page, f"{name}-{lang}-{width}")
    found = violations(page)
    assert not found, describe(found)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(WIDE)
    if name == "board":
        page.locator("#pairing-board td button[name=open]").first.click()
        page.locator("#pair-dialog[open] #pairing-detail").wait_for()
        screenshot(page, f"{name}-dialog-{lang}-{width}")
        found = violations(page)
        assert not found, describe(found)
    context.close()


def test_the_board_without_a_script_reads_filters_opens_and_locks(browser, planning_server):
    context, page = log_in(browser, planning_server, "en", {"width": 1400, "height": 900}, java_script_enabled=False)
    page.goto(planning_server.url + "/campaigns/1/pairings?category=fruit")
    assert page.locator("#board-counts").inner_text().startswith("Hosts 1–")
    proposed = page.locator("#pairing-board td button.pair-proposed, #pairing-board td button.pair-accepted").first
    opened = proposed.get_attribute("value")
    proposed.click()  # a plain GET form: the page comes back with the cell's panel
    page.wait_for_load_state()
    assert f"open={opened}" in page.url and "category=fruit" in page.url
    page.locator("#pairing-detail button", has_text="Lock").click()
    page.wait_for_load_state()
    assert "category=fruit" in page.url
    assert page.locator(f"#pairing-board td button[value='{opened}']").get_attribute("class") == "pair pair-locked"
    context.close()
