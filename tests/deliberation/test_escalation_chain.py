"""An overdue resolution task goes to community staff, and, still overdue PETITION_ESCALATE_AGAIN_HOURS
later, to the street officials of the community's street: once, however many sweeps run."""

import datetime

import pytest
from django.utils import timezone

from deliberation import services as s
from deliberation.models import ResolutionTask, TaskOutbox
from notifications.models import Notification
from tests import factories as f

from .conftest import through_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(world, topic, settings):
    settings.PETITION_ESCALATE_AGAIN_HOURS = 24
    through_vote(topic, world.alice)
    s.topic_publish_resolution(topic=topic, resolution="在3栋北侧建车棚", by=world.alice)
    return s.task_save(
        task=ResolutionTask(
            topic=topic,
            title="选址测量",
            owner=world.bob,
            deadline=timezone.now() + datetime.timedelta(days=2),
        ),
        by=world.alice,
    )


def street_notices(user):
    return Notification.objects.filter(user=user, title__contains="街道")


def test_still_overdue_a_period_after_escalation_reaches_the_street_once(world, task):
    other_street = f.StreetFactory(district=world.district, code="330199002", name="别的街道")
    outsider = f.UserFactory(username="olga")
    f.assign(outsider, "street_official", other_street)
    late = task.deadline + datetime.timedelta(minutes=1)
    s.sweep_tasks(now=late)
    task.refresh_from_db()
    assert task.escalation_level == 1
    assert Notification.objects.filter(user=world.alice, title__contains="超期").count() == 1
    assert not Notification.objects.filter(user=world.sam).exists()
    # Community staff get a full period before the street hears of it.
    s.sweep_tasks(now=late + datetime.timedelta(hours=23))
    assert not Notification.objects.filter(user=world.sam).exists()
    s.sweep_tasks(now=late + datetime.timedelta(hours=24, minutes=1))
    task.refresh_from_db()
    assert task.escalation_level == 2
    assert street_notices(world.sam).count() == 1
    assert Notification.objects.get(user=world.sam).url == f"/deliberation/topics/{task.topic_id}/"
    # The street is the top: a week of sweeps tells nobody anything more.
    for days in range(2, 9):
        s.sweep_tasks(now=late + datetime.timedelta(days=days))
    assert street_notices(world.sam).count() == 1
    assert Notification.objects.filter(user=world.alice, title__contains="超期").count() == 1
    assert not Notification.objects.filter(user__in=[outsider, world.erin]).exists()
    assert TaskOutbox.objects.filter(task=task, kind="overdue").count() == 2


def test_done_after_the_first_escalation_the_street_is_not_told(world, task):
    late = task.deadline + datetime.timedelta(minutes=1)
    s.sweep_tasks(now=late)
    s.task_done(task=task, note="已选定北侧空地", by=world.bob)
    s.sweep_tasks(now=late + datetime.timedelta(days=2))
    task.refresh_from_db()
    assert task.escalation_level == 1
    assert not Notification.objects.filter(user=world.sam).exists()
    assert TaskOutbox.objects.filter(task=task, skipped=True).count() == 1
