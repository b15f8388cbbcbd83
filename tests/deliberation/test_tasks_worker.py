"""A resolution's follow-up task through a real Celery worker (never eager): its owner is reminded once,
and once overdue it is escalated to community staff once, however many sweeps run."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery_app import app
from deliberation import services as s
from deliberation.models import ResolutionTask, TaskOutbox
from notifications.models import Notification
from tests.helpers import wait_for

from .conftest import through_vote


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_overdue_task_is_reminded_once_and_escalated_once(world, topic):
    through_vote(topic, world.alice)
    s.topic_publish_resolution(topic=topic, resolution="在3栋北侧建车棚", by=world.alice)
    deadline = timezone.now() + datetime.timedelta(seconds=3)
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        task = s.task_save(
            task=ResolutionTask(topic=topic, title="选址测量", owner=world.bob, deadline=deadline),
            by=world.alice,
        )
        # The deadline is nearer than the reminder lead: the owner is reminded at once (queued on commit).
        assert wait_for(lambda: Notification.objects.filter(user=world.bob, title__contains="到期").exists())
        time.sleep(max(0, (deadline - timezone.now()).total_seconds()) + 0.5)
        for _ in range(3):  # beat, and two more sweeps
            app.send_task("deliberation.sweep_outbox")
        assert wait_for(
            lambda: Notification.objects.filter(user=world.alice, title__contains="超期").exists()
        )
        # Everything due is swept (the street's re-escalation waits a further period).
        assert wait_for(
            lambda: not TaskOutbox.objects.filter(sent_at__isnull=True, due_at__lte=timezone.now()).exists()
        )
    task.refresh_from_db()
    assert task.escalation_level == 1
    assert Notification.objects.filter(user=world.bob, title__contains="到期").count() == 1
    assert Notification.objects.filter(user=world.bob, title__contains="超期").count() == 1
    assert Notification.objects.filter(user=world.alice, title__contains="超期").count() == 1
    assert Notification.objects.get(user=world.alice).url == f"/deliberation/topics/{topic.pk}/"
    assert not Notification.objects.filter(user=world.erin).exists()


@pytest.mark.django_db
def test_a_done_task_is_not_escalated_and_a_task_needs_a_resolution(world, topic):
    through_vote(topic, world.alice)
    deadline = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(s.DeliberationError):
        s.task_save(
            task=ResolutionTask(topic=topic, title="选址", owner=world.bob, deadline=deadline), by=world.alice
        )
    s.topic_publish_resolution(topic=topic, resolution="建车棚", by=world.alice)
    task = s.task_save(
        task=ResolutionTask(topic=topic, title="选址", owner=world.bob, deadline=deadline), by=world.alice
    )
    assert sorted(TaskOutbox.objects.values_list("kind", flat=True)) == ["overdue", "reminder"]
    s.task_done(task=task, note="已选定北侧空地", by=world.bob)
    assert s.sweep_tasks(now=deadline + datetime.timedelta(minutes=1)) == 2
    assert not Notification.objects.exists()
    assert TaskOutbox.objects.filter(skipped=True).count() == 2
    with pytest.raises(s.DeliberationError):
        s.task_save(
            task=ResolutionTask(topic=topic, title="旧", owner=world.bob, deadline=timezone.now()),
            by=world.alice,
        )
    with pytest.raises(s.DeliberationError):  # an owner from another community
        s.task_save(
            task=ResolutionTask(topic=topic, title="选址", owner=world.gwen, deadline=deadline),
            by=world.alice,
        )
