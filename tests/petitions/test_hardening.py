"""Review fixes of the petition loop, each with the test that failed before it."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import SmsLog
from petitions import services as s
from petitions import tasks
from petitions.models import Outbox


@pytest.mark.django_db
def test_a_failing_row_does_not_block_the_sweep_and_is_retried_later(world, submit, monkeypatch):
    first = submit(world, phone="13811110001")
    second = submit(world, phone="13811110002")
    s.petition_accept(petition=first, by=world.bob)
    s.petition_accept(petition=second, by=world.bob)
    real_send = tasks.send_sms

    def flaky(*, phone, **kw):
        if phone == "13811110001":
            raise ConnectionError("provider down")
        return real_send(phone=phone, **kw)

    monkeypatch.setattr(tasks, "send_sms", flaky)
    now = timezone.now()
    tasks.sweep(now=now)
    # The other resident's SMS went out; the failed one is recorded and pushed back, not lost.
    assert SmsLog.objects.filter(phone="13811110002", template="petition_accepted").count() == 1
    failed = Outbox.objects.get(petition=first, kind="sms_accepted")
    assert failed.sent_at is None
    assert failed.attempts == 1
    assert "provider down" in failed.last_error
    assert failed.due_at > now
    # The provider is back: a later sweep sends it, once.
    monkeypatch.setattr(tasks, "send_sms", real_send)
    tasks.sweep(now=failed.due_at)
    tasks.sweep(now=failed.due_at + datetime.timedelta(hours=1))
    assert SmsLog.objects.filter(phone="13811110001", template="petition_accepted").count() == 1


@pytest.mark.django_db
def test_a_row_that_keeps_failing_is_given_up_after_max_attempts(world, submit, monkeypatch):
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)

    def broken(**kw):
        raise ValueError("template rejected")

    monkeypatch.setattr(tasks, "send_sms", broken)
    now = timezone.now()
    for _i in range(tasks.MAX_ATTEMPTS + 2):
        now += datetime.timedelta(days=1)
        tasks.sweep(now=now)
    row = Outbox.objects.get(petition=p, kind="sms_accepted")
    assert row.attempts == tasks.MAX_ATTEMPTS
    assert row.skipped and row.sent_at is not None
