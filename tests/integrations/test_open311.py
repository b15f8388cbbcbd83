"""Open311 GeoReport v2: a recorded client session run in JSON and in XML, every answer validated against
the JSON Schemas written from the specification (the XML read back into the same shape), the POST entering
the same loop as the public form, and what GET must never show."""

import datetime
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from django.utils import timezone

from integrations.models import ApiScope, Open311Request, ServiceAttribute
from petitions.models import Category, Petition
from petitions.services import petition_submit

from .open311_schema import SCHEMAS

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


# --- reading an answer --------------------------------------------------------------------------------


def _types(schema):
    kind = schema.get("type")
    if kind is None:
        return ["string"]  # enum and const here are strings
    return kind if isinstance(kind, list) else [kind]


def xml_to_data(element, schema):
    """An XML element read with the JSON Schema's types: unknown elements fail (KeyError), empty elements
    are null where the schema allows it, true/false and numbers become booleans and numbers."""
    types = _types(schema)
    if "array" in types:
        return [xml_to_data(child, schema["items"]) for child in element]
    if "object" in types:
        return {child.tag: xml_to_data(child, schema["properties"][child.tag]) for child in element}
    text = element.text or ""
    if text == "" and "null" in types:
        return None
    if "boolean" in types:
        assert text in ("true", "false"), text
        return text == "true"
    if "integer" in types:
        return int(text)
    if "number" in types:
        return float(text)
    return text


def read(response, fmt, name):
    """The answer's data, checked against the schema `name` (in XML: root and item names as well)."""
    schema, root, item = SCHEMAS[name]
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        data = response.json()
    else:
        assert response["Content-Type"].startswith("text/xml")
        top = ET.fromstring(response.content)
        assert top.tag == root
        if item is None:
            data = xml_to_data(top, schema)
        else:
            assert all(child.tag == item for child in top)
            data = [xml_to_data(child, schema["items"]) for child in top]
    jsonschema.validate(data, schema)
    return data


# --- the world ----------------------------------------------------------------------------------------


@pytest.fixture
def open311_world(world, category, make_key):
    ServiceAttribute.objects.create(
        category=category,
        code="where",
        description="在哪一层？",
        datatype="singlevaluelist",
        required=True,
        values=[{"key": "low", "name": "1-3层"}, {"key": "high", "name": "4层以上"}],
    )
    private = Category.objects.create(name="邻里纠纷", private=True)
    plain = Category.objects.create(name="环境卫生")
    client, raw = make_key(scopes=[ApiScope.OPEN311])
    xinfang = petition_submit(
        kind="request",
        category=plain,
        description="信访事项",
        channel="walk_in",
        building=world.b1,
        is_xinfang=True,
        by=world.alice,
    )
    disputed = petition_submit(
        kind="request", category=private, description="楼上漏水纠纷", channel="public", building=world.b1
    )
    return world, category, private, plain, raw, xinfang, disputed


def _post_data(w, category, raw, **extra):
    data = {
        "api_key": raw,
        "jurisdiction_id": w.c1.code,
        "service_code": str(category.pk),
        "lat": "30.274100",
        "long": "120.155100",
        "address_string": "1栋3单元门口",
        "description": "楼道灯坏了一周",
        "first_name": "桂兰",
        "last_name": "张",
        "phone": "13811112222",
        "attribute[where]": "low",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_recorded_client_session(client, open311_world, fmt):
    w, category, private, plain, raw, xinfang, disputed = open311_world
    j = w.c1.code

    discovery = read(client.get(f"{BASE}/discovery.{fmt}"), fmt, "discovery")
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2")

    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": j})
    assert response.status_code == 200
    listed = {s["service_code"]: s for s in read(response, fmt, "services")}
    assert str(private.pk) not in listed  # a private category is never offered
    assert listed[str(category.pk)]["metadata"] is True and listed[str(plain.pk)]["metadata"] is False

    definition = read(
        client.get(f"{BASE}/services/{category.pk}.{fmt}", {"jurisdiction_id": j}), fmt, "service_definition"
    )
    assert definition["attributes"][0]["code"] == "where" and definition["attributes"][0]["required"] is True
    assert [v["key"] for v in definition["attributes"][0]["values"]] == ["low", "high"]

    response = client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw))
    assert response.status_code == 201, response.content
    posted = read(response, fmt, "posted")[0]
    pk, token = int(posted["service_request_id"]), posted["token"]

    # Staff see it in their workbench, in the same loop as the public form's requests.
    petition = Petition.objects.get(pk=pk)
    assert (petition.channel, petition.status, petition.community) == ("public", "submitted", w.c1)
    assert petition.events.get().action == "submit" and petition.outbox.exists()
    assert "在哪一层？: low" in petition.description and petition.location_text == "1栋3单元门口"
    # The key is not trusted: the phone it passes on was verified by nobody and is not kept.
    assert petition.phone == "" and petition.submitter_name == "张 桂兰"
    staff = client.__class__()
    staff.force_login(w.alice)
    assert petition.tracking_code in staff.get("/workbench/").content.decode()

    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": j})
    rows = read(response, fmt, "requests")
    ids = [int(r["service_request_id"]) for r in rows]
    assert pk in ids and xinfang.pk not in ids and disputed.pk not in ids
    row = rows[ids.index(pk)]
    assert row["status"] == "open" and row["lat"] == pytest.approx(30.2741)
    body = response.content.decode()
    for secret in ("13811112222", "张", "桂兰", "楼道灯坏了一周", "1栋3单元门口", petition.tracking_code):
        assert secret not in body

    one = read(client.get(f"{BASE}/requests/{pk}.{fmt}", {"jurisdiction_id": j}), fmt, "requests")
    assert one == [row]
    tokens = read(client.get(f"{BASE}/tokens/{token}.{fmt}"), fmt, "tokens")
    assert tokens == [{"service_request_id": str(pk), "token": token}]

    # Staff close it: the spec's status follows.
    Petition.objects.filter(pk=pk).update(status="resolved")
    closed = read(
        client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": j, "status": "closed"}), fmt, "requests"
    )
    assert [r["service_request_id"] for r in closed] == [str(pk)]
    assert (
        read(client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": j, "status": "open"}), fmt, "requests")
        == []
    )

    # The spec's errors, each in the asked format with its HTTP code.
    errors = [
        (client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, api_key=None)), 403),
        (client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, api_key="lk_00000000_x")), 403),
        (client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, service_code="999999")), 404),
        (
            client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, service_code=str(private.pk))),
            404,
        ),
        (
            client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, **{"attribute[where]": None})),
            400,
        ),
        (
            client.post(
                f"{BASE}/requests.{fmt}", _post_data(w, category, raw, **{"attribute[where]": "mid"})
            ),
            400,
        ),
        (client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, lat="abc")), 400),
        (client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, lat="51.5", long="-0.12")), 400),
        (client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, jurisdiction_id=w.c2.code)), 403),
        (client.post(f"{BASE}/requests.{fmt}", _post_data(w, category, raw, description="")), 400),
        (client.get(f"{BASE}/services.{fmt}"), 400),
        (client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "999"}), 404),
        (client.get(f"{BASE}/services/999999.{fmt}", {"jurisdiction_id": j}), 404),
        (client.get(f"{BASE}/requests/{xinfang.pk}.{fmt}", {"jurisdiction_id": j}), 404),
        (client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": j, "start_date": "yesterday"}), 400),
        (client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": j, "status": "pending"}), 400),
        (client.get(f"{BASE}/tokens/unknown.{fmt}"), 404),
        (client.post(f"{BASE}/services.{fmt}", {"jurisdiction_id": j}), 405),
        (client.delete(f"{BASE}/requests/{pk}.{fmt}"), 405),
        (client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": j, "service_request_id": "9" * 30}), 400),
        (client.get(f"{BASE}/services/{'9' * 30}.{fmt}", {"jurisdiction_id": j}), 404),
        (client.get(f"{BASE}/requests/9999999.{fmt}", {"jurisdiction_id": j}), 404),
    ]
    for response, code in errors:
        assert response.status_code == code, (code, response.content)
        (err,) = read(response, fmt, "errors")
        assert err["code"] == code and err["description"]
    # Refused posts wrote nothing.
    assert Open311Request.objects.count() == 1


def test_filters(client, open311_world):
    w, category, _private, plain, raw, *_rest = open311_world
    first = client.post(f"{BASE}/requests.json", _post_data(w, category, raw)).json()[0]["service_request_id"]
    second = client.post(
        f"{BASE}/requests.json", _post_data(w, plain, raw, **{"attribute[where]": None})
    ).json()[0]["service_request_id"]

    def ids(**params):
        return [
            r["service_request_id"]
            for r in client.get(f"{BASE}/requests.json", {"jurisdiction_id": w.c1.code, **params}).json()
        ]

    assert ids(service_code=str(plain.pk)) == [second]
    assert ids(service_code=f"{plain.pk},{category.pk}") == [second, first]
    # A list of ids overrides the other filters (the spec).
    assert ids(service_request_id=first, service_code=str(plain.pk)) == [first]
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert ids(start_date=future) == []
    assert set(ids(end_date=future)) == {first, second}
    Petition.objects.filter(pk=first).update(created_at=timezone.now() - datetime.timedelta(days=100))
    assert ids() == [second]  # the spec's default: the last 90 days


def test_trusted_key_keeps_the_phone_and_untrusted_keys_keep_the_forms_limit(
    client, open311_world, make_key, settings
):
    w, category, _private, _plain, raw, *_rest = open311_world
    _c, trusted = make_key(scopes=[ApiScope.OPEN311], trusted=True)
    pk = client.post(f"{BASE}/requests.json", _post_data(w, category, trusted)).json()[0][
        "service_request_id"
    ]
    p = Petition.objects.get(pk=pk)
    assert (p.phone, p.phone_verified) == ("13811112222", True)
    settings.PETITION_LIMIT_PER_IP = (1, 3600)
    assert client.post(f"{BASE}/requests.json", _post_data(w, category, raw)).status_code == 201
    refused = client.post(f"{BASE}/requests.xml", _post_data(w, category, raw))
    assert refused.status_code == 429
    assert read(refused, "xml", "errors")[0]["code"] == 429
    # The trusted key is not held to the per-network limit.
    assert client.post(f"{BASE}/requests.json", _post_data(w, category, trusted)).status_code == 201


def test_key_without_open311_scope_cannot_post(client, open311_world, make_key):
    w, category, *_rest = open311_world
    _c, raw = make_key(scopes=[ApiScope.READ_PETITIONS])
    response = client.post(f"{BASE}/requests.json", _post_data(w, category, raw))
    assert response.status_code == 403
    assert not Open311Request.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_lists_keep_a_constant_query_count(
    client, open311_world, django_assert_max_num_queries, settings, fmt
):
    w, category, _private, plain, raw, *_rest = open311_world
    settings.PETITION_LIMIT_PER_IP = (100, 3600)

    def post(n):
        for _i in range(n):
            client.post(f"{BASE}/requests.json", _post_data(w, category, raw, **{"attribute[where]": "high"}))

    params = {"jurisdiction_id": w.c1.code}
    post(1)
    # jurisdiction, requests (with category, community, building, organisation and Open311 row joined)
    with django_assert_max_num_queries(2):
        assert len(client.get(f"{BASE}/requests.{fmt}", params).content) > 0
    # jurisdiction, categories with "has questions"
    with django_assert_max_num_queries(2):
        client.get(f"{BASE}/services.{fmt}", params)
    post(15)
    with django_assert_max_num_queries(2):
        rows = read(client.get(f"{BASE}/requests.{fmt}", params), fmt, "requests")
    assert len(rows) == 16
    Category.objects.bulk_create([Category(name=f"类别{i}") for i in range(15)])
    with django_assert_max_num_queries(2):
        client.get(f"{BASE}/services.{fmt}", params)
