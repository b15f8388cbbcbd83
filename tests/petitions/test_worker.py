"""A real Celery worker against Redis (never eager mode): a resolution queues the sweep on commit, the
worker sends the SMS and the follow-up notice lands with the grid leader."""

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery_app import app
from notifications.models import Notification, SmsLog
from petitions import services as s
from petitions.models import Outbox
from tests.helpers import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_resolution_leads_to_sms_and_follow_up_through_the_worker(world, submit, category):
    category.follow_up_after_days = 0  # the follow-up is due at once, so the worker handles it now
    category.save()
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.dave)
    s.petition_start(petition=p, by=world.dave)
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        s.petition_resolve(petition=p, by=world.dave, note="已更换灯泡")
        assert wait_for(lambda: SmsLog.objects.filter(template="petition_resolved").exists())
        follow_up = Outbox.objects.get(petition=p, kind="follow_up_due")
        assert wait_for(
            lambda: Notification.objects.filter(
                user=world.bob, dedup_key=f"petition.outbox:{follow_up.pk}"
            ).exists()
        )
    assert "回访" in Notification.objects.get(dedup_key=f"petition.outbox:{follow_up.pk}").title
    assert SmsLog.objects.get(template="petition_resolved").phone == "13811112222"
