"""Staff edit a topic, a meeting and their community's voting rule on the staff pages, through the
services: scoped (another community's answer 404), bad input refused with a message and nothing changed."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from deliberation import services as s
from deliberation.models import Topic, VotingRule
from petitions.models import PetitionEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_staff_edit_a_topic_and_link_more_requests(world, topic, client_for, submit):
    p = submit(world)
    c = client_for(world.alice)
    url = f"/deliberation/topics/{topic.pk}/edit/"
    assert "编辑议题" in c.get(url).content.decode()
    data = {
        "area": world.area1.pk,
        "title": "电动车集中停放",
        "description": "三处车棚",
        "petition_codes": "",
    }
    response = c.post(url, {**data, "petition_codes": "NOPE-0000"})
    assert response.status_code == 200 and "errors" in response.content.decode()
    topic.refresh_from_db()
    assert topic.title == "电动车停放"
    c.post(url, {**data, "petition_codes": p.tracking_code, "community": world.c2.pk})
    topic.refresh_from_db()
    assert (topic.title, topic.description, topic.community_id) == ("电动车集中停放", "三处车棚", world.c1.pk)
    assert list(topic.petitions.all()) == [p]
    assert PetitionEvent.objects.filter(petition=p, action="deliberate", data__topic=topic.pk).count() == 1
    # Blank title: refused, nothing changed.
    response = c.post(url, {**data, "title": " "})
    topic.refresh_from_db()
    assert topic.title == "电动车集中停放" and "errors" in response.content.decode()


def test_topic_and_meeting_edit_pages_are_the_community_staffs(world, topic, meeting, client_for):
    for user in (world.erin, world.bob, world.sam):
        c = client_for(user)
        assert c.get(f"/deliberation/topics/{topic.pk}/edit/").status_code == 404
        assert c.post(f"/deliberation/meetings/{meeting.pk}/edit/", {"title": "x"}).status_code == 404
        assert c.get(f"/deliberation/communities/{world.c1.pk}/voting-rule/").status_code == 404
    meeting.refresh_from_db()
    assert meeting.title == "电动车停放议事"


def test_staff_edit_a_meeting_and_another_communitys_topic_is_refused(world, topic, meeting, client_for):
    other = s.topic_save(topic=Topic(community=world.c2, title="银杏议题"), by=world.erin)
    url = f"/deliberation/meetings/{meeting.pk}/edit/"
    data = {
        "kind": "small_stool",
        "title": "车棚恳谈",
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "place": "5栋院子",
        "host": world.dave.pk,
        "topics": [topic.pk],
        "invited": ["grid_leaders", "owners_committee"],
    }
    c = client_for(world.alice)
    assert "编辑会议" in c.get(url).content.decode()
    # alice is not staff of c2: its topic is no choice at all.
    response = c.post(url, {**data, "topics": [topic.pk, other.pk]})
    assert response.status_code == 200 and "errors" in response.content.decode()
    # Staff of both communities: the service refuses the other community's topic.
    both = f.UserFactory(username="both", is_staff=True)
    f.assign(both, Role.COMMUNITY_STAFF, world.c1)
    f.assign(both, Role.COMMUNITY_STAFF, world.c2)
    response = client_for(both).post(url, {**data, "topics": [topic.pk, other.pk]})
    assert "是其他社区的议题" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.title, list(meeting.topics.all())) == ("电动车停放议事", [topic])
    response = c.post(url, {**data, "place": ""})
    assert "errors" in response.content.decode()
    c.post(url, data)
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.title, meeting.place, meeting.host) == (
        "small_stool",
        "车棚恳谈",
        "5栋院子",
        world.dave,
    )
    assert meeting.invited == ["grid_leaders", "owners_committee"]


def test_staff_set_the_voting_rule_and_bad_percentages_are_refused(world, client_for):
    c = client_for(world.alice)
    url = f"/deliberation/communities/{world.c1.pk}/voting-rule/"
    assert "表决规则" in c.get(url).content.decode()
    for bad in (
        {"quorum_percent": 0, "majority_percent": 50},
        {"quorum_percent": 60, "majority_percent": 100},
    ):
        response = c.post(url, bad)
        assert response.status_code == 200 and "errors" in response.content.decode()
    assert not VotingRule.objects.exists()
    c.post(url, {"quorum_percent": 67, "majority_percent": 66})
    rule = VotingRule.objects.get(community=world.c1)
    assert (rule.quorum_percent, rule.majority_percent) == (67, 66)
    assert s.rule_for(world.c1.pk) == (67, 66)
    c.post(url, {"quorum_percent": 50, "majority_percent": 50})
    assert VotingRule.objects.count() == 1
    assert client_for(world.erin).post(url, {"quorum_percent": 10, "majority_percent": 10}).status_code == 404
    assert VotingRule.objects.get().quorum_percent == 50
