"""Another community's topics, meetings and tasks answer 404 on every URL and API endpoint, and lists
leave them out; a host sees the meetings they host, nothing else of the community."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deliberation import services as s
from deliberation.models import Attendance, Meeting, MeetingFile, ResolutionTask, Stage, Topic

from .conftest import through_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def c1(world, topic, meeting, settings, tmp_path):
    """A c1 topic with a published resolution and a task, and its meeting with a file."""
    settings.MEDIA_ROOT = tmp_path
    through_vote(topic, world.alice)
    s.topic_publish_resolution(topic=topic, resolution="建车棚", by=world.alice)
    task = s.task_save(
        task=ResolutionTask(
            topic=topic, title="选址", owner=world.dave, deadline=timezone.now() + datetime.timedelta(days=3)
        ),
        by=world.alice,
    )
    item = s.meeting_file_add(meeting=meeting, upload=SimpleUploadedFile("a.pdf", b"%PDF"), by=world.alice)
    return {"topic": topic, "meeting": meeting, "task": task, "file": item}


def urls(o):
    t, m, k, f = o["topic"].pk, o["meeting"].pk, o["task"].pk, o["file"].pk
    return [
        ("get", f"/deliberation/topics/{t}/"),
        ("post", f"/deliberation/topics/{t}/step/result_published/"),
        ("post", f"/deliberation/topics/{t}/tasks/"),
        ("post", f"/deliberation/tasks/{k}/done/"),
        ("get", f"/deliberation/meetings/{m}/"),
        ("get", f"/deliberation/meetings/{m}/qr/"),
        ("post", f"/deliberation/meetings/{m}/tick/"),
        ("post", f"/deliberation/meetings/{m}/minutes/"),
        ("post", f"/deliberation/meetings/{m}/files/"),
        ("get", f"/deliberation/meetings/{m}/files/{f}/"),
        ("get", f"/deliberation/meetings/{m}/topics/{t}/vote/"),
        ("post", f"/deliberation/meetings/{m}/topics/{t}/vote/"),
    ]


def api_urls(o):
    t, m, k = o["topic"].pk, o["meeting"].pk, o["task"].pk
    return [
        ("get", f"/api/v1/deliberation/topics/{t}/"),
        ("post", f"/api/v1/deliberation/topics/{t}/step/"),
        ("get", f"/api/v1/deliberation/meetings/{m}/"),
        ("post", f"/api/v1/deliberation/meetings/{m}/attendance/"),
        ("get", f"/api/v1/deliberation/tasks/{k}/"),
    ]


DATA = {"name": "张三", "result": "完成", "stage": "result_published", "note": "好"}


@pytest.mark.parametrize("who", ["erin", "gwen", "pete", "carol"])
def test_another_patch_gets_404_on_every_url_and_endpoint(world, c1, client_for, api, who):
    user = getattr(world, who)
    c = client_for(user)
    for method, url in urls(c1):
        assert getattr(c, method)(url, DATA).status_code == 404, url
    client = api(user)
    for method, url in api_urls(c1):
        assert getattr(client, method)(url, DATA, format="json").status_code == 404, url
    for url in ["/deliberation/topics/", "/deliberation/meetings/", "/deliberation/tasks/"]:
        assert len(c.get(url).context["page"].object_list) == 0, url
    for url in [
        "/api/v1/deliberation/topics/",
        "/api/v1/deliberation/meetings/",
        "/api/v1/deliberation/tasks/",
    ]:
        assert client.get(url).json()["results"] == [], url
    if who != "erin":  # erin is staff of c2, where she may create
        assert c.get("/deliberation/topics/new/").status_code == 404
        assert c.get("/deliberation/meetings/new/").status_code == 404
    # Nothing changed.
    assert Topic.objects.get(pk=c1["topic"].pk).stage == Stage.RESOLUTION_PUBLISHED
    assert not Attendance.objects.exists() and MeetingFile.objects.count() == 1
    assert ResolutionTask.objects.get().done_at is None


def test_the_host_sees_the_meeting_and_its_agenda_and_the_owner_their_task(world, c1, client_for, api):
    bob = client_for(world.bob)
    assert bob.get(f"/deliberation/meetings/{c1['meeting'].pk}/qr/").status_code == 200
    assert bob.get(f"/deliberation/topics/{c1['topic'].pk}/").status_code == 200
    # Hosting gives no staff rights on the topic.
    bob.post(f"/deliberation/topics/{c1['topic'].pk}/step/result_published/", {"result": "完成"})
    assert Topic.objects.get(pk=c1["topic"].pk).stage == Stage.RESOLUTION_PUBLISHED
    dave = client_for(world.dave)  # the task's owner, no meeting
    assert dave.get(f"/deliberation/meetings/{c1['meeting'].pk}/").status_code == 404
    assert dave.get(f"/deliberation/topics/{c1['topic'].pk}/").status_code == 200
    dave.post(f"/deliberation/tasks/{c1['task'].pk}/done/", {"note": "选好了"})
    assert ResolutionTask.objects.get().done_at is not None


def test_a_meeting_in_another_community_is_refused(world, topic, client_for):
    c = client_for(world.erin)
    response = c.post(
        "/deliberation/meetings/new/",
        {
            "community": world.c2.pk,
            "kind": "small_stool",
            "title": "恳谈",
            "starts_at": "2026-12-05T19:00",
            "place": "院子",
            "host": world.erin.pk,
            "topics": [topic.pk],  # a c1 topic
        },
    )
    assert response.status_code == 200 and "errors" in response.content.decode()
    assert not Meeting.objects.exists()
