"""The service circle in Chromium at 360×640 with no network beyond the test server: without tiles the
page is the list nearest first and no map area; with a tile URL set, Leaflet draws the map from tiles
served by a local stub."""

import struct
import zlib

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"


def stub_png():
    """A plain 256×256 tile."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes((230, 240, 230)) * 256 for _ in range(256))
    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def offline(phone_page, live_server):
    """The phone page with every request outside the test server refused (and recorded), tiles served by
    a stub."""
    page = phone_page
    page.outside = []
    page.tiles = []
    tile = stub_png()

    def handle(route):
        url = route.request.url
        if url.startswith(live_server.url):
            return route.continue_()
        if url.startswith("https://tiles.example.test/"):
            page.tiles.append(url)
            return route.fulfill(status=200, content_type="image/png", body=tile)
        page.outside.append(url)
        return route.abort()

    page.context.route("**/*", handle)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def test_without_tiles_the_page_is_the_list_nearest_first(circle, offline, live_server, settings):
    settings.SERVICE_MAP_TILE_URL = ""
    page = offline
    page.goto(f"{live_server.url}/services/c/{circle.c1.pk}/")
    assert page.get_by_role("heading", name="桂花社区 · 15分钟服务圈").is_visible()
    names = page.locator(".place .place-name").all_inner_texts()
    assert names == ["仁心药房", "邻里便民超市", "社区卫生服务站", "公共厕所"]
    distances = [
        int(d) for d in page.locator(".place").evaluate_all("els => els.map(e => e.dataset.distance)")
    ]
    assert distances == sorted(distances)
    assert page.locator("#service-map").count() == 0
    assert page.evaluate("typeof L") == "undefined"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.outside == [] and page.tiles == []

    # Filter by kind through the form.
    page.get_by_label("诊所/卫生服务站").check()
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**kind=clinic**")
    assert page.locator(".place .place-name").all_inner_texts() == ["社区卫生服务站"]


def test_with_a_tile_url_leaflet_draws_the_map(circle, offline, live_server, settings):
    settings.SERVICE_MAP_TILE_URL = TILE_URL
    settings.SERVICE_MAP_TILE_ATTRIBUTION = "测试底图"
    page = offline
    page.goto(f"{live_server.url}/services/c/{circle.c1.pk}/")
    page.wait_for_selector("#service-map[data-ready=true]", state="attached", timeout=10000)
    page.wait_for_selector(".leaflet-tile-loaded")
    assert page.tiles and all(t.startswith("https://tiles.example.test/") for t in page.tiles)
    # One marker per point with a position, the ring and the centre, drawn as vector paths.
    assert page.locator("#service-map path.leaflet-interactive").count() == 4 + 2
    assert "测试底图" in page.locator(".leaflet-control-attribution").inner_text()
    # The list is still there below the map.
    assert page.locator(".place").count() == 4
    assert page.outside == [] and page.errors == []


def test_a_grid_leader_opens_the_map_on_the_dashboard(circle, offline, live_server, login_page, settings):
    settings.SERVICE_MAP_TILE_URL = ""
    page = offline
    login_page(page, circle.bob)
    page.goto(f"{live_server.url}/services/map/")
    assert page.locator(".place .place-name").first.inner_text() == "仁心药房"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    response = page.goto(f"{live_server.url}/services/map/?community={circle.c2.pk}")
    assert response.status == 404


def test_from_a_buildings_qr_code_to_the_map_with_its_ring(circle, offline, live_server, settings):
    """The resident scans the card on the door, follows the link beside the form, and the map starts at
    the building with the walking ring drawn; the old code of a replaced card says so kindly."""
    from cards.services import qr_token_rotate
    from servicemap.management.commands.seed_servicemap import offset
    from servicemap.models import BuildingLocation

    from ..conftest import CENTRE

    settings.SERVICE_MAP_TILE_URL = TILE_URL
    lat, lng = offset(CENTRE, -1450, 0)
    BuildingLocation.objects.create(building=circle.b1, latitude=lat, longitude=lng)
    circle.b1.qr_token = "qrdoor001"
    circle.b1.save(update_fields=["qr_token"])
    page = offline
    page.goto(f"{live_server.url}/q/qrdoor001/")
    page.locator("#nearby-services").click()
    page.wait_for_url("**/services/q/qrdoor001/")
    page.wait_for_selector("#service-map[data-ready=true]", state="attached", timeout=10000)
    assert page.locator(".place .place-name").first.inner_text() == "公共厕所"
    assert page.locator("select[name=building]").input_value() == str(circle.b1.pk)
    # The points with a position, the ring and its centre.
    assert page.locator("#service-map path.leaflet-interactive").count() == 4 + 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    qr_token_rotate(building=circle.b1, by=circle.alice)
    response = page.goto(f"{live_server.url}/services/q/qrdoor001/")
    assert response.status == 410
    page.get_by_role("link", name="打开服务地图").click()
    page.wait_for_url(f"**/services/c/{circle.c1.pk}/")
    assert page.outside == [] and page.errors == []
