"""The card API: a building's card as JSON, its PDF, a community's PDF; scoped; in the OpenAPI schema."""

import io

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from pypdf import PdfReader

from cards.models import CardPrint

from .conftest import PHONES, PRIVATE


def test_building_card_json_names_people_and_work_phones(card_world, api):
    response = api(card_world.alice).get(f"/api/v1/cards/buildings/{card_world.b1.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert [c["post"] for c in data["contacts"]] == [
        "secretary",
        "owners_chair",
        "property_manager",
        "grid_leader",
        "building_leader",
    ]
    assert {c["phone"] for c in data["contacts"]} == set(PHONES.values())
    assert data["qr_url"] == "http://testserver/q/b1token/" and data["missing"] == []
    assert not any(p in response.content.decode() for p in PRIVATE)


def test_print_endpoints_hand_out_pdfs_and_record_prints(card_world, api):
    client = api(card_world.alice)
    response = client.post(
        f"/api/v1/cards/buildings/{card_world.b1.pk}/print/", {"layout": "a4"}, format="json"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert round(float(PdfReader(io.BytesIO(response.content)).pages[0].mediabox.height)) == 842
    response = client.post(f"/api/v1/cards/communities/{card_world.c1.pk}/print/")
    assert response.status_code == 200 and len(PdfReader(io.BytesIO(response.content)).pages) == 3
    assert CardPrint.objects.count() == 4


def test_api_is_scoped(card_world, api):
    assert api(card_world.erin).get(f"/api/v1/cards/buildings/{card_world.b1.pk}/").status_code == 404
    assert (
        api(card_world.erin).post(f"/api/v1/cards/communities/{card_world.c1.pk}/print/").status_code == 404
    )
    assert api(card_world.sam).post(f"/api/v1/cards/buildings/{card_world.b1.pk}/print/").status_code == 403
    assert not CardPrint.objects.exists()


def test_empty_card_is_a_clear_400(world, api):
    world.b1.grid = None
    world.b1.save()
    response = api(world.alice).post(f"/api/v1/cards/buildings/{world.b1.pk}/print/")
    assert response.status_code == 400 and "无法打印" in response.content.decode()


def test_schema_describes_the_card_endpoints_without_warnings():
    GENERATOR_STATS.reset()
    GENERATOR_STATS.enable_trace_lineno()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    assert [m for m in messages if "cards/" in m or "Card" in m] == []
    paths = schema["paths"]
    assert "/api/v1/cards/buildings/{id}/" in paths
    post = paths["/api/v1/cards/buildings/{id}/print/"]["post"]
    assert "application/pdf" in post["responses"]["200"]["content"]
    assert "/api/v1/cards/communities/{id}/print/" in paths
