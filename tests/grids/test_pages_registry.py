"""Registry pages: the building page (both hierarchies), the household page and its reveal form, the
uncovered-households list. Scoping (404), masking, the reveal log and constant query counts."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import RevealLog, RoleAssignment
from governance.models import PartyOrganisation
from grids.models import Household, Residence, ResidentTag
from tests import factories as f


def building_url(b):
    return reverse("grids:building", args=[b.pk])


def household_url(h):
    return reverse("grids:household", args=[h.pk])


def reveal_url(r):
    return reverse("grids:resident-reveal", args=[r.pk])


def party_group(world, building, with_central=True):
    leader = f.PartyMemberFactory(
        resident=f.ResidentFactory(
            name="周红梅", home=building.households.first(), id_number=f.other_id_number(999)
        ),
        organisation=world.committee,
    )
    group = PartyOrganisation.objects.create(
        name=f"{building.name}党小组",
        level=PartyOrganisation.Level.BUILDING_GROUP,
        org_type=PartyOrganisation.OrgType.GROUP,
        parent=world.committee,
        community=building.community,
        building=building,
        grid=building.grid,
        secretary=leader,
    )
    if with_central:
        PartyOrganisation.objects.create(
            name="党员中心户·周红梅",
            level=PartyOrganisation.Level.CENTRAL_HOUSEHOLD,
            org_type=PartyOrganisation.OrgType.HOUSEHOLD,
            parent=group,
            community=building.community,
            building=building,
            household=building.households.first(),
            secretary=leader,
        )
    return group


# --- The building page -------------------------------------------------------------------------------


def test_building_page_shows_both_hierarchies_masked(world, client_for):
    party_group(world, world.b1)
    page = client_for(world.alice).get(building_url(world.b1))
    assert page.status_code == 200
    html = page.content.decode()
    # The grid side: grid, grid leader, micro-grid leader.
    assert "桂花第一网格" in html and "Bob" in html and "Mia" in html and "1栋微网格" in html
    # The party side: the building party group, its leader and the central household.
    assert "1栋党小组" in html and "周红梅" in html and "党员中心户" in html
    # Households with masked members; never a raw phone or ID number.
    assert "张桂兰" in html and "138****5678" in html
    assert "13812345678" not in html
    assert world.r1.reveal_id_number() not in html
    assert "网格管理" in html  # Chinese headings: the page is Chinese first


def test_building_without_party_group_says_so(world, client_for):
    html = client_for(world.alice).get(building_url(world.b2)).content.decode()
    assert "Dave" in html
    assert "尚未建立楼栋党小组" in html


# (user, building, expected status) for the building page and the page of its first household.
SCOPE_CASES = [
    ("alice", "b1", 200),
    ("alice", "b3", 404),  # another community
    ("erin", "b1", 404),
    ("erin", "b3", 200),
    ("sam", "b3", 200),  # the street official reads the whole street
    ("dana", "b1", 200),
    ("bob", "b1", 200),
    ("bob", "b2", 404),  # another grid of the same community
    ("dave", "b1", 404),
    ("gwen", "b1", 404),
    ("gwen", "b3", 200),
    ("mia", "b1", 200),
    ("mia", "b2", 404),
    ("pete", "b1", 404),  # party members, volunteers, merchants and residents have no registry
    ("vera", "b1", 404),
    ("max", "b1", 404),
    ("carol", "b1", 404),
]


def test_building_and_household_pages_are_scoped(world, client):
    # One world for every case: building it per case would cost more than the checks themselves.
    seen = []
    for username, building, _status in SCOPE_CASES:
        client.force_login(getattr(world, username))
        b = getattr(world, building)
        seen.append(
            (
                username,
                building,
                client.get(building_url(b)).status_code,
                client.get(household_url(b.households.first())).status_code,
            )
        )
    assert seen == [(u, b, status, status) for u, b, status in SCOPE_CASES]


def test_unknown_ids_are_404(world, client_for):
    client = client_for(world.alice)
    assert client.get("/buildings/999999/").status_code == 404
    assert client.get("/households/999999/").status_code == 404


def test_pages_need_login(world, client):
    response = client.get(building_url(world.b1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_micro_grid_leader_sees_only_their_households_of_the_building(world, client_for):
    other = f.HouseholdFactory(building=world.b1, unit=2, room="102")  # in b1 but not in m1
    f.ResidentFactory(name="钱多多", home=other, id_number=f.other_id_number(998))
    html = client_for(world.mia).get(building_url(world.b1)).content.decode()
    assert "张桂兰" in html and "钱多多" not in html
    html = client_for(world.bob).get(building_url(world.b1)).content.decode()
    assert "张桂兰" in html and "钱多多" in html


def test_sensitive_tags_hidden_from_micro_grid_leader(world, client_for):
    alone = ResidentTag.objects.create(code="t_alone", name="独居老人", sensitive=False)
    ill = ResidentTag.objects.create(code="t_ill", name="慢性病患者", sensitive=True)
    world.r1.tags.set([alone, ill])
    staff = client_for(world.alice).get(building_url(world.b1)).content.decode()
    assert "独居老人" in staff and "慢性病患者" in staff
    leader = client_for(world.mia).get(building_url(world.b1)).content.decode()
    assert "独居老人" in leader and "慢性病患者" not in leader


def fill_building(world, n):
    """A building in g1 with n households, each with one tagged resident, a party group and a central
    household, all in micro-grid m1 with its leader."""
    building = f.BuildingFactory(area=world.area1, grid=world.g1, code=f"33019900100100105{n % 10}")
    tag = ResidentTag.objects.create(code=f"tag{n}", name="高龄老人")
    for i in range(n):
        household = Household.objects.create(
            building=building,
            code=f"{building.code}01{i + 1:04d}",
            unit=1,
            floor=1 + i // 10,
            room=f"{i + 1:04d}",
            microgrid=world.m1,
        )
        resident = f.ResidentFactory(
            name=f"住户{i}", home=household, phone=f"139{i:08d}", id_number=f.other_id_number(i)
        )
        resident.tags.add(tag)
    party_group(world, building)
    return building


@pytest.mark.parametrize("rows", [1, 50])
def test_building_page_runs_constant_queries(world, client_for, django_assert_num_queries, rows):
    building = fill_building(world, rows)
    client = client_for(world.alice)
    # 1 session, 2 user, 3 the user's role assignments (scope), 4 the building (access_building),
    # 5 grid leaders and workers, 6 micro-grid leaders, 7 party organisations of the building,
    # 8 households count, 9 the page of households with their heads, 10 their current members,
    # 11 the members' visible tags, 12 the members' current residence rows.
    with django_assert_num_queries(12):
        response = client.get(building_url(building))
    assert response.status_code == 200
    assert response.content.decode().count('class="household"') == min(rows, 20)


# --- The household page and its reveal form ----------------------------------------------------------


def test_household_page_masks_and_offers_reveal_to_staff(world, client_for):
    html = client_for(world.alice).get(household_url(world.h1)).content.decode()
    assert "张桂兰" in html and "138****5678" in html and world.r1.id_number_masked in html
    assert "13812345678" not in html and world.r1.reveal_id_number() not in html
    assert reveal_url(world.r1) in html
    # Micro-grid leaders see the household but may not reveal.
    html = client_for(world.mia).get(household_url(world.h1)).content.decode()
    assert "138****5678" in html and reveal_url(world.r1) not in html


def test_reveal_shows_value_once_and_logs(world, client_for):
    client = client_for(world.alice)
    response = client.post(reveal_url(world.r1), {"field": "id_number", "reason": "入户走访核对身份"})
    assert response.status_code == 200
    assert world.r1.reveal_id_number() in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    log = RevealLog.objects.get()
    assert (log.user, log.resident, log.field, log.reason) == (
        world.alice,
        world.r1,
        "id_number",
        "入户走访核对身份",
    )
    # Shown once: the page itself stays masked.
    assert world.r1.reveal_id_number() not in client.get(household_url(world.h1)).content.decode()


def test_reveal_phone_by_grid_leader(world, client_for):
    response = client_for(world.bob).post(reveal_url(world.r1), {"field": "phone", "reason": "联系家属"})
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    assert RevealLog.objects.filter(user=world.bob, field="phone").count() == 1


def test_reveal_refused_and_not_logged(world, client):
    cases = [("vera", 404), ("pete", 404), ("erin", 404), ("dave", 404), ("mia", 403), ("sam", 403)]
    seen = []
    for username, _status in cases:
        client.force_login(getattr(world, username))
        response = client.post(reveal_url(world.r1), {"field": "phone", "reason": "看看"})
        assert "13812345678" not in response.content.decode()
        seen.append((username, response.status_code))
    assert seen == cases
    assert not RevealLog.objects.exists()


def test_reveal_needs_a_reason(world, client_for):
    response = client_for(world.alice).post(reveal_url(world.r1), {"field": "phone", "reason": ""})
    assert response.status_code == 400
    assert "13812345678" not in response.content.decode()
    assert not RevealLog.objects.exists()


def test_reveal_is_post_only(world, client_for):
    assert client_for(world.alice).get(reveal_url(world.r1)).status_code == 405


# --- Households no grid covers -----------------------------------------------------------------------


def uncovered_household(world):
    building = f.BuildingFactory(area=world.area1, grid=None, code="330199001001001099", name="99栋")
    household = f.HouseholdFactory(building=building, unit=1, room="101")
    return household


def test_uncovered_lists_only_uncovered_households_in_scope(world, client_for):
    household = uncovered_household(world)
    html = client_for(world.alice).get(reverse("grids:uncovered")).content.decode()
    assert household_url(household) in html and "99栋" in html
    assert household_url(world.h1) not in html
    html = client_for(world.erin).get(reverse("grids:uncovered")).content.decode()
    assert household_url(household) not in html


def test_uncovered_is_for_staff(world, client):
    for username in ["bob", "mia", "vera", "carol"]:
        client.force_login(getattr(world, username))
        assert client.get(reverse("grids:uncovered")).status_code == 403, username


@pytest.mark.parametrize("rows", [1, 50])
def test_uncovered_runs_constant_queries(world, client_for, django_assert_num_queries, rows):
    building = f.BuildingFactory(area=world.area1, grid=None, code="330199001001001098")
    Household.objects.bulk_create(
        Household(building=building, code=f"{building.code}01{i:04d}", unit=1, room=f"{i:04d}")
        for i in range(rows)
    )
    client = client_for(world.alice)
    # 1 session, 2 user, 3 role assignments, 4 count, 5 the page of households with building, area and
    # community; 6-8 micro-grids: count, page (dwellings, leader), their buildings; 9 micro-grid coverage
    # totals; 10 grids without a leader: count (every grid here has one, and an empty page runs no query).
    with django_assert_num_queries(10):
        response = client.get(reverse("grids:uncovered"))
    assert response.content.decode().split("</table>")[0].count("<tr>") == 1 + min(rows, 20)


def test_building_page_lists_residence_kind(world, client_for):
    Residence.objects.filter(resident=world.r1).update(kind=Residence.Kind.FLOATING)
    html = client_for(world.alice).get(building_url(world.b1)).content.decode()
    assert "流动人口" in html


@pytest.mark.parametrize("rows", [1, 30])
def test_microgrid_coverage_and_leaderless_places(world, client_for, django_assert_num_queries, rows):
    # m1 covers h1 (in 1栋) and has Mia as leader; new micro-grids have none, each covering a dwelling of 2栋.
    for i in range(rows):
        m = f.MicroGridFactory(grid=world.g2, code=f"01330199001001002{i + 1:03d}", name=f"2栋{i}号微网格")
        f.HouseholdFactory(building=world.b2, unit=2, room=f"{i:03d}", microgrid=m)
    client = client_for(world.alice)
    # As above, with no uncovered dwelling and no leaderless grid: their empty pages run no query.
    with django_assert_num_queries(9):
        html = client.get(reverse("grids:uncovered")).content.decode()
    microgrids = html.split('id="microgrids"')[1].split("</table>")[0]
    # Leaderless first, each with the buildings it covers; Mia's micro-grid shows 1栋 and a leader.
    if rows == 1:
        assert microgrids.index("2栋0号微网格") < microgrids.index("1栋微网格")
    else:  # a page of leaderless ones comes first
        assert "1栋微网格" not in microgrids
    assert "桂花苑2栋" in microgrids and "无在岗负责人" in microgrids
    # c1: h1, h2 and the new dwellings; h1 and the new ones are in a micro-grid; 1栋 and 2栋 both have one.
    assert f"已纳入微网格的房屋：{1 + rows} / {2 + rows}" in html
    assert "有微网格的楼栋：2 / 2" in html
    leaderless = html.split('id="leaderless-grids"')[1]
    # Bob leads g1, Dave g2: no grid of c1 lacks a leader until Dave's assignment ends.
    assert "（0）" in leaderless.split("</h2>")[0]
    RoleAssignment.objects.filter(user=world.dave).update(valid_until=datetime.date(2020, 1, 1))
    with django_assert_num_queries(10):  # now the page of leaderless grids too
        leaderless = client.get(reverse("grids:uncovered")).content.decode().split('id="leaderless-grids"')[1]
    assert "桂花第二网格" in leaderless and "桂花第一网格" not in leaderless
    assert "银杏第一网格" not in client.get(reverse("grids:uncovered")).content.decode()
