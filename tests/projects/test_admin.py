"""The ledger in the admin: scoped, written through the services, refusals shown on the form."""

import datetime

import pytest
from django.urls import reverse

from projects.models import Milestone, Project
from tests import factories as f

from .conftest import start_day

pytestmark = pytest.mark.django_db

INLINE = {
    "milestones-TOTAL_FORMS": "0",
    "milestones-INITIAL_FORMS": "0",
    "milestones-MIN_NUM_FORMS": "0",
    "milestones-MAX_NUM_FORMS": "1000",
}


def _data(world, **kw):
    start = start_day()
    data = {
        "name": "党群服务阵地改造",
        "kind": "position",
        "organisation": str(world.committee.pk),
        "responsible": str(world.bob.pk),
        "starts_on": start.isoformat(),
        "due_on": (start + datetime.timedelta(days=30)).isoformat(),
        "budget": "50000",
        **INLINE,
    }
    data.update(kw)
    return data


def test_staff_create_a_project_and_its_milestone_in_the_admin(world, client_for):
    client = client_for(world.alice)
    response = client.post(reverse("admin:projects_project_add"), _data(world))
    assert response.status_code == 302, response.context["adminform"].form.errors
    project = Project.objects.get()
    assert (project.community, project.status, project.created_by) == (world.c1, "planned", world.alice)
    early = (start_day() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("admin:projects_milestone_add"),
        {
            "project": str(project.pk),
            "title": "提前的节点",
            "due_on": early,
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "不能早于项目开始" in " ".join(response.context["adminform"].form.errors["due_on"])
    assert not Milestone.objects.exists()


def test_bad_dates_are_refused_on_the_form(world, client_for):
    client = client_for(world.alice)
    response = client.post(
        reverse("admin:projects_project_add"),
        _data(world, due_on=(start_day() - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    assert "不能早于开始日期" in " ".join(response.context["adminform"].form.errors["due_on"])
    assert not Project.objects.exists()


def test_status_change_in_the_admin_follows_the_rules(world, client_for, make_project):
    project = make_project(milestones=[("选址", 3)])
    client = client_for(world.alice)
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = _data(world, status="done", name=project.name)
    response = client.post(url, data)
    assert response.status_code == 200
    assert Project.objects.get().status == "planned"
    response = client.post(url, _data(world, status="in_progress", name=project.name))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Project.objects.get().status == "in_progress"


def test_admin_lists_are_scoped_and_officials_read_only(world, client_for, make_project):
    mine = make_project()
    theirs = make_project(
        organisation=f.PartyOrganisationFactory(community=world.c2), responsible=None, by=world.erin
    )
    listed = set(client_for(world.alice).get("/admin/projects/project/").context["cl"].result_list)
    assert listed == {mine}
    response = client_for(world.alice).get(reverse("admin:projects_project_change", args=[theirs.pk]))
    assert response.status_code == 302
    street = client_for(world.sam)
    assert set(street.get("/admin/projects/project/").context["cl"].result_list) == {mine, theirs}
    assert (
        street.post(reverse("admin:projects_project_change", args=[mine.pk]), _data(world)).status_code == 403
    )
