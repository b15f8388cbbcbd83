"""Party organisation API: scoped lists, 404 outside the patch, no personal data, constant queries."""

import pytest

from accounts.models import User
from governance.models import PartyOrganisation
from tests import factories as f
from tests.helpers import result_ids

pytestmark = pytest.mark.sqlite


def world_party(world):
    group = PartyOrganisation.objects.create(
        name="1栋党小组",
        level=PartyOrganisation.Level.BUILDING_GROUP,
        org_type=PartyOrganisation.OrgType.GROUP,
        parent=world.committee,
        community=world.c1,
        building=world.b1,
        grid=world.g1,
    )
    c2_committee = f.PartyOrganisationFactory(community=world.c2, name="银杏社区大党委")
    m1 = f.PartyMemberFactory(resident=world.r1, organisation=group, in_service=True, work_unit="区卫健局")
    m3 = f.PartyMemberFactory(resident=world.r3, organisation=c2_committee)
    return group, c2_committee, m1, m3


def test_party_lists_are_scoped(world, api):
    group, c2_committee, m1, m3 = world_party(world)
    cases = {
        "alice": ({world.committee.pk, group.pk}, {m1.pk}),
        "erin": ({c2_committee.pk}, {m3.pk}),
        "sam": ({world.committee.pk, group.pk, c2_committee.pk}, {m1.pk, m3.pk}),
        "bob": ({group.pk}, {m1.pk}),
        "dave": (set(), set()),
        "vera": (set(), set()),
    }
    for username, (orgs, members) in cases.items():
        client = api(getattr(world, username))
        assert result_ids(client.get("/api/v1/party/organisations/")) == orgs, username
        assert result_ids(client.get("/api/v1/party/members/")) == members, username
        for pk in {world.committee.pk, group.pk, c2_committee.pk} - orgs:
            assert client.get(f"/api/v1/party/organisations/{pk}/").status_code == 404, (username, pk)
        for pk in {m1.pk, m3.pk} - members:
            assert client.get(f"/api/v1/party/members/{pk}/").status_code == 404, (username, pk)


def test_member_shows_no_personal_data(world, api):
    _group, _c2, m1, _m3 = world_party(world)
    response = api(world.alice).get(f"/api/v1/party/members/{m1.pk}/")
    body = response.json()
    assert body["name"] == "张桂兰" and body["in_service"] is True and body["work_unit"] == "区卫健局"
    raw = response.content.decode()
    assert "13812345678" not in raw and world.r1.reveal_id_number() not in raw


def test_filters(world, api):
    group, *_ = world_party(world)
    client = api(world.alice)
    assert result_ids(client.get("/api/v1/party/organisations/?level=3")) == {group.pk}
    assert result_ids(client.get(f"/api/v1/party/organisations/?building={world.b1.pk}")) == {group.pk}
    assert result_ids(client.get("/api/v1/party/members/?in_service=true")) == {world.r1.party_member.pk}


def test_party_api_is_read_only(world, api):
    response = api(world.alice).post("/api/v1/party/organisations/", {"name": "x"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("rows", [1, 50])
def test_party_lists_run_constant_queries(world, api, django_assert_num_queries, rows):
    for i in range(rows):
        org = PartyOrganisation.objects.create(
            name=f"支部{i}",
            level=PartyOrganisation.Level.AREA_BRANCH,
            org_type=PartyOrganisation.OrgType.BRANCH,
            parent=world.committee,
            community=world.c1,
        )
        f.PartyMemberFactory(
            organisation=org, resident=f.ResidentFactory(home=world.h1, id_number=f.other_id_number(i))
        )
    client = api(User.objects.get(pk=world.alice.pk))
    # 1 role assignments (scope), 2 count, 3 the page of organisations with secretary and member count.
    with django_assert_num_queries(3):
        client.get("/api/v1/party/organisations/")
    client = api(User.objects.get(pk=world.alice.pk))
    # 1 role assignments (scope), 2 count, 3 the page of members with resident and organisation.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/party/members/")
    assert len(response.json()["results"]) == min(rows, 25)
