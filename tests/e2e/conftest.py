import pytest


@pytest.fixture
def phone_page(browser):
    """A 360×640 phone screen in Chinese."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_page(live_server):
    """login_page(page, user) logs a browser page in through the real login form."""

    def login(page, user, password="linli-pass-2024"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        return page

    return login
