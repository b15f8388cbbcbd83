"""The QR code printed on a building's contact card, decoded from the rasterised PDF, opens the request
form on a 360×640 phone with the building filled in; once the code is replaced, the old card says so
kindly and fills in nothing."""

import os

import pypdfium2
import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse

from cards import services
from tests.cards.conftest import card_world  # noqa: F401 - the fixture, shared with tests/cards


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


def _printed_qr_url(user, building):
    client = Client()
    client.force_login(user)
    response = client.post(reverse("cards:building-print", args=[building.pk]), {"layout": "a6"})
    assert response.status_code == 200
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=3).to_pil()
    (barcode,) = zxingcpp.read_barcodes(image)
    return barcode.text


@pytest.mark.django_db(transaction=True)
def test_card_qr_opens_the_form_with_the_building_then_stops_after_replacement(
    card_world,  # noqa: F811
    live_server,
    phone_page,
    settings,
):
    w = card_world
    settings.PUBLIC_BASE_URL = live_server.url
    url = _printed_qr_url(w.alice, w.b1)
    assert url == f"{live_server.url}/q/b1token/"

    page = phone_page
    page.goto(url)
    assert page.url.endswith("/petitions/new/?building=b1token")
    assert "桂花社区 · 桂花苑 1栋" in page.locator("main").inner_text()
    assert page.locator("input[name=building]").input_value() == "b1token"
    assert page.locator("select[name=community]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    services.qr_token_rotate(building=w.b1, by=w.alice)
    page.goto(url)
    text = page.locator("main").inner_text()
    assert "这个二维码已更换" in text and "请扫楼道里的新卡" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("text=打开诉求表单")
    assert page.url.endswith("/petitions/new/")
    assert page.locator("input[name=building]").count() == 0
    assert page.locator("select[name=community]").count() == 1

    # The new card carries the new code, which fills in the building again.
    w.b1.refresh_from_db()
    new_url = _printed_qr_url(w.alice, w.b1)
    assert new_url == f"{live_server.url}/q/{w.b1.qr_token}/"
    page.goto(new_url)
    assert page.locator("input[name=building]").input_value() == w.b1.qr_token
