"""一征三议两公开: every step in order succeeds, dated with who took it; every step out of order is refused;
the vote result is computed at the boundaries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from deliberation import services as s
from deliberation.models import STAGE_ORDER, Stage, Topic

from .conftest import through_vote

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=7)


def step_kwargs(topic):
    """Valid arguments for each step of this topic (the vote's counts need its options, once proposed)."""
    option_ids = list(topic.options.values_list("pk", flat=True))
    return {
        Stage.SOLICITING: {"question": "车棚建在哪里？", "deadline": timezone.now() + LATER},
        Stage.PROPOSED: {"proposal": "在3栋北侧建车棚", "options": ["北侧", "南侧"]},
        Stage.DELIBERATED: {"opinion": "同意"},
        Stage.VOTED: {"entitled": 20, "present": 12, "counts": {pk: (9, 2, 1) for pk in option_ids}},
        Stage.RESOLUTION_PUBLISHED: {"resolution": "在3栋北侧建车棚"},
        Stage.RESULT_PUBLISHED: {"result": "新增车位300个"},
    }


def test_every_step_in_order_succeeds_dated_with_who(world, topic):
    for stage in STAGE_ORDER[1:]:
        s.topic_step(topic=topic, stage=stage, by=world.alice, **step_kwargs(topic)[stage])
        topic.refresh_from_db()
        assert topic.stage == stage
    steps = list(topic.steps.values_list("stage", "by__username"))
    assert steps == [(stage, "alice") for stage in STAGE_ORDER[1:]]
    assert all(step.at for step in topic.steps.all())
    assert topic.outcome == Topic.Outcome.PASSED
    assert topic.resolution_published_at and topic.result_published_at


@pytest.mark.parametrize("reached", range(len(STAGE_ORDER)))
def test_every_step_out_of_order_is_refused(world, topic, reached):
    """At each stage, every step but the next one is refused and changes nothing."""
    for stage in STAGE_ORDER[1 : reached + 1]:
        s.topic_step(topic=topic, stage=stage, by=world.alice, **step_kwargs(topic)[stage])
    topic.refresh_from_db()
    for stage in STAGE_ORDER[1:]:
        if stage == topic.next_stage:
            continue
        with pytest.raises(s.DeliberationError, match="(?i)顺序|out of order"):
            s.topic_step(topic=topic, stage=stage, by=world.alice, **step_kwargs(topic)[stage])
        fresh = Topic.objects.get(pk=topic.pk)
        assert fresh.stage == STAGE_ORDER[reached]
        assert fresh.steps.count() == reached


def test_a_step_by_someone_outside_the_community_is_refused(world, topic):
    with pytest.raises(PermissionDenied):
        s.topic_open_call(topic=topic, question="？", deadline=timezone.now() + LATER, by=world.erin)
    assert Topic.objects.get(pk=topic.pk).stage == Stage.DRAFT


@pytest.mark.parametrize(
    ("entitled", "present", "votes_for", "quorum", "passed"),
    [
        (20, 10, 6, True, True),  # exactly half present: quorum
        (20, 9, 9, False, False),  # one short of half: no quorum, however many are for
        (21, 10, 10, False, False),  # half of 21 is 10.5: ten is short
        (20, 10, 5, True, False),  # a tie: five of ten is not more than half
        (20, 11, 6, True, True),  # six of eleven is more than half
    ],
)
def test_quorum_and_majority_at_the_boundaries(world, topic, entitled, present, votes_for, quorum, passed):
    through_vote(
        topic, world.alice, entitled=entitled, present=present, votes=(votes_for, present - votes_for, 0)
    )
    topic.refresh_from_db()
    expected = (
        Topic.Outcome.PASSED if passed else Topic.Outcome.REJECTED if quorum else Topic.Outcome.NO_QUORUM
    )
    assert topic.outcome == expected
    assert topic.options.get().passed is passed
    assert (topic.quorum_percent, topic.majority_percent) == (50, 50)


def test_a_community_sets_its_own_rule(world, topic):
    from deliberation.models import VotingRule

    s.voting_rule_save(
        rule=VotingRule(community=world.c1, quorum_percent=67, majority_percent=66), by=world.alice
    )
    through_vote(topic, world.alice, entitled=30, present=20, votes=(14, 6, 0))  # 20/30 < 67%
    topic.refresh_from_db()
    assert topic.outcome == Topic.Outcome.NO_QUORUM


def test_more_votes_than_present_or_present_than_entitled_is_refused(world, topic):
    with pytest.raises(s.DeliberationError, match="(?i)多于|more"):
        through_vote(topic, world.alice, entitled=20, present=10, votes=(8, 3, 0))
    topic.refresh_from_db()
    assert topic.stage == Stage.DELIBERATED and topic.options.get().votes_for is None
    option = topic.options.get()
    with pytest.raises(s.DeliberationError, match="(?i)超过|多于|more"):
        s.topic_vote(topic=topic, entitled=10, present=11, counts={option.pk: (1, 0, 0)}, by=world.alice)
    assert Topic.objects.get(pk=topic.pk).stage == Stage.DELIBERATED


def test_a_vote_that_failed_publishes_no_resolution(world, topic):
    through_vote(topic, world.alice, entitled=20, present=10, votes=(5, 5, 0))
    with pytest.raises(s.DeliberationError):
        s.topic_publish_resolution(topic=topic, resolution="建车棚", by=world.alice)
    assert Topic.objects.get(pk=topic.pk).stage == Stage.VOTED


def test_the_host_records_the_vote_of_a_topic_on_the_agenda(world, topic, meeting):
    s.topic_open_call(topic=topic, question="？", deadline=timezone.now() + LATER, by=world.alice)
    s.topic_propose(topic=topic, proposal="建车棚", options=[], by=world.alice)
    s.topic_deliberate(topic=topic, opinion="同意", by=world.alice)
    option = topic.options.get()
    with pytest.raises(PermissionDenied):  # without the meeting, the host is not staff
        s.topic_vote(topic=topic, entitled=20, present=12, counts={option.pk: (9, 2, 1)}, by=world.bob)
    s.topic_vote(
        topic=topic, entitled=20, present=12, counts={option.pk: (9, 2, 1)}, by=world.bob, meeting=meeting
    )
    topic.refresh_from_db()
    assert topic.outcome == Topic.Outcome.PASSED and topic.vote_meeting == meeting
    assert topic.steps.get(stage=Stage.VOTED).by == world.bob


def test_answers_are_counted_until_the_deadline(world, topic):
    s.topic_open_call(topic=topic, question="？", deadline=timezone.now() + LATER, by=world.alice)
    s.answer_submit(topic=topic, text="建在北侧")
    s.answer_submit(topic=topic, text="建在南侧", name="老张")
    assert topic.answers.count() == 2
    with pytest.raises(s.DeliberationError):
        s.answer_submit(topic=topic, text="晚了", now=timezone.now() + LATER + datetime.timedelta(minutes=1))
    with pytest.raises(s.DeliberationError):
        s.answer_submit(topic=topic, text="")
    assert topic.answers.count() == 2


def test_a_topic_from_a_visit_must_be_of_the_same_community(world):
    from visits.models import Visit

    here = Visit.objects.create(household=world.h1, visited_on=timezone.localdate(), recorded_by=world.bob)
    there = Visit.objects.create(household=world.h3, visited_on=timezone.localdate(), recorded_by=world.gwen)
    topic = s.topic_save(topic=Topic(community=world.c1, title="楼道堆物", visit=here), by=world.alice)
    assert topic.source == Topic.Source.VISIT
    with pytest.raises(s.DeliberationError):
        s.topic_save(topic=Topic(community=world.c1, title="楼道堆物", visit=there), by=world.alice)
    with pytest.raises(s.DeliberationError):
        s.topic_save(topic=Topic(community=world.c1, title="停车", area=world.area2), by=world.alice)
    with pytest.raises(PermissionDenied):
        s.topic_save(topic=Topic(community=world.c1, title="停车"), by=world.erin)
    assert Topic.objects.count() == 1
