"""The party organisation page: the four levels of one community, scoped, paginated, constant queries."""

import pytest
from django.urls import reverse

from governance.models import PartyOrganisation
from tests import factories as f


def build_tree(world, branches=1):
    """Committee → branches → a building group in b1 → a central household at h1, with members."""
    created = []
    for i in range(branches):
        branch = PartyOrganisation.objects.create(
            name=f"桂花苑第{i + 1}党支部",
            level=PartyOrganisation.Level.AREA_BRANCH,
            org_type=PartyOrganisation.OrgType.BRANCH,
            parent=world.committee,
            community=world.c1,
            area=world.area1,
        )
        group = PartyOrganisation.objects.create(
            name=f"1栋党小组{i + 1}",
            level=PartyOrganisation.Level.BUILDING_GROUP,
            org_type=PartyOrganisation.OrgType.GROUP,
            parent=branch,
            community=world.c1,
            building=world.b1,
            grid=world.g1,
        )
        member = f.PartyMemberFactory(
            resident=f.ResidentFactory(name=f"党员{i}", home=world.h1, id_number=f.other_id_number(i)),
            organisation=group,
        )
        PartyOrganisation.objects.create(
            name=f"党员中心户{i + 1}",
            level=PartyOrganisation.Level.CENTRAL_HOUSEHOLD,
            org_type=PartyOrganisation.OrgType.HOUSEHOLD,
            parent=group,
            community=world.c1,
            building=world.b1,
            grid=world.g1,
            household=world.h1,
            secretary=member,
        )
        created.append(branch)
    return created


def test_party_page_shows_four_levels(world, client_for):
    build_tree(world)
    html = client_for(world.alice).get(reverse("governance:party")).content.decode()
    assert "桂花社区大党委" in html and "桂花苑第1党支部" in html and "1栋党小组1" in html
    assert "党员中心户1" in html and "党员0" in html
    assert reverse("grids:building", args=[world.b1.pk]) in html


def test_party_page_is_scoped(world, client):
    build_tree(world)
    cases = [
        ("alice", world.c1, 200),
        ("alice", world.c2, 404),
        ("erin", world.c1, 404),
        ("gwen", world.c1, 404),
        ("sam", world.c1, 200),
        ("bob", world.c1, 200),
        ("vera", world.c1, 404),
        ("carol", world.c1, 404),
    ]
    seen = []
    for username, community, _status in cases:
        client.force_login(getattr(world, username))
        seen.append((username, community, client.get(f"/party/?community={community.pk}").status_code))
    assert seen == cases
    client.force_login(world.alice)
    assert client.get("/party/?community=abc").status_code == 404


def test_grid_leader_sees_the_groups_of_their_grid(world, client_for):
    build_tree(world)
    html = client_for(world.bob).get(reverse("governance:party")).content.decode()
    assert "1栋党小组1" in html and "党员中心户1" in html
    assert "桂花苑第1党支部" not in html  # the branch is not in their grid


@pytest.mark.parametrize("rows", [1, 15])
def test_party_page_runs_constant_queries(world, client_for, django_assert_num_queries, rows):
    build_tree(world, branches=rows)
    client = client_for(world.alice)
    # 1 session, 2 user, 3 role assignments (scope), 4 the community, 5 committees, 6 count of branches,
    # 7 the page of branches, 8 their groups and central households (the idle clock was stamped at login).
    with django_assert_num_queries(8):
        response = client.get(reverse("governance:party"))
    html = response.content.decode()
    assert html.count("桂花苑第") == min(rows, 10)


def test_street_official_switches_community(world, client_for):
    f.PartyOrganisationFactory(community=world.c2, name="银杏社区大党委")
    client = client_for(world.sam)
    html = client.get(reverse("governance:party")).content.decode()
    assert "桂花社区大党委" in html and f'<option value="{world.c2.pk}"' in html
    html = client.get(f"/party/?community={world.c2.pk}").content.decode()
    assert "银杏社区大党委" in html and "桂花社区大党委" not in html
