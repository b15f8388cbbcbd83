"""Concurrency and exactly-once on PostgreSQL: two actors on one item, two sweeps at once, a task
delivered twice, and a broker that is down when a resident submits."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from grids.pii import phone_index
from notifications.models import Notification, SmsLog
from petitions import services as s
from petitions import tasks
from petitions.models import Outbox, Petition
from petitions.services import PetitionError
from petitions.services import sweep as outbox
from tests.helpers import run_at_once

from .conftest import challenge_fields


@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_one_wins(world, submit):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    for _round in range(3):
        p = submit(world)
        results = run_at_once(
            lambda p=p: s.petition_accept(petition=Petition.objects.get(pk=p.pk), by=world.bob),
            lambda p=p: s.petition_decline(
                petition=Petition.objects.get(pk=p.pk), by=world.alice, note="重复"
            ),
        )
        winners = [r for r in results if isinstance(r, Petition)]
        losers = [r for r in results if isinstance(r, PetitionError)]
        assert len(winners) == 1 and len(losers) == 1, results
        p.refresh_from_db()
        assert p.status == winners[0].status
        assert p.events.exclude(action="submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_notice_once(world, submit):
    if connection.vendor != "postgresql":
        pytest.skip("skip_locked needs PostgreSQL")
    items = [submit(world, phone=f"1390000{i:04d}") for i in range(4)]
    for p in items:
        s.petition_accept(petition=p, by=world.bob)
    later = timezone.now() + datetime.timedelta(days=30)
    due = Outbox.objects.due(later).count()
    assert due >= 4 * 4
    counts = run_at_once(lambda: outbox.sweep(now=later), lambda: outbox.sweep(now=later))
    assert sum(counts) == due, counts
    assert Outbox.objects.due(later).count() == 0
    assert SmsLog.objects.filter(template="petition_accepted").count() == 4
    # Each escalation happened once: submitted → accepted means the accept deadlines lapsed harmlessly,
    # the resolve deadline did not: one level up, once per item.
    assert all(p.escalation_level == 1 for p in Petition.objects.all())
    assert outbox.sweep(now=later) == 0


@pytest.mark.django_db
def test_redelivered_task_sends_once(world, submit):
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    row = Outbox.objects.get(petition=p, kind="sms_accepted")
    assert tasks.deliver_outbox(row.pk) is True
    assert tasks.deliver_outbox(row.pk) is False
    # A worker that died after sending but before recording: the row is picked again, the provider
    # sees the same idempotency key (the row id) and sends nothing new.
    Outbox.objects.filter(pk=row.pk).update(sent_at=None)
    assert tasks.deliver_outbox(row.pk) is True
    assert SmsLog.objects.filter(template="petition_accepted").count() == 1
    assert SmsLog.objects.get(template="petition_accepted").idempotency_key == f"petition.outbox:{row.pk}"


@pytest.mark.django_db
def test_overdue_item_is_reminded_then_escalated_up_to_the_street(
    world, submit, django_capture_on_commit_callbacks
):
    from django.core import mail

    world.dave.email = "dave@example.org"
    world.dave.save(update_fields=["email"])
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.dave)
    p.refresh_from_db()
    before = p.resolve_due_at - datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.sweep(now=before)
    assert Notification.objects.filter(user=world.dave, title__contains=p.tracking_code).exists()
    # The inbox row and an e-mail: the assignment notice and the reminder.
    assert [m.to for m in mail.outbox] == [["dave@example.org"]] * 2
    assert p.tracking_code in mail.outbox[-1].subject
    late = p.resolve_due_at + datetime.timedelta(minutes=1)
    outbox.sweep(now=late)
    p.refresh_from_db()
    assert p.escalation_level == 1 and p.is_overdue(now=late)
    assert Notification.objects.filter(user=world.alice, title__contains=p.tracking_code).exists()
    assert Petition.objects.overdue(now=late).filter(pk=p.pk).exists()
    assert not Petition.objects.overdue().filter(pk=p.pk).exists()


@pytest.mark.sqlite
@pytest.mark.django_db
def test_redis_down_submission_is_saved_and_notices_go_out_later(
    world, client, category, settings, caplog, django_capture_on_commit_callbacks
):
    from config.celery_app import app

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    # Point the app at a closed port; its connection and producer pools are rebuilt from the URL, and the
    # originals are put back afterwards so later tests talk to the real broker.
    old = (app.conf.broker_url, app._pool, app.amqp._producer_pool)
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = app.amqp._producer_pool = None
    try:
        start = timezone.now()
        response = client.post(
            "/petitions/new/",
            {
                "kind": "wish",
                "category": category.pk,
                "description": "想要一个晾衣架",
                "building": "b1token",
                **challenge_fields(),
            },
        )
        assert response.status_code == 302
        api = client.post(
            "/api/v1/petitions/",
            {
                "kind": "request",
                "category": category.pk,
                "description": "路灯不亮",
                "building": "b2token",
                **challenge_fields(),
            },
            content_type="application/json",
        )
        assert api.status_code == 201, api.content
        p = Petition.objects.get(building=world.b1)
        p.phone = "13812340000"
        p.save(update_fields=["phone"])
        # Staff act while the broker is still down: the transition commits, the task cannot be queued.
        with caplog.at_level("ERROR"), django_capture_on_commit_callbacks(execute=True) as callbacks:
            s.petition_accept(petition=p, by=world.bob)
        assert len(callbacks) == 1 and "send_sweep" in caplog.text
        assert (timezone.now() - start).total_seconds() < 20
        assert SmsLog.objects.count() == 0
    finally:
        app.conf.broker_url, app._pool, app.amqp._producer_pool = old
    # The broker is back; beat's sweep finds the row in the database.
    outbox.sweep()
    assert (
        SmsLog.objects.filter(template="petition_accepted", phone_index=phone_index("13812340000")).count()
        == 1
    )
