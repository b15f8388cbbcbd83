"""The staff pages and the API: scoped (404 outside one's patch), constant queries at 1 and 50 rows,
and the need page confirms a match into a project."""

import datetime

import pytest

from cobuilding.models import Kind, Match, Need, Resource, UnitEvent
from cobuilding.services import match_confirm, need_save, unit_event_save
from projects.models import Project
from volunteers import services as vs

pytestmark = pytest.mark.django_db


def needs(world, n, community=None):
    Need.objects.bulk_create(
        Need(community=community or world.c1, title=f"需求{i}", kind=Kind.VENUE) for i in range(n)
    )


def resources(world, unit, n):
    Resource.objects.bulk_create(
        Resource(unit=unit, community=unit.community, title=f"资源{i}", kind=Kind.VENUE) for i in range(n)
    )


@pytest.mark.parametrize("n", [1, 50])
def test_need_list_queries_are_constant(world, client_for, django_assert_num_queries, n):
    needs(world, n)
    needs(world, 3, community=world.c2)
    client = client_for(world.alice)
    # session, user, role assignments, the form's communities (scope check, exists, options), paginator
    # count, the page
    with django_assert_num_queries(8):
        response = client.get("/cobuilding/needs/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [1, 50])
def test_resource_and_unit_lists_queries_are_constant(
    world, client_for, make_unit, django_assert_num_queries, n
):
    unit = make_unit()
    resources(world, unit, n)
    for i in range(n - 1):
        make_unit(f"单位{i}")
    client = client_for(world.alice)
    with django_assert_num_queries(7):
        response = client.get("/cobuilding/resources/")
    assert response.status_code == 200 and len(response.context["page"].object_list) == min(n, 20)
    with django_assert_num_queries(5):
        response = client.get("/cobuilding/units/")
    assert response.status_code == 200 and len(response.context["page"].object_list) == min(n, 20)


def test_pages_answer_404_outside_the_patch(world, client_for, make_unit):
    need = need_save(need=Need(community=world.c2, title="银杏需求", kind=Kind.VENUE), by=world.erin)
    unit = make_unit("银杏中学", community=world.c2)
    client = client_for(world.alice)
    assert client.get(f"/cobuilding/needs/{need.pk}/").status_code == 404
    assert client.get(f"/cobuilding/units/{unit.pk}/").status_code == 404
    assert "银杏需求" not in client.get("/cobuilding/needs/").content.decode()
    assert client_for(world.carol).get("/cobuilding/needs/").status_code == 403


def test_need_page_suggests_and_confirms(world, client_for, make_unit, make_resource):
    need = need_save(need=Need(community=world.c1, title="书法课场地", kind=Kind.VENUE), by=world.alice)
    room = make_resource(make_unit(), "多功能教室")
    client = client_for(world.alice)
    page = client.get(f"/cobuilding/needs/{need.pk}/").content.decode()
    assert "多功能教室" in page and "确认" in page
    response = client.post(f"/cobuilding/needs/{need.pk}/", {"resource": room.pk, "project": ""})
    assert response.status_code == 302
    match = Match.objects.get()
    assert match.project.name == "书法课场地"
    assert "书法课场地" in client.get(f"/cobuilding/units/{room.unit_id}/").content.decode()


def test_need_form_turns_petitions_into_a_need(world, client_for, submit):
    p1, p2 = submit(world), submit(world, building=world.b2)
    client = client_for(world.alice)
    response = client.post(
        "/cobuilding/needs/",
        {
            "community": world.c1.pk,
            "title": "楼道照明",
            "kind": "goods",
            "quantity": "10",
            "petition_codes": f"{p1.tracking_code.lower()}，{p2.tracking_code}",
        },
    )
    assert response.status_code == 302
    assert set(Need.objects.get().petitions.all()) == {p1, p2}
    bad = client.post(
        "/cobuilding/needs/",
        {"community": world.c1.pk, "title": "x", "kind": "goods", "quantity": "-1", "petition_codes": "NOPE"},
    )
    assert bad.status_code == 400
    assert Need.objects.count() == 1


def test_api_suggest_and_confirm(world, api, make_unit, make_resource):
    room = make_resource(make_unit(), "多功能教室")
    client = api(world.alice)
    created = client.post(
        "/api/v1/cobuilding/needs/",
        {"community": world.c1.pk, "title": "场地", "kind": "venue"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    suggested = client.get(f"/api/v1/cobuilding/needs/{pk}/suggestions/").json()
    assert [r["id"] for r in suggested] == [room.pk]
    confirmed = client.post(f"/api/v1/cobuilding/needs/{pk}/confirm/", {"resource": room.pk}, format="json")
    assert confirmed.status_code == 201
    assert Project.objects.filter(pk=confirmed.json()["project"], community=world.c1).exists()
    negative = client.post(
        "/api/v1/cobuilding/resources/",
        {"unit": room.unit_id, "title": "捐款", "kind": "money", "quantity": "-3"},
        format="json",
    )
    assert negative.status_code == 400
    assert negative.json()["quantity"] == ["数量不能小于零。"]
    # Another community's need does not exist for alice.
    other = need_save(need=Need(community=world.c2, title="银杏", kind=Kind.VENUE), by=world.erin)
    assert client.get(f"/api/v1/cobuilding/needs/{other.pk}/suggestions/").status_code == 404
    assert (
        client.post(f"/api/v1/cobuilding/needs/{other.pk}/confirm/", {"resource": room.pk}).status_code == 404
    )


@pytest.mark.parametrize("n", [1, 30])
def test_need_page_queries_are_constant(world, client_for, make_unit, django_assert_num_queries, n):
    need = need_save(need=Need(community=world.c1, title="场地", kind=Kind.VENUE), by=world.alice)
    for i in range(n):
        resources(world, make_unit(f"单位{i}"), 1)
    client = client_for(world.alice)
    # session, user, roles, the need, suggestions (ranked in one query), matches, petitions, projects
    with django_assert_num_queries(8):
        response = client.get(f"/cobuilding/needs/{need.pk}/")
    assert len(response.context["suggestions"]) == min(n, 20)


@pytest.mark.parametrize("n", [1, 20])
def test_unit_report_queries_are_constant(
    world, vw, client_for, make_unit, submit, django_assert_num_queries, n
):
    unit = make_unit()
    for i in range(n):
        need = need_save(need=Need(community=world.c1, title=f"需求{i}", kind=Kind.VENUE), by=world.alice)
        resources(world, unit, 1)
        match_confirm(need=need, resource=Resource.objects.latest("pk"), by=world.alice)
        held = vs.activity_create(
            team=vw.team,
            title=f"巡逻{i}",
            starts_at=vw.now - datetime.timedelta(hours=i + 3),
            ends_at=vw.now - datetime.timedelta(hours=i + 2),
            place="东门",
            capacity=5,
            recorded_afterwards=True,
            by=world.alice,
        )
        unit_event_save(event=UnitEvent(unit=unit, activity=held), by=world.alice)
    client = client_for(world.alice)
    # session, user, roles, the unit with its year's counts, agreements (+ their projects), projects, wishes,
    # events with their activities and teams
    with django_assert_num_queries(8):
        response = client.get(f"/cobuilding/units/{unit.pk}/report/")
    assert len(response.context["projects"]) == n and len(response.context["events"]) == n
