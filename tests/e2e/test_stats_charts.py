"""The statistics page draws its charts in Chromium, on a phone and on a desktop, without console errors."""

import os

import pytest

from tests.stats.conftest import stats_world

__all__ = ["stats_world"]


@pytest.fixture(scope="session", autouse=True)
def _test_database_before_the_browser(django_db_setup):
    """Create the test database before Playwright starts its event loop (as test_smoke_pages does)."""


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_during_db_teardown():
    # The live server's flush runs after the per-test flag of tests/e2e/conftest.py is undone.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", ["phone_page", "desktop_page"])
def test_the_charts_are_drawn(stats_world, live_server, login_page, request, screen):
    w = stats_world.world
    page = request.getfixturevalue(screen)
    errors = []
    page.on("console", lambda m: errors.append(f"{m.text} {m.location}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login_page(page, w.alice)
    page.goto(f"{live_server.url}/stats/community/{w.c1.pk}/")
    for chart in ("trend", "categories", "league", "heat"):
        canvas = page.locator(f"#chart-{chart} canvas")
        canvas.first.wait_for(state="visible", timeout=10000)
        box = canvas.first.bounding_box()
        assert box["width"] > 100 and box["height"] > 100, chart
        # The chart fits the screen: no sideways scrolling to read it.
        assert box["x"] + box["width"] <= page.viewport_size["width"] + 1, chart
    assert page.locator("#table-league tbody tr").count() == 2
    # The site has no favicon yet (the browser asks for one on its own): not this page's error.
    assert [e for e in errors if "/favicon.ico" not in e] == []
