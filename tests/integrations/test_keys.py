"""API keys: hashed, shown once, refused when revoked or expired or over their allowance, bound to an
area and scopes, masked like a street official's view, each write logged with the client."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from integrations import services
from integrations.models import ApiClient, ApiClientUse, ApiScope
from petitions.services import petition_submit

pytestmark = pytest.mark.django_db


def _petition(w, category, building):
    return petition_submit(
        kind="request",
        category=category,
        description="楼道灯坏了",
        channel="public",
        building=building,
        phone="13811112222",
    )


def test_key_is_hashed_and_shown_once(world, make_key):
    client, raw = make_key()
    assert raw.startswith("lk_") and len(raw) > 40
    stored = ApiClient.objects.get(pk=client.pk)
    assert raw not in (stored.key_hash, stored.key_prefix) and stored.key_hash == services.hash_key(raw)
    # The client's account cannot log in with any password.
    assert not stored.user.has_usable_password()
    # An update keeps the key and gives none back.
    stored.name = "新名字"
    assert services.api_client_save(client=stored, by=world.alice) is None
    assert ApiClient.objects.get(pk=client.pk).key_hash == services.hash_key(raw)


def test_key_reads_its_community_only_and_masked(world, make_key, keyed, category):
    mine = _petition(world, category, world.b1)
    other = _petition(world, category, world.b3)  # community c2
    _client, raw = make_key()
    api = keyed(raw)
    listed = api.get("/api/v1/petitions/")
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json()["results"]]
    assert ids == [mine.pk]
    assert listed.json()["results"][0]["phone"] == "138****2222"
    assert api.get(f"/api/v1/petitions/{other.pk}/").status_code == 404
    # Registry data come masked too.
    residents = api.get("/api/v1/residents/")
    assert residents.status_code == 200
    body = residents.content.decode()
    assert "13812345678" not in body and world.r1.name in body


def refused_with_a_challenge(response):
    """A refused key: 401 with the scheme to authenticate with, the API's one error shape."""
    return (
        response.status_code == 401
        and response["WWW-Authenticate"] == "Api-Key"
        and isinstance(response.json()["detail"], str)
    )


def test_revoked_expired_and_unknown_keys_answer_401_with_a_challenge(world, make_key, keyed, api):
    client, raw = make_key()
    keyed_api = keyed(raw)
    assert keyed_api.get("/api/v1/petitions/").status_code == 200
    services.api_client_revoke(client=client, by=world.alice)
    revoked = keyed_api.get("/api/v1/petitions/")
    assert refused_with_a_challenge(revoked) and revoked.json()["detail"] == "此 API 密钥已被吊销。"
    expired, raw2 = make_key()
    ApiClient.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert refused_with_a_challenge(keyed(raw2).get("/api/v1/petitions/"))
    # A wrong secret with a real prefix, garbage, and the scheme without a key; writes alike.
    assert refused_with_a_challenge(keyed(raw2[:-4] + "AAAA").get("/api/v1/petitions/"))
    assert refused_with_a_challenge(keyed("nonsense").get("/api/v1/petitions/"))
    bare = keyed("")
    bare.credentials(HTTP_AUTHORIZATION="Api-Key")
    assert refused_with_a_challenge(bare.get("/api/v1/petitions/"))
    assert refused_with_a_challenge(keyed("nonsense").post("/api/v1/petitions/", {}, format="json"))
    # No credentials at all stays 403, as for a browser without a session; a logged-in session is unchanged.
    anonymous = keyed("")
    anonymous.credentials()
    response = anonymous.get("/api/v1/petitions/")
    assert response.status_code == 403 and "WWW-Authenticate" not in response
    assert api(world.alice).get("/api/v1/petitions/").status_code == 200


def test_scopes_are_enforced_per_endpoint(world, make_key, keyed, category):
    p = _petition(world, category, world.b1)
    _c, raw = make_key(scopes=[ApiScope.READ_PETITIONS])
    api = keyed(raw)
    assert api.get("/api/v1/petitions/").status_code == 200
    # A valid key lacking the scope: 403, no challenge (another key would not help this one).
    lacking = api.get("/api/v1/residents/")
    assert lacking.status_code == 403 and "WWW-Authenticate" not in lacking
    assert api.get("/api/v1/households/").status_code == 403
    # A write needs the write scope, and endpoints not listed for keys stay closed.
    assert (
        api.post(f"/api/v1/petitions/{p.pk}/transition/", {"action": "accept"}, format="json").status_code
        == 403
    )
    assert api.get("/api/v1/visits/").status_code == 403
    _c, raw = make_key(scopes=[ApiScope.READ_REGISTRY])
    assert keyed(raw).get("/api/v1/petitions/").status_code == 403
    assert keyed(raw).get("/api/v1/residents/").status_code == 200


def test_write_with_key_is_logged_with_the_client(world, make_key, keyed, category, caplog):
    p = _petition(world, category, world.b1)
    client, raw = make_key(scopes=[ApiScope.READ_PETITIONS, ApiScope.WRITE_PETITIONS])
    response = keyed(raw).post(f"/api/v1/petitions/{p.pk}/transition/", {"action": "accept"}, format="json")
    assert response.status_code == 200, response.content
    p.refresh_from_db()
    assert p.status == "accepted"
    assert p.events.last().actor == client.user
    use = ApiClientUse.objects.get()
    assert (use.client, use.method, use.status_code) == (client, "POST", 200)
    assert use.path == f"/api/v1/petitions/{p.pk}/transition/"
    # Reads leave no row, only the last-used stamp and a log line naming the client.
    with caplog.at_level("INFO", logger="linli.integrations"):
        keyed(raw).get("/api/v1/petitions/?status=accepted")
    assert ApiClientUse.objects.count() == 1
    assert f"api_client={client.pk} GET /api/v1/petitions/ status=200" in caplog.text
    assert ApiClient.objects.get(pk=client.pk).last_used_at is not None


def test_last_used_is_stamped_at_most_once_a_minute(world, make_key, keyed, django_assert_num_queries):
    client, raw = make_key(scopes=[ApiScope.READ_PETITIONS])
    api = keyed(raw)
    api.get("/api/v1/petitions/")
    first = ApiClient.objects.get(pk=client.pk).last_used_at
    api.get("/api/v1/petitions/")
    assert ApiClient.objects.get(pk=client.pk).last_used_at == first


def test_key_is_rate_limited_in_the_database(world, make_key, keyed):
    _c, raw = make_key(scopes=[ApiScope.READ_PETITIONS], rate_limit_per_hour=3)
    api = keyed(raw)
    assert [api.get("/api/v1/petitions/").status_code for _i in range(4)] == [200, 200, 200, 429]


def test_issue_rules(world, make_key):
    with pytest.raises(PermissionDenied):
        make_key(community=world.c2)  # alice is staff of c1 only
    with pytest.raises(PermissionDenied):
        make_key(community=None, street=world.street)  # a street is more than her community
    with pytest.raises(ValidationError) as exc:
        make_key(scopes=["everything"], expires_at=timezone.now() - datetime.timedelta(days=1))
    assert {"scopes", "expires_at"} <= set(exc.value.error_dict)
    with pytest.raises(ValidationError):
        make_key(community=None)
    # The district's official issues keys for the street; the street's read-only official does not.
    client, raw = make_key(community=None, street=world.street, by=world.dana)
    assert raw
    with pytest.raises(PermissionDenied):
        make_key(community=None, street=world.street, by=world.sam)
    with pytest.raises(PermissionDenied):
        services.api_client_revoke(client=client, by=world.alice)


def test_street_key_reads_every_community_of_the_street(world, make_key, keyed, category):
    a = _petition(world, category, world.b1)
    b = _petition(world, category, world.b3)
    _c, raw = make_key(community=None, street=world.street, by=world.dana, scopes=[ApiScope.READ_PETITIONS])
    ids = {row["id"] for row in keyed(raw).get("/api/v1/petitions/").json()["results"]}
    assert ids == {a.pk, b.pk}


def test_schema_lists_the_key_scheme(world, client):
    client.force_login(world.alice)
    schema = client.get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["apiKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    petitions_list = schema["paths"]["/api/v1/petitions/"]["get"]
    assert {"apiKey": []} in petitions_list["security"]


def test_schema_lists_the_key_only_where_a_key_may_call(world, client):
    client.force_login(world.alice)
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert {"apiKey": []} in paths["/api/v1/residents/"]["get"]["security"]
    assert {"apiKey": []} in paths["/api/v1/petitions/stats/"]["get"]["security"]
    assert {"apiKey": []} in paths["/api/v1/petitions/{id}/transition/"]["post"]["security"]
    assert {"apiKey": []} not in paths["/api/v1/visits/"]["get"].get("security", [])


def test_keyed_list_keeps_a_constant_query_count(
    world, make_key, keyed, category, django_assert_max_num_queries
):
    _c, raw = make_key(community=None, street=world.street, by=world.dana, scopes=[ApiScope.READ_PETITIONS])
    api = keyed(raw)
    _petition(world, category, world.b1)
    api.get("/api/v1/petitions/")  # the first call also stamps last_used_at
    # key's client, street's communities, limiter (lock, count, insert) and the list's own queries
    with django_assert_max_num_queries(12) as one:
        assert api.get("/api/v1/petitions/").json()["count"] == 1
    for _i in range(20):
        _petition(world, category, world.b3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api.get("/api/v1/petitions/").json()["count"] == 21
