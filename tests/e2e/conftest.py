import pytest


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread; only browser tests may use the ORM
    # from that thread, so the flag is set here and nowhere else. Module scope, because the live
    # server's database flush runs after function-scoped fixtures are torn down.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


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
