"""The API takes the same steps as the pages, through the same services and input mapping."""

import pytest
from django.utils import timezone

from accounts.models import User
from deliberation.models import Stage, Topic

pytestmark = pytest.mark.django_db


def test_the_workflow_through_the_api(world, topic, meeting, api):
    client = api(User.objects.get(pk=world.alice.pk))
    url = f"/api/v1/deliberation/topics/{topic.pk}/step/"
    refused = client.post(url, {"stage": "voted", "entitled": 20, "present": 10}, format="json")
    assert refused.status_code == 400 and "顺序不对" in refused.json()["detail"]
    deadline = (timezone.now() + timezone.timedelta(days=2)).isoformat()
    assert (
        client.post(
            url, {"stage": "soliciting", "question": "建在哪？", "deadline": deadline}, format="json"
        ).status_code
        == 200
    )
    client.post(url, {"stage": "proposed", "proposal": "建车棚", "options": ["北侧", "南侧"]}, format="json")
    client.post(url, {"stage": "deliberated", "opinion": "同意"}, format="json")
    north, south = Topic.objects.get(pk=topic.pk).options.all()
    host = api(User.objects.get(pk=world.bob.pk))  # the host records the count for his meeting
    counts = [
        {"option": north.pk, "votes_for": 6, "against": 4, "abstain": 0},
        {"option": south.pk, "votes_for": 5, "against": 5, "abstain": 0},
    ]
    too_many = [{**counts[0], "votes_for": 11}, counts[1]]
    bad = host.post(
        url,
        {"stage": "voted", "entitled": 20, "present": 10, "meeting": meeting.pk, "counts": too_many},
        format="json",
    )
    assert bad.status_code == 400 and Topic.objects.get(pk=topic.pk).stage == Stage.DELIBERATED
    response = host.post(
        url,
        {"stage": "voted", "entitled": 20, "present": 10, "meeting": meeting.pk, "counts": counts},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "passed" and [o["passed"] for o in body["options"]] == [
        True,
        False,
    ]  # a tie fails
    assert body["stage"] == "voted" and body["vote_meeting"] == meeting.pk


def test_the_host_ticks_someone_present_once_through_the_api(world, meeting, api):
    host = api(User.objects.get(pk=world.bob.pk))
    url = f"/api/v1/deliberation/meetings/{meeting.pk}/attendance/"
    first = host.post(url, {"name": "王大爷"}, format="json")
    second = host.post(url, {"name": "王大爷"}, format="json")
    assert first.status_code == second.status_code == 201 and first.json()["id"] == second.json()["id"]
    listed = host.get("/api/v1/deliberation/meetings/").json()["results"]
    assert [(m["id"], m["attendance_count"]) for m in listed] == [(meeting.pk, 1)]
    assert api(User.objects.get(pk=world.dave.pk)).post(url, {"name": "李"}, format="json").status_code == 404
