"""seed_projects after seed_demo: the demo community's ledger has its projects, the demo grid leader's
phone the e-bike project, the public page the published ones; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from projects.models import Evidence, Milestone, Project, ProjectReminder

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Project, Milestone, Evidence, ProjectReminder)]


def test_seed_projects_is_idempotent_and_shows_everywhere(client):
    call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    call_command("seed_projects", stdout=StringIO())
    first = counts()
    assert first[0] >= 4
    out = StringIO()
    call_command("seed_projects", stdout=out)
    assert counts() == first and "nothing to do" in out.getvalue()

    ebike = Project.objects.with_progress().get(name="电动车集中停放充电设施建设")
    assert (ebike.status, ebike.milestone_done, ebike.milestone_total, ebike.progress) == (
        "in_progress",
        3,
        4,
        75,
    )
    assert ebike.milestones.order_by("due_on").last().title == "车位累计达到3000个并验收"
    assert Project.objects.with_overdue_milestones().filter(kind="alliance").exists()
    assert Project.objects.filter(status="done").exists()

    leader = User.objects.get(username="t_gridleader")
    client.force_login(leader)
    assert ebike in client.get("/dashboard/projects/").context["page"].object_list
    client.force_login(User.objects.get(username="t_street"))
    assert client.get("/projects/").context["page"].paginator.count == Project.objects.count()
    client.logout()
    public = client.get(f"/communities/{ebike.community_id}/projects/").content.decode()
    assert "电动车集中停放充电设施建设" in public and "3000" in public and "党群服务站阵地提升" not in public
