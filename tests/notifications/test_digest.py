"""The daily digest: a user who chose it gets the day's notices in one e-mail and one WeChat message the
next morning, exactly once, however often (or on however many workers) the beat task runs."""

import datetime
import threading
import zoneinfo

import pytest
from django.core import mail
from django.db import connection

from notifications import tasks
from notifications.models import NotificationDigest, WeChatBinding, WeChatMessage
from notifications.services import notification_preference_update, notify

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(hour, minute=0, day=2):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def digest_users(world, settings):
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx-app", "wx-secret"
    settings.WECHAT_TEMPLATE_IDS = {"reminder": "tpl-reminder"}
    settings.PUBLIC_BASE_URL = "https://linli.example.org"
    for user, mail_to in ((world.alice, "alice@example.org"), (world.bob, "bob@example.org")):
        user.email = mail_to
        user.save(update_fields=["email"])
        notification_preference_update(user=user, email="daily", wechat="daily")
    WeChatBinding.objects.create(user=world.bob, openid="o-bob")
    return world.alice, world.bob


def notices(user, n, day=2, prefix="n"):
    for i in range(n):
        notify(
            user=user,
            title=f"请受理 P-{i}",
            url=f"/workbench/{i}/",
            dedup_key=f"{prefix}{day}:{i}",
            now=at(8 + i % 14, i % 60, day=day),
        )


def test_one_digest_per_user_per_day_even_when_the_task_runs_twice(digest_users, world):
    alice, bob = digest_users
    notices(alice, 3)
    notices(bob, 2)
    notices(bob, 1, day=3, prefix="late")  # the next day's: tomorrow's digest
    assert mail.outbox == [] and not WeChatMessage.objects.exists()  # nothing at once
    assert NotificationDigest.objects.count() == 3  # alice 2nd, bob 2nd and 3rd

    assert tasks.send_digests(at(6, 59, day=3)) == 0  # due when the quiet hours end
    assert tasks.send_digests(at(7, 5, day=3)) == 2
    assert tasks.send_digests(at(7, 15, day=3)) == 0
    # The real Celery task, today: the 3rd of March's digest is long due; a second run finds nothing.
    assert tasks.send_digests_task.apply().get() == 1
    assert tasks.send_digests_task.apply().get() == 0

    by_address = {m.to[0]: m for m in mail.outbox[:2]}
    assert set(by_address) == {"alice@example.org", "bob@example.org"}
    text = by_address["alice@example.org"].body
    assert (
        "3" in by_address["alice@example.org"].subject and "03-02" in by_address["alice@example.org"].subject
    )
    assert all(f"请受理 P-{i}" in text for i in range(3))
    assert "https://linli.example.org/workbench/0/" in text
    assert "https://linli.example.org/notifications/" in text
    assert "请受理 P-0" in by_address["bob@example.org"].body
    assert by_address["bob@example.org"].body.count("请受理") == 2  # not the 3rd of March
    wechat = WeChatMessage.objects.order_by("pk").first()
    assert wechat.openid == "o-bob" and "03-02" in wechat.data["thing1"] and "2" in wechat.data["thing2"]
    assert dict(
        NotificationDigest.objects.filter(day=datetime.date(2026, 3, 2)).values_list("user", "notice_count")
    ) == {
        alice.pk: 3,
        bob.pk: 2,
    }

    assert len(mail.outbox) == 3 and mail.outbox[-1].body.count("请受理") == 1
    assert WeChatMessage.objects.count() == 2  # bob's two days


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_digest_once(digest_users):
    alice, bob = digest_users
    notices(alice, 2)
    notices(bob, 2)
    barrier, results = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            results.append(tasks.send_digests(at(7, 5, day=3)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]


def test_a_failing_mail_is_retried_and_then_sent_once(digest_users, monkeypatch):
    alice, _bob = digest_users
    notices(alice, 1)
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("notifications.services.send_mail", broken)
    tasks.send_digests(at(7, 5, day=3))
    row = NotificationDigest.objects.get(user=alice)
    assert row.sent_at is None and row.attempts == 1 and "smtp down" in row.last_error
    monkeypatch.undo()
    tasks.send_digests(row.due_at + datetime.timedelta(hours=1))
    tasks.send_digests(row.due_at + datetime.timedelta(hours=2))
    assert len(mail.outbox) == 1 and calls == [1]


def test_urgent_notices_go_at_once_and_are_in_the_digest_too(
    digest_users, django_capture_on_commit_callbacks
):
    alice, _bob = digest_users
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=alice, title="超时未办结 P-9", dedup_key="u", urgent=True, now=at(15))
    assert [m.subject for m in mail.outbox] == ["超时未办结 P-9"]
    notices(alice, 1)
    tasks.send_digests(at(7, 5, day=3))
    assert "超时未办结 P-9" in mail.outbox[-1].body and len(mail.outbox) == 2


def test_switched_back_to_each_notice_the_digest_is_skipped(digest_users):
    alice, _bob = digest_users
    notices(alice, 1)
    notification_preference_update(user=alice, email="each", wechat="each")
    tasks.send_digests(at(7, 5, day=3))
    assert mail.outbox == []
    assert NotificationDigest.objects.get(user=alice).skipped is True


@pytest.mark.parametrize("n", [1, 50])
def test_a_digest_reads_its_notices_in_constant_queries(digest_users, django_assert_num_queries, n):
    alice, _bob = digest_users
    notices(alice, n)
    # The batch: 1 SAVEPOINT, 2 the claim of due digests with user and preference (select_for_update);
    # the row: 3 SAVEPOINT, 4 the day's notices, 5 their count on the row, 6 the WeChat binding (alice has
    # none), 7 RELEASE; 8 mark the batch sent, 9 RELEASE; the next batch: 10-12 SAVEPOINT, an empty claim,
    # RELEASE.
    with django_assert_num_queries(12):
        assert tasks.send_digests(at(7, 5, day=3)) == 1
    assert mail.outbox[0].body.count("请受理") == n


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_digest_once_when_the_task_is_sent_twice(digest_users):
    """The wiring: the beat task by its name, twice, on a real worker against Redis."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from config.celery_app import app
    from tests.helpers import wait_for

    alice, _bob = digest_users
    notices(alice, 2)  # the 2nd of March: long due by today
    handled = []

    def done(sender=None, retval=None, **kwargs):
        if sender.name == "notifications.send_digests":
            handled.append(retval)

    task_postrun.connect(done, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
            app.send_task("notifications.send_digests")
            app.send_task("notifications.send_digests")
            assert wait_for(lambda: len(handled) == 2)
    finally:
        task_postrun.disconnect(done)
    assert sorted(handled) == [0, 1]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
