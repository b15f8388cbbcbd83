"""A real Celery worker on Redis (never eager mode): the petitions sweep task delivers a due milestone
reminder once, however often it runs."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery_app import app
from notifications.models import Notification
from petitions import tasks
from projects.models import ProjectReminder
from tests.helpers import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_a_milestone_reminder_once(world, make_project):
    project = make_project(milestones=[("建成3000个车位", 30)])
    row = ProjectReminder.objects.get(milestone__project=project, kind="milestone_due")
    # Its day has come.
    ProjectReminder.objects.filter(pk=row.pk).update(due_at=timezone.now() - datetime.timedelta(seconds=1))
    key = f"projects.reminder:{row.pk}"
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        tasks.sweep_outbox.delay()
        tasks.sweep_outbox.delay()
        assert wait_for(lambda: ProjectReminder.objects.get(pk=row.pk).sent_at is not None)
        assert wait_for(lambda: Notification.objects.filter(dedup_key=key).exists())
        tasks.sweep_outbox.delay()
    assert list(Notification.objects.filter(dedup_key=key).values_list("user__username", flat=True)) == [
        "bob"
    ]
    assert Notification.objects.get(dedup_key=key).title.startswith("节点将于")
