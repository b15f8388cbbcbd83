"""Every new list page and API list runs the same number of queries at 1 and at 50 rows."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from deliberation.models import Answer, Attendance, Meeting, ResolutionTask, Stage, Topic, TopicOption

pytestmark = pytest.mark.django_db


def make_rows(world, n):
    now = timezone.now()
    topics = Topic.objects.bulk_create(
        Topic(
            community=world.c1,
            area=world.area1,
            title=f"议题{i}",
            stage=Stage.RESULT_PUBLISHED,
            resolution=f"决议{i}",
            resolution_published_at=now,
            result="已完成",
            result_published_at=now,
            call_token=f"tok{i:04d}",
        )
        for i in range(n)
    )
    TopicOption.objects.bulk_create(
        TopicOption(topic=t, text="同意", votes_for=9, passed=True) for t in topics
    )
    Answer.objects.bulk_create(Answer(topic=t, text="好") for t in topics)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            community=world.c1,
            title=f"会议{i}",
            starts_at=now,
            place="院子",
            host=world.bob,
            attendance_token=f"att{i:04d}",
        )
        for i in range(n)
    )
    for t, m in zip(topics, meetings, strict=True):
        m.topics.add(t)
    Topic.objects.filter(pk__in=[t.pk for t in topics]).update(vote_meeting=meetings[0])
    Attendance.objects.bulk_create(
        Attendance(meeting=m, name="张", phone_last4="5678", method="qr") for m in meetings
    )
    ResolutionTask.objects.bulk_create(
        ResolutionTask(topic=t, title="落实", owner=world.bob, deadline=now + datetime.timedelta(days=1))
        for t in topics
    )
    return topics


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # 4 of the frame (session, user, scope assignments, unread bell), then count and the page (topics
        # with community, area and answer count)
        ("/deliberation/topics/", 6),
        # frame (4), count, the page of meetings with community, host and attendance count
        ("/deliberation/meetings/", 6),
        # frame (4), count, the page of tasks with topic and owner
        ("/deliberation/tasks/", 6),
    ],
)
def test_staff_lists(world, client_for, django_assert_num_queries, n, url, queries):
    make_rows(world, n)
    c = client_for(world.alice)
    with django_assert_num_queries(queries):
        response = c.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)


@pytest.mark.parametrize("n", [1, 50])
def test_public_disclosures(world, client, django_assert_num_queries, n):
    make_rows(world, n)
    # the area, count, the page (with the voting meeting), its options
    with django_assert_num_queries(4):
        response = client.get(f"/deliberation/public/areas/{world.area1.pk}/")
    assert len(response.context["page"].object_list) == min(n, 20)


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # scope, count, page with answer count, options, petitions
        ("/api/v1/deliberation/topics/", 5),
        # scope, count, page with host and attendance count, agenda topics
        ("/api/v1/deliberation/meetings/", 4),
        # scope, count, page with owner
        ("/api/v1/deliberation/tasks/", 3),
    ],
)
def test_api_lists(world, api, django_assert_num_queries, n, url, queries):
    make_rows(world, n)
    client = api(User.objects.get(pk=world.alice.pk))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(n, 25)
