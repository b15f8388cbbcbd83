"""The service map opened from a building's QR code: it starts the walk at that building, a replaced code
answers kindly with a link to the community's map, and the request form opened from the code links to it."""

import pytest

from cards.services import qr_token_rotate
from servicemap.management.commands.seed_servicemap import offset
from servicemap.models import BuildingLocation

from .conftest import CENTRE, many_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(circle):
    """Building 1 with a QR token, standing by the toilet 1.5 km west of the centre."""
    lat, lng = offset(CENTRE, -1450, 0)
    BuildingLocation.objects.create(building=circle.b1, latitude=lat, longitude=lng)
    circle.b1.qr_token = "qrmap0001"
    circle.b1.save(update_fields=["qr_token"])
    return circle


def names(response):
    return [e.name for e in response.context["page"]]


def test_the_qr_map_starts_at_the_building_and_draws_the_ring(placed, client, settings):
    settings.SERVICE_MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    response = client.get("/services/q/qrmap0001/")
    assert response.status_code == 200
    origin = response.context["circle"].origin
    assert origin.source == "building" and origin.building_id == placed.b1.pk
    assert names(response)[0] == "公共厕所"
    data = response.context["map_data"]
    assert data["origin"]["lat"] == pytest.approx(origin.latitude)
    assert data["radius"] == settings.SERVICE_MAP_WALK_METRES
    body = response.content.decode()
    # The filters go on from the community's page with the building chosen.
    assert f'action="/services/c/{placed.c1.pk}/"' in body
    assert f'<option value="{placed.b1.pk}" selected>' in body


def test_a_building_without_a_position_says_the_walk_starts_from_the_centre(circle, client):
    circle.b2.qr_token = "qrmap0002"
    circle.b2.save(update_fields=["qr_token"])
    response = client.get("/services/q/qrmap0002/")
    assert response.status_code == 200
    assert response.context["circle"].origin.source == "community"
    assert 'id="qr-no-position"' in response.content.decode()


def test_a_rotated_token_answers_kindly_and_the_new_one_works(placed, client):
    new = qr_token_rotate(building=placed.b1, by=placed.alice)
    response = client.get("/services/q/qrmap0001/")
    assert response.status_code == 410
    body = response.content.decode()
    assert "这个二维码已更换" in body and f'href="/services/c/{placed.c1.pk}/"' in body
    assert client.get(f"/services/q/{new}/").context["circle"].origin.building_id == placed.b1.pk
    response = client.get("/services/q/nosuchtoken/")
    assert response.status_code == 404 and 'href="/services/"' in response.content.decode()
    assert client.get("/services/q/" + "x" * 40 + "/").status_code == 404


def test_the_form_opened_from_the_qr_code_links_to_the_map(placed, client):
    response = client.get("/q/qrmap0001/", follow=True)
    assert response.status_code == 200
    assert 'href="/services/q/qrmap0001/"' in response.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_qr_map_queries_are_constant(placed, client, django_assert_num_queries, n):
    many_points(placed, n)
    # 1 the building of the token, 2 its community, 3 buildings with a position, 4 the points,
    # 5 the merchants with their positions.
    with django_assert_num_queries(5):
        response = client.get("/services/q/qrmap0001/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == n + 4
