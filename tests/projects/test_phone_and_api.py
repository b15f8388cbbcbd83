"""The phone pages (the responsible person records a milestone) and /api/v1/projects/: scoped, with a
constant number of queries, in the OpenAPI schema."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from projects.models import Evidence, Milestone, Project
from tests import factories as f
from tests.helpers import result_ids

from .conftest import jpeg
from .test_pages import bulk

pytestmark = pytest.mark.django_db


def test_responsible_grid_leader_adds_a_photo_and_marks_done(world, client_for, make_project, media):
    project = make_project(milestones=[("选址", 2), ("建成3000个车位", 40)])
    first = project.milestones.order_by("due_on").first()
    client = client_for(world.bob)
    page = client.get("/dashboard/projects/")
    assert [p.name for p in page.context["page"]] == ["电动车集中充电停车"]
    assert client.get(f"/dashboard/projects/{project.pk}/").context["may_record"]
    response = client.post(f"/dashboard/milestones/{first.pk}/", {"photos": [jpeg()], "note": "选址现场"})
    assert response.status_code == 302 and response["Location"] == f"/dashboard/projects/{project.pk}/"
    assert Evidence.objects.filter(milestone=first, kind="photo", uploaded_by=world.bob).count() == 1
    assert Milestone.objects.get(pk=first.pk).done_on is None
    client.post(f"/dashboard/milestones/{first.pk}/", {"mark_done": "on"})
    assert Milestone.objects.get(pk=first.pk).done_on is not None
    assert Project.objects.with_progress().get().progress == 50
    # The photo opens for him, and the page shows it.
    photo = Evidence.objects.get()
    assert client.get(f"/projects/evidence/{photo.pk}/").status_code == 200
    assert (
        f"/projects/evidence/{photo.pk}/" in client.get(f"/dashboard/projects/{project.pk}/").content.decode()
    )


def test_phone_refusals_are_shown_and_change_nothing(world, client_for, make_project, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = make_project(milestones=[("选址", 2)])
    milestone = project.milestones.get()
    client = client_for(world.bob)
    response = client.post(
        f"/dashboard/milestones/{milestone.pk}/",
        {"photos": [SimpleUploadedFile("x.jpg", b"nope")], "mark_done": "on"},
        follow=True,
    )
    assert "无法识别该文件，请上传照片。" in response.content.decode()
    response = client.post(f"/dashboard/milestones/{milestone.pk}/", {"mark_done": "on"}, follow=True)
    assert "请添加照片、附件或说明" in response.content.decode()
    assert Milestone.objects.get().done_on is None and not Evidence.objects.exists()
    # Another grid leader of the same community sees nothing of it; a party member neither.
    for other in (world.dave, world.pete):
        assert client_for(other).get(f"/dashboard/projects/{project.pk}/").status_code == 404
        assert (
            client_for(other).post(f"/dashboard/milestones/{milestone.pk}/", {"note": "x"}).status_code == 404
        )


@pytest.mark.parametrize("n", [1, 50])
def test_phone_list_queries_are_constant(world, client_for, django_assert_num_queries, n):
    bulk(world, n)
    client = client_for(world.bob)
    # 1 session, 2 user, 3 count, 4 the page, 5 scope (the footer), 6 unread notifications (the bell).
    with django_assert_num_queries(6):
        response = client.get("/dashboard/projects/")
    assert len(response.context["page"].object_list) == min(n, 20)


@pytest.mark.parametrize("n", [1, 50])
def test_api_list_queries_are_constant(world, api, django_assert_num_queries, n):
    bulk(world, n)
    client = api(world.alice)
    # 1 role assignments (scope), 2 count, 3 the page with progress counts and joins.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/projects/")
    assert response.status_code == 200 and response.json()["count"] == n
    row = response.json()["results"][0]
    assert (row["progress"], row["milestone_total"], row["overdue_count"]) == (0, 2, 1)


def test_api_is_scoped(world, api, make_project):
    mine = make_project(milestones=[("选址", 2)])
    theirs = make_project(
        organisation=f.PartyOrganisationFactory(community=world.c2), responsible=None, by=world.erin
    )
    assert result_ids(api(world.alice).get("/api/v1/projects/")) == {mine.pk}
    assert result_ids(api(world.sam).get("/api/v1/projects/")) == {mine.pk, theirs.pk}
    assert result_ids(api(world.bob).get("/api/v1/projects/")) == {mine.pk}  # responsible for it
    assert result_ids(api(world.dave).get("/api/v1/projects/")) == set()
    assert api(world.erin).get(f"/api/v1/projects/{mine.pk}/").status_code == 404
    detail = api(world.alice).get(f"/api/v1/projects/{mine.pk}/").json()
    assert [(m["title"], m["is_overdue"]) for m in detail["milestones"]] == [("选址", True)]
    assert result_ids(api(world.sam).get(f"/api/v1/projects/?community={world.c2.pk}")) == {theirs.pk}
    assert result_ids(api(world.alice).get("/api/v1/projects/?overdue=true")) == {mine.pk}
    assert api(world.alice).post("/api/v1/projects/", {}).status_code == 405


def test_api_schema_has_the_projects_without_warnings():
    GENERATOR_STATS.reset()
    GENERATOR_STATS.enable_trace_lineno()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    assert messages == []
    assert {"/api/v1/projects/", "/api/v1/projects/{id}/"} <= schema["paths"].keys()
    assert {"ProjectKindEnum", "ProjectStatusEnum"} <= schema["components"]["schemas"].keys()
