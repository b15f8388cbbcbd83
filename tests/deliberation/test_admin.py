"""The admin writes through the services (a refusal is a form error) and shows each user only their patch."""

import pytest

from deliberation.models import Meeting, Topic

pytestmark = pytest.mark.django_db


def test_staff_add_a_topic_and_a_meeting_in_the_admin(world, topic, client_for, submit):
    p = submit(world)
    c = client_for(world.alice)
    response = c.post(
        "/admin/deliberation/topic/add/",
        {"community": world.c1.pk, "area": world.area1.pk, "title": "加装电梯", "petitions": [p.pk]},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = Topic.objects.get(title="加装电梯")
    assert list(new.petitions.all()) == [p] and p.events.filter(action="deliberate").exists()
    # An area of another community is refused by the service, shown on the field.
    response = c.post(
        "/admin/deliberation/topic/add/", {"community": world.c1.pk, "area": world.area2.pk, "title": "停车"}
    )
    assert response.status_code == 200 and not Topic.objects.filter(title="停车").exists()
    response = c.post(
        "/admin/deliberation/meeting/add/",
        {
            "community": world.c1.pk,
            "kind": "small_stool",
            "title": "楼下恳谈",
            "starts_at_0": "2026-12-05",
            "starts_at_1": "19:00",
            "place": "院子",
            "host": world.bob.pk,
            "topics": [topic.pk],
            "invited": '["resident_reps"]',
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Meeting.objects.get().topics.all()) == [topic]


def test_another_community_sees_nothing_in_the_admin(world, topic, meeting, client_for):
    c = client_for(world.erin)
    assert "电动车停放" not in c.get("/admin/deliberation/topic/").content.decode()
    assert c.get(f"/admin/deliberation/topic/{topic.pk}/change/").status_code == 302  # "doesn't exist"
    assert c.get(f"/admin/deliberation/meeting/{meeting.pk}/change/").status_code == 302
    assert client_for(world.alice).get(f"/admin/deliberation/topic/{topic.pk}/change/").status_code == 200
