"""The WeChat binding page in Chromium on a phone screen: the bind link when WeChat is set up, the bound
state, unbinding."""

import os

import pytest

from notifications.models import WeChatBinding


@pytest.fixture(scope="session", autouse=True)
def _test_database_before_the_browser(django_db_setup):
    """Create the test database before Playwright starts its event loop (as test_smoke_pages does)."""


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_during_db_teardown():
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_bind_link_bound_state_and_unbind(world, live_server, phone_page, login_page, settings):
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx-test-app", "wx-test-secret"
    page = login_page(phone_page, world.bob)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/notifications/wechat/")
    link = page.get_attribute("#bind", "href")
    assert link.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx-test-app")
    assert "关注社区公众号" in page.inner_text("#wechat-status")
    WeChatBinding.objects.create(user=world.bob, openid="o-bob")
    page.goto(f"{live_server.url}/notifications/wechat/")
    assert "您的通知也会发送到微信" in page.inner_text("#wechat-status")
    page.click("#unbind")
    page.wait_for_selector("#bind")
    assert not WeChatBinding.objects.exists()
    assert errors == []
