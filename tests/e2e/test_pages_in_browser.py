"""The login page and the base layout in a real browser, in Chinese and English, on a desk and a phone."""
from __future__ import annotations

import pytest

from coordinator.services.demo_data import COMMISSIONER, STREAMER_USER

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}


def open_page(browser, server, path: str, locale: str, viewport: dict):
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.goto(server.url + path)
    return context, page


def logged_in(browser, server, who: tuple[str, str], locale: str, viewport: dict):
    """A new browser context logged in through the login page, on the home page."""
    context, page = open_page(browser, server, "/login", locale, viewport)
    page.fill("#username", who[0])
    page.fill("#password", who[1])
    page.click("button.wide-button")
    page.wait_for_url(server.url + "/")
    return context, page


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("locale, heading, button", [("zh-CN", "多一件农产品", "登录"), ("en-US", "One More Agriproduct", "Log in")])
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_login_page_speaks_the_browsers_language(browser, demo_server, screenshot, locale, heading, button, viewport):
    context, page = open_page(browser, demo_server, "/login", locale, viewport)
    assert heading in page.locator("h1").inner_text()
    assert page.locator("button.wide-button").inner_text().strip() == button
    assert no_sideways_scroll(page)
    box = page.locator("button.wide-button").bounding_box()
    assert box["height"] >= 40
    screenshot(page, f"login-{locale}-{viewport['width']}")
    context.close()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_commissioner_logs_in_and_sees_the_dashboard(browser, demo_server, screenshot, viewport):
    context, page = logged_in(browser, demo_server, COMMISSIONER, "zh-CN", viewport)
    page.click("button[name=lang][value=zh_Hans]")  # an earlier test may have saved English on the account
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "工作台"
    assert page.locator(".nav a[aria-current=page]").inner_text() == "工作台"
    assert "One More Agriproduct" in page.locator("table").inner_text()
    assert no_sideways_scroll(page)
    screenshot(page, f"dashboard-zh-{viewport['width']}")
    page.click("button[name=lang][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dashboard"
    screenshot(page, f"dashboard-en-{viewport['width']}")
    page.click(".logout button")
    page.wait_for_load_state()
    assert "/login" in page.url
    context.close()


def test_streamer_on_a_phone_sees_their_page(browser, demo_server, screenshot):
    context, page = logged_in(browser, demo_server, STREAMER_USER, "zh-CN", PHONE)
    assert "宜君小美" in page.locator("h1").inner_text()
    assert page.locator(".nav a").first.inner_text() == "我的活动"
    assert no_sideways_scroll(page)
    screenshot(page, "streamer-home-zh-360")
    context.close()


def test_campaign_page_from_the_dashboard(browser, demo_server, screenshot):
    context, page = logged_in(browser, demo_server, COMMISSIONER, "en-US", DESK)
    page.click("table a")
    page.wait_for_load_state()
    assert "Coverage" in page.inner_text("main")
    assert page.locator(".badge-warn", has_text="Out of season").count() >= 1
    screenshot(page, "campaign-en-1280")
    context.close()


def test_the_header_switch_changes_the_language_before_logging_in(browser, demo_server, screenshot):
    context, page = open_page(browser, demo_server, "/login", "zh-CN", PHONE)
    assert page.locator("button.wide-button").inner_text().strip() == "登录"
    page.click("button[name=lang][value=en]")
    page.wait_for_load_state()
    assert page.url.endswith("/login")
    assert page.locator("button.wide-button").inner_text().strip() == "Log in"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("button[name=lang][value=en]").get_attribute("aria-pressed") == "true"
    context.close()


def test_a_new_token_fits_a_phone_and_copies(browser, demo_server, screenshot):
    context, page = logged_in(browser, demo_server, COMMISSIONER, "en-US", PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_server.url)
    page.goto(demo_server.url + "/account/tokens")
    page.fill("#name", "phone check")
    page.click("form.inline-form button[type=submit]")
    page.wait_for_load_state()
    token = page.input_value("#new-token")
    assert token.startswith("lcc_api_")
    page.click("button[data-copy=new-token]")
    page.locator(".copy-row.copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == token
    assert page.locator("main #other-devices button").inner_text().strip() == "Sign out everywhere else"
    assert no_sideways_scroll(page)
    screenshot(page, "tokens-en-360")
    context.close()


def make_login_link(browser, server, handle: str):
    """The commissioner, in Chinese on a phone, makes a login link for a streamer: (context, page, link)."""
    context, page = logged_in(browser, server, COMMISSIONER, "zh-CN", PHONE)
    page.click("button[name=lang][value=zh_Hans]")  # an earlier test may have saved English on the account
    page.wait_for_load_state()
    page.goto(server.url + "/streamers")
    page.locator("tr", has_text="@" + handle).first.locator("form[action$='/login-link'] button").click()
    page.wait_for_load_state()
    return context, page, page.input_value("#login-link")


def test_a_login_link_sent_to_the_wrong_chat_is_revoked_from_a_phone(browser, demo_server, screenshot):
    context, page, link = make_login_link(browser, demo_server, STREAMER_USER[2])
    page.get_by_role("link", name="的全部登录链接").click()
    page.wait_for_load_state()
    valid = page.locator("#login-links tr[data-state=valid]")
    assert valid.count() >= 1 and link not in page.content()
    before = valid.count()
    valid.first.get_by_role("button", name="吊销").click()
    page.wait_for_load_state()
    assert "链接已撤销" in page.content() and page.locator("#login-links tr[data-state=valid]").count() == before - 1
    assert page.locator("#login-links tr[data-state=revoked]").count() >= 1
    assert no_sideways_scroll(page)
    screenshot(page, "login-links-zh-360")
    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    phone.goto(link)
    assert phone.locator("#login-link").get_attribute("data-state") == "revoked"
    assert "此链接已被撤销" in phone.content()
    phone.context.close()
    context.close()


def test_a_commissioner_signs_a_streamer_out_of_the_phone_a_link_logged_in(browser, demo_server, screenshot):
    context, page, link = make_login_link(browser, demo_server, "gansu_apple")
    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    phone.goto(link)
    phone.click("#login-link button[type=submit]")
    phone.wait_for_load_state()
    assert "礼县苹果哥" in phone.content() and not phone.url.endswith("/login")
    page.get_by_role("link", name="的全部登录链接").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="让 礼县苹果哥 在所有设备上退出登录").click()
    page.wait_for_load_state()
    assert "已在所有浏览器和手机上退出登录" in page.content()
    assert no_sideways_scroll(page)
    screenshot(page, "sign-out-everywhere-zh-360")
    phone.reload()
    assert "/login" in phone.url and "礼县苹果哥" not in phone.content()
    phone.context.close()
    context.close()
