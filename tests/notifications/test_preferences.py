"""Each user's channels: e-mail, WeChat and SMS follow NotificationPreference; SMS notices wait out the
quiet hours (22:00-07:00 Asia/Shanghai) unless urgent; the inbox always gets the notice."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from notifications import quiet_hours
from notifications.models import (
    Notification,
    NotificationDigest,
    NotificationPreference,
    SmsLog,
    SmsMessage,
    WeChatBinding,
    WeChatMessage,
)
from notifications.services import notification_preference_update, notify
from petitions.services import sweep

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(hour, minute=0, day=2):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def bob(world, settings):
    """Bob with an e-mail address, a phone and a bound WeChat, on a site where WeChat is set up."""
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx-app", "wx-secret"
    settings.WECHAT_TEMPLATE_IDS = {"reminder": "tpl-reminder"}
    world.bob.email = "bob@example.org"
    world.bob.phone = "13811112222"
    world.bob.save()
    WeChatBinding.objects.create(user=world.bob, openid="o-bob")
    return world.bob


def send(user, key, *, urgent=False, now=None, capture):
    with capture(execute=True):
        return notify(
            user=user,
            title="请受理 P-1",
            body="楼道灯坏了",
            url="/workbench/1/",
            dedup_key=key,
            urgent=urgent,
            now=now or at(10),
        )


def test_defaults_are_what_users_always_got(bob, django_capture_on_commit_callbacks):
    send(bob, "a", capture=django_capture_on_commit_callbacks)
    assert not NotificationPreference.objects.exists()  # reading the defaults writes nothing
    assert Notification.objects.filter(user=bob).count() == 1
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert WeChatMessage.objects.filter(openid="o-bob").count() == 1
    assert not SmsMessage.objects.exists()  # SMS costs money: only for those who ask for it


@pytest.mark.parametrize(
    ("choice", "mails", "wechats", "smses"),
    [
        ({"email": "off"}, 0, 1, 0),
        ({"wechat": "off"}, 1, 0, 0),
        ({"email": "off", "wechat": "off", "sms": "all"}, 0, 0, 1),
        ({"sms": "urgent"}, 1, 1, 0),
        ({"email": "daily", "wechat": "daily"}, 0, 0, 0),
    ],
)
def test_each_channel_follows_the_preference(
    bob, django_capture_on_commit_callbacks, choice, mails, wechats, smses
):
    notification_preference_update(user=bob, **choice)
    send(bob, "a", capture=django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=bob).count() == 1  # the inbox cannot be turned off
    assert len(mail.outbox) == mails
    assert WeChatMessage.objects.filter(openid="o-bob").count() == wechats
    assert SmsMessage.objects.filter(user=bob).count() == smses
    assert NotificationDigest.objects.filter(user=bob).exists() is ("daily" in choice.values())


def test_urgent_notices_skip_the_digest_but_not_a_channel_turned_off(bob, django_capture_on_commit_callbacks):
    notification_preference_update(user=bob, email="daily", wechat="off", sms="urgent")
    send(bob, "overdue", urgent=True, capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert not WeChatMessage.objects.exists()
    assert SmsMessage.objects.get().urgent is True
    # Not urgent: waits for tomorrow's digest, and no SMS for "urgent only".
    send(bob, "reminder", capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and SmsMessage.objects.count() == 1
    digest = NotificationDigest.objects.get(user=bob)
    assert digest.day == datetime.date(2026, 3, 2) and digest.due_at == at(7, day=3)


def test_a_second_delivery_of_one_event_sends_nothing_again(bob, django_capture_on_commit_callbacks):
    notification_preference_update(user=bob, sms="all")
    assert send(bob, "a", capture=django_capture_on_commit_callbacks) is not None
    assert send(bob, "a", capture=django_capture_on_commit_callbacks) is None
    assert len(mail.outbox) == 1 and SmsMessage.objects.count() == 1 and WeChatMessage.objects.count() == 1


def test_quiet_hours_in_shanghai():
    assert not quiet_hours.is_quiet(at(21, 59)) and quiet_hours.is_quiet(at(22))
    assert quiet_hours.is_quiet(at(6, 59)) and not quiet_hours.is_quiet(at(7))
    assert quiet_hours.end_of(at(23, 30)) == at(7, day=3)
    assert quiet_hours.end_of(at(1)) == at(7)
    assert quiet_hours.end_of(at(12)) == at(12)
    # 22:00 in Shanghai is 14:00 UTC: the hours are the community's, not the server's.
    assert quiet_hours.is_quiet(datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC))


def test_an_sms_notice_at_night_is_held_until_seven_and_then_sent(bob, django_capture_on_commit_callbacks):
    notification_preference_update(user=bob, email="off", wechat="off", sms="all")
    send(bob, "night", now=at(23, 10), capture=django_capture_on_commit_callbacks)
    row = SmsMessage.objects.get()
    assert row.due_at == at(7, day=3) and not row.urgent
    for moment in (at(23, 11), at(3, day=3), at(6, 59, day=3)):
        sweep.sweep(moment)
        assert not SmsLog.objects.exists()
    sweep.sweep(at(7, day=3))
    log = SmsLog.objects.get()
    assert log.phone == "13811112222" and log.template == "reminder" and log.params == {"title": "请受理 P-1"}
    row.refresh_from_db()
    assert row.sent_at == at(7, day=3) and not row.skipped
    sweep.sweep(at(8, day=3))
    assert SmsLog.objects.count() == 1


def test_a_row_that_failed_into_the_quiet_hours_waits_too(bob, django_capture_on_commit_callbacks):
    """A retry pushed past 22:00 by the sweep's back-off is not due until the quiet hours end."""
    notification_preference_update(user=bob, sms="all")
    send(bob, "evening", now=at(21, 50), capture=django_capture_on_commit_callbacks)
    SmsMessage.objects.update(due_at=at(22, 5), attempts=1)
    sweep.sweep(at(22, 10))
    assert not SmsLog.objects.exists()
    sweep.sweep(at(7, 1, day=3))
    assert SmsLog.objects.count() == 1


def test_an_urgent_sms_goes_at_once_even_at_night(bob, django_capture_on_commit_callbacks):
    notification_preference_update(user=bob, sms="urgent")
    send(bob, "overdue", urgent=True, now=at(23, 10), capture=django_capture_on_commit_callbacks)
    assert SmsMessage.objects.get().due_at == at(23, 10)
    sweep.sweep(at(23, 11))
    assert SmsLog.objects.count() == 1


def test_turning_sms_off_while_one_is_held_cancels_it(bob, django_capture_on_commit_callbacks):
    notification_preference_update(user=bob, sms="all")
    send(bob, "night", now=at(23), capture=django_capture_on_commit_callbacks)
    notification_preference_update(user=bob, sms="off")
    sweep.sweep(at(7, day=3))
    assert not SmsLog.objects.exists()
    assert SmsMessage.objects.get().skipped is True


def test_no_phone_no_sms_row(world, django_capture_on_commit_callbacks):
    notification_preference_update(user=world.dave, sms="all")
    send(world.dave, "a", capture=django_capture_on_commit_callbacks)
    assert not SmsMessage.objects.exists() and Notification.objects.filter(user=world.dave).count() == 1


def test_nothing_is_lost_while_the_broker_is_down(bob, settings, django_capture_on_commit_callbacks):
    """notify writes the SMS row in the notice's transaction and asks nothing of the broker: with Redis
    unreachable the row is there, and the beat sweep sends it."""
    from config.celery_app import app

    notification_preference_update(user=bob, sms="all")
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        send(bob, "a", now=at(10), capture=django_capture_on_commit_callbacks)
    finally:
        app.conf.broker_url = old
    assert SmsMessage.objects.filter(sent_at__isnull=True).count() == 1
    sweep.sweep(at(10, 1))
    assert SmsLog.objects.count() == 1


def test_bad_choices_are_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        notification_preference_update(user=world.bob, email="sometimes", sms="loud")
    assert set(error.value.message_dict) == {"email", "sms"}
    assert not NotificationPreference.objects.exists()


def test_overdue_notices_from_the_petition_sweep_are_urgent(world, django_capture_on_commit_callbacks):
    """The petitions sweep marks its overdue and escalation notices urgent (they skip digest and quiet
    hours); reminders are not."""
    from petitions.services.sweep import _notify_all

    class P:
        pk = 1

    with django_capture_on_commit_callbacks(execute=True):
        _notify_all([world.bob], "超时未受理", "", P, "k-overdue", urgent=True)
        _notify_all([world.bob], "请受理", "", P, "k-reminder")
    assert dict(Notification.objects.values_list("dedup_key", "urgent")) == {
        "k-overdue": True,
        "k-reminder": False,
    }
