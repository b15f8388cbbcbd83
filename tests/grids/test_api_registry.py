"""Registry API: scoping (404 outside the patch), masked personal data, the logged reveal, bad input
answered 400 with translated messages and nothing saved, and constant query counts on lists."""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import RevealLog, User
from grids.models import Household, Residence, Resident, ResidentTag
from tests import factories as f
from tests.helpers import result_ids

pytestmark = pytest.mark.sqlite


# --- Scoping -----------------------------------------------------------------------------------------


def test_lists_and_details_are_scoped_for_every_role(world, api):
    """Each role lists only its patch, and any other id answers 404."""
    c1_households = {world.h1.pk, world.h2.pk}
    expected = {
        # user: (households, residents, buildings, grids)
        "alice": (
            c1_households,
            {world.r1.pk, world.r2.pk},
            {world.b1.pk, world.b2.pk},
            {world.g1.pk, world.g2.pk},
        ),
        "erin": ({world.h3.pk}, {world.r3.pk}, {world.b3.pk}, {world.g3.pk}),
        "sam": (c1_households | {world.h3.pk}, {world.r1.pk, world.r2.pk, world.r3.pk}, None, None),
        "dana": (c1_households | {world.h3.pk}, {world.r1.pk, world.r2.pk, world.r3.pk}, None, None),
        "bob": ({world.h1.pk}, {world.r1.pk}, {world.b1.pk}, {world.g1.pk}),
        "dave": ({world.h2.pk}, {world.r2.pk}, {world.b2.pk}, {world.g2.pk}),
        "gwen": ({world.h3.pk}, {world.r3.pk}, {world.b3.pk}, {world.g3.pk}),
        "mia": ({world.h1.pk}, {world.r1.pk}, {world.b1.pk}, {world.g1.pk}),
        "pete": (set(), set(), set(), set()),
        "vera": (set(), set(), set(), set()),
        "max": (set(), set(), set(), set()),
        "carol": (set(), set(), set(), set()),
    }
    all_ids = {
        "households": {world.h1.pk, world.h2.pk, world.h3.pk},
        "residents": {world.r1.pk, world.r2.pk, world.r3.pk},
        "buildings": {world.b1.pk, world.b2.pk, world.b3.pk},
        "grids": {world.g1.pk, world.g2.pk, world.g3.pk},
    }
    for username, lists in expected.items():
        client = api(getattr(world, username))
        for endpoint, wanted in zip(["households", "residents", "buildings", "grids"], lists, strict=True):
            if wanted is None:
                continue
            assert result_ids(client.get(f"/api/v1/{endpoint}/")) == wanted, (username, endpoint)
            for pk in all_ids[endpoint] - wanted:
                assert client.get(f"/api/v1/{endpoint}/{pk}/").status_code == 404, (username, endpoint, pk)
            for pk in wanted:
                assert client.get(f"/api/v1/{endpoint}/{pk}/").status_code == 200, (username, endpoint, pk)


def test_anonymous_gets_nothing(world):
    assert APIClient().get("/api/v1/residents/").status_code == 403


# --- Personal data -----------------------------------------------------------------------------------


def test_residents_are_masked(world, api):
    response = api(world.alice).get(f"/api/v1/residents/{world.r1.pk}/")
    body = response.json()
    assert body["phone"] == "138****5678"
    assert body["id_number"] == world.r1.id_number_masked and "*" in body["id_number"]
    raw = response.content.decode()
    assert "13812345678" not in raw and world.r1.reveal_id_number() not in raw
    listing = api(world.alice).get("/api/v1/residents/").content.decode()
    assert "13812345678" not in listing and world.r1.reveal_id_number() not in listing


def test_sensitive_tags_hidden_from_micro_grid_leader(world, api):
    alone = ResidentTag.objects.create(code="t_alone", name="独居老人")
    ill = ResidentTag.objects.create(code="t_ill", name="慢性病患者", sensitive=True)
    world.r1.tags.set([alone, ill])
    staff = api(world.alice).get(f"/api/v1/residents/{world.r1.pk}/").json()
    assert {t["code"] for t in staff["tags"]} == {"t_alone", "t_ill"}
    leader = api(world.mia).get(f"/api/v1/residents/{world.r1.pk}/").json()
    assert {t["code"] for t in leader["tags"]} == {"t_alone"}
    # Nor can a hidden tag be probed through the filter.
    assert result_ids(api(world.mia).get("/api/v1/residents/?tag=t_ill")) == set()
    assert result_ids(api(world.alice).get("/api/v1/residents/?tag=t_ill")) == {world.r1.pk}


def test_reveal_returns_value_and_logs(world, api):
    response = api(world.alice).post(
        f"/api/v1/residents/{world.r1.pk}/reveal/",
        {"field": "id_number", "reason": "核对低保申请"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"field": "id_number", "value": world.r1.reveal_id_number()}
    assert "no-store" in response["Cache-Control"]
    log = RevealLog.objects.get()
    assert (log.user, log.resident, log.field, log.reason) == (
        world.alice,
        world.r1,
        "id_number",
        "核对低保申请",
    )


def test_reveal_refused_and_not_logged(world, api):
    cases = [
        ("vera", 404),
        ("pete", 404),
        ("carol", 404),
        ("erin", 404),
        ("dave", 404),
        ("mia", 403),
        ("sam", 403),
    ]
    seen = []
    for username, _status in cases:
        response = api(getattr(world, username)).post(
            f"/api/v1/residents/{world.r1.pk}/reveal/", {"field": "phone", "reason": "看看"}, format="json"
        )
        assert "13812345678" not in response.content.decode()
        seen.append((username, response.status_code))
    assert seen == cases
    assert not RevealLog.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{"field": "phone"}, {"field": "phone", "reason": "x"}, {"field": "birth_date", "reason": "走访"}],
)
def test_reveal_bad_input(world, api, payload):
    response = api(world.alice).post(f"/api/v1/residents/{world.r1.pk}/reveal/", payload, format="json")
    assert response.status_code == 400
    assert not RevealLog.objects.exists()


# --- Writes through the services ---------------------------------------------------------------------


def good_resident(world, **overrides):
    payload = {
        "name": "赵美华",
        "phone": "13600001234",
        "id_number": f.make_id_number(77, birth=datetime.date(1955, 2, 3), male=False),
        "household": world.h1.pk,
        "kind": "permanent",
        "relation": "spouse",
    }
    payload.update(overrides)
    return payload


def test_create_resident_through_the_service(world, api):
    response = api(world.alice).post("/api/v1/residents/", good_resident(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "136****1234" and body["gender"] == "F" and body["household"] == world.h1.pk
    resident = Resident.objects.get(pk=body["id"])
    residence = resident.residences.get()
    assert (residence.household, residence.kind, residence.relation) == (world.h1, "permanent", "spouse")
    assert resident.birth_date == datetime.date(1955, 2, 3)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "12345"}, "id_number", "18"),
        (
            {"id_number": f.make_id_number(77)[:17] + ("0" if f.make_id_number(77)[17] != "0" else "1")},
            "id_number",
            "校验",
        ),
        ({"phone": "12345"}, "phone", "11位"),
        ({"phone": "1381234567a"}, "phone", "11位"),
        ({"household": 999999}, "household", "房屋"),
        ({"name": ""}, "name", ""),
        ({"name": "名" * 51}, "name", ""),
        ({"birth_date": "not a date"}, "birth_date", ""),
        ({"tags": ["no_such_tag"]}, "tags", "no_such_tag"),
    ],
)
def test_create_rejects_bad_input_in_chinese(world, api, overrides, field, message):
    before = Resident.objects.count(), Residence.objects.count()
    response = api(world.alice).post(
        "/api/v1/residents/", good_resident(world, **overrides), format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors and message in " ".join(errors[field])
    assert (Resident.objects.count(), Residence.objects.count()) == before


def test_create_duplicate_id_number_rejected(world, api):
    response = api(world.alice).post(
        "/api/v1/residents/", good_resident(world, id_number=world.r2.reveal_id_number()), format="json"
    )
    assert response.status_code == 400 and "id_number" in response.json()
    assert Resident.objects.count() == 3


def test_create_outside_scope_or_read_only(world, api):
    # A household of another community is not a choice; an official reads but does not write.
    assert api(world.erin).post("/api/v1/residents/", good_resident(world), format="json").status_code == 400
    assert api(world.sam).post("/api/v1/residents/", good_resident(world), format="json").status_code == 400
    assert api(world.vera).post("/api/v1/residents/", good_resident(world), format="json").status_code == 400
    assert Resident.objects.count() == 3


def test_update_resident(world, api):
    client = api(world.alice)
    response = client.patch(f"/api/v1/residents/{world.r1.pk}/", {"phone": "13911112222"}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "139****2222"
    world.r1.refresh_from_db()
    assert world.r1.phone == "13911112222"
    bad = client.patch(f"/api/v1/residents/{world.r1.pk}/", {"phone": "999"}, format="json")
    assert bad.status_code == 400 and "phone" in bad.json()
    move = client.patch(f"/api/v1/residents/{world.r1.pk}/", {"household": world.h2.pk}, format="json")
    assert move.status_code == 400
    world.r1.refresh_from_db()
    assert (world.r1.phone, world.r1.household) == ("13911112222", world.h1)
    # Out of scope: 404; read-only official: 403.
    assert (
        api(world.erin).patch(f"/api/v1/residents/{world.r1.pk}/", {"notes": "x"}, format="json").status_code
        == 404
    )
    assert (
        api(world.sam).patch(f"/api/v1/residents/{world.r1.pk}/", {"notes": "x"}, format="json").status_code
        == 403
    )


def test_residents_cannot_be_deleted(world, api):
    assert api(world.alice).delete(f"/api/v1/residents/{world.r1.pk}/").status_code == 405


# --- Query counts ------------------------------------------------------------------------------------


def fill(world, n):
    building = f.BuildingFactory(area=world.area1, grid=world.g1, code=f"33019900100100107{n % 10}")
    tag = ResidentTag.objects.create(code=f"q{n}", name="高龄老人")
    for i in range(n):
        household = Household.objects.create(
            building=building, code=f"{building.code}01{i:04d}", unit=1, room=f"{i:04d}", microgrid=world.m1
        )
        f.ResidentFactory(name=f"住户{i}", home=household, id_number=f.other_id_number(i)).tags.add(tag)
    return building


@pytest.mark.parametrize("rows", [1, 50])
def test_lists_run_constant_queries(world, api, django_assert_num_queries, rows):
    building = fill(world, rows)
    # A fresh user object for each block: the scope is computed once per user object, on its first request.
    client = api(User.objects.get(pk=world.bob.pk))
    # 1 role assignments (scope), 2 count, 3 the page of households with building and area, annotated
    # with their member count.
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/households/?building={building.pk}")
    assert len(response.json()["results"]) == min(rows, 25)
    client = api(User.objects.get(pk=world.mia.pk))
    # 1 role assignments (scope), 2 count, 3 the page of residents, 4 their visible tags.
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/residents/?building={building.pk}")
    assert len(response.json()["results"]) == min(rows, 25)
    assert all(
        r["tags"] == [{"code": f"q{rows}", "name": "高龄老人", "needs_attention": True}]
        for r in response.json()["results"]
    )
    client = api(User.objects.get(pk=world.mia.pk))
    # 1 role assignments (scope), 2 count, 3 the page of buildings with area, grid and leader.
    with django_assert_num_queries(3):
        client.get("/api/v1/buildings/")
