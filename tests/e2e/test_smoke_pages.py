"""Smoke test of the public shell on a 360×640 phone: home, login, and a staff member landing inside."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session", autouse=True)
def _test_database_before_the_browser(django_db_setup):
    """Create the test database before Playwright starts its event loop in this thread, for a run of
    this module alone (in the whole suite, earlier tests have created it already)."""


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_and_login_fit_a_phone_and_staff_get_in(phone_page, live_server, login_page, world):
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert page.title().endswith("邻里社区治理")
    assert page.get_by_role("heading", name="邻里：党建引领社区治理").is_visible()
    assert _no_horizontal_scroll(page)
    # The static files load (whitenoise): the top bar has its colour.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
        == "rgb(200, 16, 46)"
    )

    page.get_by_role("link", name="登录").click()
    assert page.get_by_label("用户名或手机号").is_visible()
    assert _no_horizontal_scroll(page)

    login_page(page, world.alice)
    assert page.url.startswith(f"{live_server.url}/dashboard/")
    assert page.get_by_role("button", name="退出").is_visible()


def test_wrong_password_is_refused_in_chinese(phone_page, live_server, world):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "请输入一个正确的" in page.locator(".errors").inner_text()
