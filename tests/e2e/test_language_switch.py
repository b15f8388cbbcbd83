"""The language switcher on a 360×640 phone: Chinese first, English on request, and back."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_in_chinese_switch_to_english_and_back(phone_page, live_server):
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="我要反映诉求").is_visible()
    switcher = page.get_by_label("语言")
    assert switcher.is_visible()

    with page.expect_navigation():
        switcher.select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Raise a request").is_visible()
    # The choice sticks across pages.
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="Log in").is_visible()

    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="登录").is_visible()
    assert page.url == f"{live_server.url}/accounts/login/"


def test_switcher_without_javascript(browser, live_server):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.get_by_label("语言").select_option("en")
        assert page.locator("html").get_attribute("lang") == "zh-hans"  # nothing happens without JS
        page.get_by_role("button", name="切换").click()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("link", name="Raise a request").is_visible()
    finally:
        context.close()
