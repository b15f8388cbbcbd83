import datetime

import pytest
from django.utils import timezone

from deliberation import services as s
from deliberation.models import Meeting, Topic


@pytest.fixture
def topic(world):
    """A topic of community c1, area 桂花苑, just created by alice."""
    return s.topic_save(
        topic=Topic(community=world.c1, area=world.area1, title="电动车停放", description="车棚不够"),
        by=world.alice,
    )


@pytest.fixture
def meeting(world, topic):
    """A red-hall meeting of c1 starting now, hosted by bob (grid leader), the topic on its agenda."""
    return s.meeting_save(
        meeting=Meeting(
            community=world.c1,
            kind=Meeting.Kind.RED_HALL,
            title="电动车停放议事",
            starts_at=timezone.now(),
            place="3栋前院子",
            host=world.bob,
            invited=["party_members", "property_company"],
        ),
        topics=[topic],
        by=world.alice,
    )


def through_vote(topic, by, *, entitled=20, present=12, votes=(9, 2, 1)):
    """Take a topic from its creation through the vote."""
    s.topic_open_call(
        topic=topic, question="车棚建在哪里？", deadline=timezone.now() + datetime.timedelta(days=7), by=by
    )
    s.topic_propose(topic=topic, proposal="在3栋北侧建车棚", options=[], by=by)
    s.topic_deliberate(topic=topic, opinion="同意，费用由物业承担", by=by)
    option = topic.options.get()
    s.topic_vote(topic=topic, entitled=entitled, present=present, counts={option.pk: votes}, by=by)
    return topic


# Fixtures reused from elsewhere: a request's category and a public submission, the browser login.
from tests.e2e.conftest import login_page  # noqa: E402, F401
from tests.petitions.conftest import category, submit  # noqa: E402, F401
