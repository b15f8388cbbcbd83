"""Every API error is in one documented shape (config.api_errors): `{"detail": "…"}` or field errors,
including a service's refusal, an address no route takes, and a filter value that cannot be read."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def test_an_address_under_api_that_no_route_takes_answers_json(client):
    response = client.get("/api/v1/cards/buildings/1.5/print/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_page_outside_the_api_still_gets_the_site_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_service_refusal_is_one_message(world, api):
    from tests.volunteers.conftest import build_volunteer_world

    vw = build_volunteer_world(world)
    # Pete is no volunteer: the refusal names no field, so it is one translated message, not a list.
    response = api(world.pete).post(f"/api/v1/volunteer-activities/{vw.activity.pk}/sign-up/")
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_a_boolean_filter_refuses_what_it_cannot_read(world, api):
    client = api(world.alice)
    assert client.get("/api/v1/party/members/?in_service=true").status_code == 200
    response = client.get("/api/v1/party/members/?in_service=maybe")
    assert response.status_code == 400
    assert list(response.json()) == ["in_service"]


def test_every_operation_documents_its_error_codes_in_the_shared_shape():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {"Error", "FieldErrors"} <= set(schema["components"]["schemas"])
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            params = operation.get("parameters", [])
            if any(p["in"] == "path" for p in params):
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "403", "415"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code.startswith("4"):
                    schema_ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert schema_ref.rsplit("/", 1)[1] in ("Error", "FieldErrors"), (method, path, code)
