"""With the Content-Security-Policy on, the main pages work in Chromium: no violation is reported, no
script error, and the scripts that replaced inline handlers still act."""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.test_stats_charts import desktop_page
from tests.servicemap.conftest import circle
from tests.servicemap.e2e.test_map_browser import TILE_URL, stub_png
from tests.stats.conftest import stats_world

__all__ = ["circle", "desktop_page", "stats_world"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def watched(desktop_page, live_server):
    """A page that records CSP violations (event and console), script errors and outside requests;
    tiles come from a stub."""
    page = desktop_page
    page.problems = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    tile = stub_png()

    def handle(route):
        url = route.request.url
        if url.startswith(live_server.url):
            return route.continue_()
        if url.startswith("https://tiles.example.test/"):
            return route.fulfill(status=200, content_type="image/png", body=tile)
        page.problems.append(f"outside request {url}")
        return route.abort()

    page.context.route("**/*", handle)
    return page


def visit(page, url):
    response = page.goto(url)
    assert response.status < 400, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    assert "permissions-policy" in response.headers, url
    page.wait_for_load_state("networkidle")


def test_public_pages_keep_working_under_the_policy(stats_world, circle, watched, live_server, settings):
    settings.SERVICE_MAP_TILE_URL = TILE_URL
    w, page = stats_world.world, watched
    visit(page, f"{live_server.url}/")
    visit(page, f"{live_server.url}/petitions/new/")
    visit(page, f"{live_server.url}/petitions/track/{stats_world.r_done.tracking_code}/")
    visit(page, f"{live_server.url}/services/c/{w.c1.pk}/")
    # Tiles from the configured host are allowed as images.
    page.wait_for_selector(".leaflet-tile-loaded", timeout=10000)
    # The language switch, formerly an inline onchange, still sends its form.
    # It navigates: wait for the English page itself (networkidle can come before the navigation starts).
    page.select_option("select[name=language]", "en")
    # expect() polls from Playwright's own world: no eval in the page, which the policy forbids.
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=10000)
    assert page.problems == []


def test_staff_pages_keep_working_under_the_policy(stats_world, watched, live_server, login_page, settings):
    settings.SERVICE_MAP_TILE_URL = TILE_URL
    w, page = stats_world.world, watched
    login_page(page, w.alice)
    visit(page, f"{live_server.url}/dashboard/")
    visit(page, f"{live_server.url}/workbench/")
    visit(page, f"{live_server.url}/stats/community/{w.c1.pk}/")
    page.locator("#chart-trend canvas").first.wait_for(state="visible", timeout=10000)
    visit(page, f"{live_server.url}/services/map/")
    visit(page, f"{live_server.url}/admin/")
    visit(page, f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui").first.wait_for(state="visible", timeout=10000)
    assert page.problems == []
