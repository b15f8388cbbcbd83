"""Staff pages that create and change units, agreements and reporting party members (双报到): through the
services, scoped to the staff's community (404 for another's), translated errors that change nothing, and
a constant number of queries."""

import datetime

import pytest

from cobuilding.models import Agreement, CoBuildingUnit, ReportedMember
from governance.models import Organisation
from projects.models import Project
from tests import factories as f

pytestmark = pytest.mark.django_db


def project(world, name, community=None):
    community = community or world.c1
    organisation = (
        world.committee if community == world.c1 else f.PartyOrganisationFactory(community=community)
    )
    return Project.objects.create(
        community=community,
        organisation=organisation,
        name=name,
        kind=Project.Kind.ALLIANCE,
        starts_on=datetime.date(2026, 1, 1),
        due_on=datetime.date(2026, 12, 1),
    )


def test_staff_create_and_rename_a_unit(world, client_for):
    client = client_for(world.alice)
    assert client.get("/cobuilding/units/").content.decode().count('id="unit-new"') == 1
    response = client.post(
        "/cobuilding/units/new/",
        {"name": "桂花中学", "community": world.c1.pk, "unit_type": "school", "joined_on": "2026-03-01"},
    )
    unit = CoBuildingUnit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cobuilding/units/{unit.pk}/"
    assert unit.organisation.kind == Organisation.Kind.CO_BUILDING_UNIT
    assert unit.community == world.c1 and unit.organisation.community == world.c1
    response = client.post(
        f"/cobuilding/units/{unit.pk}/edit/",
        {"name": "桂花第二中学", "unit_type": "school", "joined_on": "2026-03-01"},
    )
    assert response.status_code == 302
    unit.organisation.refresh_from_db()
    assert unit.organisation.name == "桂花第二中学"
    # Another community's staff: the unit does not exist for them, nor can they create one in c1.
    erin = client_for(world.erin)
    assert erin.get(f"/cobuilding/units/{unit.pk}/edit/").status_code == 404
    assert (
        erin.post(f"/cobuilding/units/{unit.pk}/edit/", {"name": "改名", "unit_type": "school"}).status_code
        == 404
    )
    response = erin.post(
        "/cobuilding/units/new/", {"name": "越界", "community": world.c1.pk, "unit_type": "school"}
    )
    assert response.status_code == 400 and CoBuildingUnit.objects.count() == 1
    # A grid leader may look, not write.
    assert client_for(world.bob).get(f"/cobuilding/units/{unit.pk}/edit/").status_code in (403, 404)


def test_agreement_pages_check_dates_and_projects(world, client_for, make_unit):
    unit = make_unit("桂花小学")
    ours, theirs = project(world, "楼道照明"), project(world, "银杏书屋", community=world.c2)
    client = client_for(world.alice)
    response = client.post(
        f"/cobuilding/units/{unit.pk}/agreements/new/",
        {"title": "校社共建协议", "signed_on": "2026-05-01", "ends_on": "2026-04-01", "projects": [ours.pk]},
    )
    assert response.status_code == 400
    assert "截止日期不能早于签订日期。" in response.content.decode()
    response = client.post(
        f"/cobuilding/units/{unit.pk}/agreements/new/",
        {"title": "校社共建协议", "signed_on": "2026-05-01", "projects": [theirs.pk]},
    )
    assert response.status_code == 400 and not Agreement.objects.exists()
    response = client.post(
        f"/cobuilding/units/{unit.pk}/agreements/new/",
        {"title": "校社共建协议", "signed_on": "2026-05-01", "projects": [ours.pk]},
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert list(agreement.projects.all()) == [ours]
    response = client.post(
        f"/cobuilding/agreements/{agreement.pk}/",
        {"title": "校社共建协议（续签）", "signed_on": "2026-05-01", "ends_on": "2027-05-01"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "校社共建协议（续签）" and not agreement.projects.exists()
    assert "校社共建协议（续签）" in client.get(f"/cobuilding/units/{unit.pk}/").content.decode()
    erin = client_for(world.erin)
    assert erin.get(f"/cobuilding/agreements/{agreement.pk}/").status_code == 404
    assert erin.get(f"/cobuilding/units/{unit.pk}/agreements/new/").status_code == 404


def test_reporting_members_are_in_service_members_of_the_community(world, client_for, make_unit):
    unit = make_unit("桂花小学")
    working = f.PartyMemberFactory(
        resident=f.ResidentFactory(name="钱晓东", home=world.h1),
        organisation=world.committee,
        in_service=True,
    )
    retired = f.PartyMemberFactory(
        resident=f.ResidentFactory(name="孙国华", home=world.h1),
        organisation=world.committee,
        in_service=False,
    )
    client = client_for(world.alice)
    page = client.get(f"/cobuilding/units/{unit.pk}/members/new/").content.decode()
    assert "钱晓东" in page and "孙国华" not in page
    response = client.post(
        f"/cobuilding/units/{unit.pk}/members/new/", {"member": retired.pk, "reported_on": "2026-06-01"}
    )
    assert response.status_code == 400 and not ReportedMember.objects.exists()
    response = client.post(
        f"/cobuilding/units/{unit.pk}/members/new/", {"member": working.pk, "reported_on": "2026-06-01"}
    )
    assert response.status_code == 302
    report = ReportedMember.objects.get()
    assert report.member == working and report.unit == unit
    # The member reports to one unit only: a second unit does not offer them.
    other = make_unit("桂花医院")
    assert "钱晓东" not in client.get(f"/cobuilding/units/{other.pk}/members/new/").content.decode()
    response = client.post(
        f"/cobuilding/members/{report.pk}/", {"member": working.pk, "reported_on": "2026-07-01"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reported_on == datetime.date(2026, 7, 1)
    assert client_for(world.erin).get(f"/cobuilding/members/{report.pk}/").status_code == 404


@pytest.mark.parametrize("n", [1, 12])
def test_edit_pages_queries_are_constant(world, client_for, make_unit, django_assert_num_queries, n):
    unit = make_unit("桂花小学")
    for i in range(n):
        project(world, f"项目{i}")
        f.PartyMemberFactory(
            resident=f.ResidentFactory(home=world.h1), organisation=world.committee, in_service=True
        )
    client = client_for(world.alice)
    # session, user, roles, the unit, the projects to choose from
    with django_assert_num_queries(5):
        assert client.get(f"/cobuilding/units/{unit.pk}/agreements/new/").status_code == 200
    # session, user, roles, the unit, the members to choose from
    with django_assert_num_queries(5):
        assert client.get(f"/cobuilding/units/{unit.pk}/members/new/").status_code == 200
    # session, user, roles, the unit, the party organisations to choose from
    with django_assert_num_queries(5):
        assert client.get(f"/cobuilding/units/{unit.pk}/edit/").status_code == 200
