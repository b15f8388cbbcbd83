"""Real API answers match the OpenAPI schema they are documented with: a request without a building has
no grid, a points-shop offer has no merchant, and the campaign coverage endpoint answers its figures,
not a campaign."""

import datetime

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from petitions.models import Category
from petitions.services import petition_submit
from tests.volunteers.conftest import build_volunteer_world
from visits.services import campaign_start

pytestmark = pytest.mark.django_db

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def violations(value, node, schema, where="$"):
    """What in `value` the OpenAPI 3.0 schema `node` does not allow (types, nullable, required, enums)."""
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if value is None:
        alternatives = node.get("oneOf", []) + node.get("anyOf", [])
        if node.get("nullable") or any(not violations(None, a, schema, where) for a in alternatives):
            return []
        if node.get("allOf"):
            return [e for part in node["allOf"] for e in violations(None, part, schema, where)]
        return [f"{where} is null, documented as not nullable"]
    errors = [e for part in node.get("allOf", []) for e in violations(value, part, schema, where)]
    for key in ("oneOf", "anyOf"):
        if key in node and all(violations(value, a, schema, where) for a in node[key]):
            errors.append(f"{where} matches none of {key}")
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{where}={value!r} is not in the enum")
    kind = node.get("type")
    if kind and (not isinstance(value, TYPES[kind]) or (kind in ("integer", "number") and value is True)):
        return errors + [f"{where}={value!r} is not {kind}"]
    if kind == "object" or "properties" in node:
        errors += [
            f"{where}.{k} is documented as required" for k in node.get("required", []) if k not in value
        ]
        for k, sub in node.get("properties", {}).items():
            if k in value:
                errors += violations(value[k], sub, schema, f"{where}.{k}")
    if kind == "array":
        for i, item in enumerate(value):
            errors += violations(item, node.get("items", {}), schema, f"{where}[{i}]")
    return errors


def documented(schema, path, status="200"):
    return schema["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def test_a_petition_without_a_grid_matches_its_schema(schema, world, api):
    category = Category.objects.create(name="公共设施", resolve_within=72)
    petition_submit(
        kind="request", category=category, description="路灯不亮", channel="public", community=world.c1
    )
    body = api(world.alice).get("/api/v1/petitions/").json()
    assert body["results"][0]["grid"] is None
    assert violations(body, documented(schema, "/api/v1/petitions/"), schema) == []


def test_a_points_shop_offer_without_a_merchant_matches_its_schema(schema, world, api):
    vw = build_volunteer_world(world)
    body = api(world.vera).get("/api/v1/offers/").json()
    goods = next(row for row in body["results"] if row["id"] == vw.goods.pk)
    assert goods["merchant"] is None
    assert violations(body, documented(schema, "/api/v1/offers/"), schema) == []


def test_the_campaign_coverage_is_documented_as_coverage(schema, world, api):
    today = timezone.localdate()
    campaign = campaign_start(
        name="百日走访",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        by=world.alice,
        grid=world.g1,
    )
    body = api(world.alice).get(f"/api/v1/visits/campaigns/{campaign.pk}/coverage/").json()
    assert body["totals"]["key"] is None
    node = documented(schema, "/api/v1/visits/campaigns/{id}/coverage/")
    assert violations(body, node, schema) == []
    assert "$ref" in node and not node["$ref"].endswith("/Campaign")
