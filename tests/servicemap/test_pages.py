"""The service circle pages: the residents' public page, the dashboard map, the staff pages, the API and
the guide PDF, each sorted by distance, scoped, and at a constant number of queries."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from servicemap.management.commands.seed_servicemap import offset
from servicemap.models import BuildingLocation, ServicePoint

from .conftest import CENTRE, many_points

pytestmark = pytest.mark.django_db


def names(response):
    return [e.name for e in response.context["page"]]


def test_public_page_lists_the_points_nearest_first_without_a_map(circle, client, settings):
    settings.SERVICE_MAP_TILE_URL = ""
    response = client.get(f"/services/c/{circle.c1.pk}/")
    assert response.status_code == 200
    # The merchant comes from the merchant register; c2's library is not there.
    assert names(response) == ["仁心药房", "邻里便民超市", "社区卫生服务站", "公共厕所"]
    body = response.content.decode()
    assert 'id="service-map"' not in body and "leaflet.js" not in body
    assert "200 米" in body and "15分钟内" in body
    # The owner's mobile stays off the public page; the shop's counter phone is shown.
    assert "17000001001" not in body and "0571-87009999" in body
    assert ServicePoint.objects.count() == 4  # the merchant is read, never copied


def test_filters_by_kind(circle, client):
    response = client.get(f"/services/c/{circle.c1.pk}/?kind=clinic&kind=alliance_merchant")
    assert names(response) == ["邻里便民超市", "社区卫生服务站"]
    response = client.get(f"/services/c/{circle.c1.pk}/?kind=pharmacy&kind=nonsense")
    assert names(response) == ["仁心药房"]


def test_the_walk_starts_from_a_chosen_building_or_a_position(circle, client):
    # Building 1 stands right by the toilet, 1.5 km west of the centre.
    lat, lng = offset(CENTRE, -1450, 0)
    BuildingLocation.objects.create(building=circle.b1, latitude=lat, longitude=lng)
    response = client.get(f"/services/c/{circle.c1.pk}/?building={circle.b1.pk}")
    assert names(response)[0] == "公共厕所"
    assert response.context["circle"].origin.source == "building"
    # A position (from the phone) wins over the building.
    lat, lng = offset(CENTRE, 600, 10)
    response = client.get(f"/services/c/{circle.c1.pk}/?building={circle.b1.pk}&lat={lat}&lng={lng}")
    assert names(response)[0] == "社区卫生服务站"
    assert response.context["circle"].origin.source == "position"
    # A position outside China is ignored: the walk starts from the centre again.
    response = client.get(f"/services/c/{circle.c1.pk}/?lat=48.85&lng=2.35")
    assert response.context["circle"].origin.source == "community"


def test_unknown_community_answers_404(client):
    assert client.get("/services/c/999999/").status_code == 404


@pytest.mark.parametrize("n", [1, 50])
def test_public_page_queries_are_constant(circle, client, django_assert_num_queries, n):
    many_points(circle, n)
    # 1 community, 2 buildings with a position, 3 the points, 4 the merchants with their positions.
    with django_assert_num_queries(4):
        response = client.get(f"/services/c/{circle.c1.pk}/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == n + 4


def test_dashboard_map_for_a_grid_leader_and_another_community_is_404(circle, client_for):
    client = client_for(circle.bob)
    response = client.get("/services/map/")
    assert response.status_code == 200
    assert names(response)[0] == "仁心药房"
    assert client.get(f"/services/map/?community={circle.c2.pk}").status_code == 404
    assert client.get("/services/map/?community=abc").status_code == 404


@pytest.mark.parametrize("n", [1, 50])
def test_dashboard_map_queries_are_constant(circle, client_for, django_assert_num_queries, n):
    many_points(circle, n)
    client = client_for(circle.bob)
    # 1 session, 2 user, 3 role assignments (scope), 4 the communities, 5 buildings, 6 points,
    # 7 merchants, 8 the unread notifications of the bell.
    with django_assert_num_queries(8):
        response = client.get("/services/map/")
    assert response.status_code == 200


def test_staff_pages_are_scoped(circle, client_for):
    client = client_for(circle.erin)
    assert client.get(f"/services/staff/{circle.clinic.pk}/").status_code == 404
    assert client.get(f"/services/staff/?community={circle.c1.pk}").status_code == 404
    client = client_for(circle.bob)  # a grid leader keeps no points
    assert client.get("/services/staff/").status_code == 404
    client = client_for(circle.alice)
    response = client.get("/services/staff/")
    assert response.status_code == 200
    assert {p.name for p in response.context["page"]} == {"社区卫生服务站", "仁心药房", "公共厕所"}


def test_staff_form_refuses_a_coordinate_outside_china_and_saves_a_good_one(circle, client_for):
    client = client_for(circle.alice)
    data = {
        "kind": "library",
        "name": "社区书屋",
        "latitude": "51.507400",
        "longitude": "-0.127800",
        "opening_hours": "",
        "phone": "",
        "note": "",
        "active": "on",
    }
    response = client.post(f"/services/staff/new/?community={circle.c1.pk}", data)
    assert response.status_code == 200
    assert "中国" in response.content.decode()
    assert not ServicePoint.objects.filter(name="社区书屋").exists()
    data.update(latitude="30.275000", longitude="120.156000")
    response = client.post(f"/services/staff/new/?community={circle.c1.pk}", data)
    assert response.status_code == 302
    point = ServicePoint.objects.get(name="社区书屋")
    assert point.community == circle.c1 and point.latitude == Decimal("30.275000")


def test_api_lists_the_union_nearest_first_and_is_scoped(circle, api):
    response = api(circle.bob).get("/api/v1/service-points/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["仁心药房", "邻里便民超市", "社区卫生服务站", "公共厕所"]
    assert rows[1]["source"] == "merchant" and rows[1]["kind"] == "alliance_merchant"
    assert rows[0]["within_walk"] is True and rows[3]["within_walk"] is False
    assert 190 < rows[0]["distance_m"] < 210
    assert api(circle.bob).get(f"/api/v1/service-points/?community={circle.c2.pk}").status_code == 404
    assert api(circle.erin).get(f"/api/v1/service-points/?community={circle.c1.pk}").status_code == 404


@pytest.mark.parametrize("n", [1, 50])
def test_api_queries_are_constant(circle, api, django_assert_num_queries, n):
    many_points(circle, n)
    client = api(circle.bob)
    # 1 role assignments (scope), 2 the communities, 3 buildings, 4 points, 5 merchants.
    with django_assert_num_queries(5):
        response = client.get("/api/v1/service-points/")
    assert response.status_code == 200
    assert response.json()["count"] == n + 4


def test_api_is_in_the_openapi_schema(circle, client_for):
    schema = client_for(circle.alice).get("/api/schema/?format=json").json()
    assert "/api/v1/service-points/" in schema["paths"]
    assert "ServicePointKindEnum" in schema["components"]["schemas"]


def test_guide_pdf_lists_the_points_with_their_distances(circle, client):
    response = client.get(f"/services/c/{circle.c1.pk}/guide.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    text = "\n".join(page.extract_text() for page in reader.pages)
    for name in ("社区卫生服务站", "仁心药房", "公共厕所", "邻里便民超市"):
        assert name in text
    assert "银杏书屋" not in text
    assert "15分钟服务圈" in text and "200 米" in text and "1.5 公里" in text
    # The Chinese font is embedded (a subset of the system's TrueType font).
    assert b"/FontFile2" in response.content
