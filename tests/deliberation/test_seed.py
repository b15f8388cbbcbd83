"""seed_deliberation after seed_demo and seed_projects: the demo community's e-bike topic reaches a
published resolution voted at a meeting with attendance, carried out by the demo e-bike project; a second
run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from deliberation.management.commands.seed_deliberation import TITLE
from deliberation.models import Answer, Attendance, Meeting, Stage, Topic, TopicStep
from projects.models import Project

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Topic, TopicStep, Answer, Meeting, Attendance, Project)]


def test_seed_deliberation_is_idempotent_and_links_the_ebike_project(client):
    call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    call_command("seed_projects", stdout=StringIO())
    call_command("seed_deliberation", stdout=StringIO())
    first = counts()
    out = StringIO()
    call_command("seed_deliberation", stdout=out)
    assert counts() == first and "nothing to do" in out.getvalue()

    topic = Topic.objects.get(title=TITLE)
    assert topic.stage == Stage.RESOLUTION_PUBLISHED and topic.outcome == Topic.Outcome.PASSED
    assert topic.steps.count() == 5 and topic.answers.count() == 3
    assert topic.project.name == "电动车集中停放充电设施建设"
    assert Project.objects.filter(name="电动车集中停放充电设施建设").count() == 1
    meeting = topic.vote_meeting
    assert meeting.attendances.count() >= 3 and not meeting.minutes_internal
    # The public page of the area shows the published resolution.
    page = client.get(f"/deliberation/public/areas/{topic.area_id}/").content.decode()
    assert "三处空地" in page


def test_without_the_ledger_the_seed_opens_the_project(client):
    call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    call_command("seed_deliberation", stdout=StringIO())
    topic = Topic.objects.get(title=TITLE)
    assert topic.project.name == TITLE and topic.project.responsible.username.endswith("gridleader")
