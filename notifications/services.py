"""Every notification goes through `notify`: the inbox row, then the channels the user's preference routes it
to (`NotificationPreference.route`): an e-mail, a WeChat message and an SMS notice at once (the last two
outbox rows the sweep sends; SMS held through quiet hours unless urgent), or a line in the next morning's
daily digest (a `NotificationDigest` row per user and day, sent by the digest sweep)."""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from . import quiet_hours, wechat
from .models import (
    Channel,
    Notification,
    NotificationDigest,
    NotificationPreference,
    SmsMessage,
    WeChatBinding,
    WeChatFollow,
    WeChatMessage,
)
from .outbound import ChannelError
from .sms import send_sms  # re-exported: callers use notifications.services.send_sms

logger = logging.getLogger("linli.notifications")

# The SMS template of a notice to a user (SMS_TEMPLATE_CODES names the provider's code): {title}.
SMS_NOTICE_TEMPLATE = "reminder"


def notify(
    *, user, title, body="", url="", dedup_key=None, email=True, urgent=False, now=None
) -> Notification | None:
    """Write an inbox row (once per dedup_key) and route it to the user's channels. `urgent` (an overdue
    item, an escalation) skips the digest and SMS quiet hours; `email=False` keeps it out of e-mail.
    Returns None if it was already sent."""
    now = now or timezone.now()
    route = NotificationPreference.for_user(user).route(urgent=urgent)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, title=title, body=body, url=url, dedup_key=dedup_key, urgent=urgent, created_at=now
            )
            if Channel.WECHAT in route.now:
                _queue_wechat(notification)
            if Channel.SMS in route.now and user.phone_encrypted:
                SmsMessage.objects.create(
                    user=user,
                    notification=notification,
                    urgent=urgent,
                    due_at=quiet_hours.sms_due_at(now, urgent=urgent),
                )
            if route.digest - ({Channel.EMAIL} if not email else set()):
                _queue_digest(user, now)
    except IntegrityError:
        return None
    if email and Channel.EMAIL in route.now and user.email:
        # After commit: a sweep whose transaction rolls back (and is retried) must not have mailed already.
        transaction.on_commit(
            partial(_send_email, user.pk, user.email, title, f"{body}\n\n{url}".strip(), dedup_key),
            robust=True,
        )
    return notification


def _send_email(user_id, address, subject, text, dedup_key):
    try:
        send_mail(subject, text, None, [address])
    except Exception:  # noqa: BLE001 - the inbox row is the record; mail is best effort
        logger.exception("notification email failed user=%s key=%s", user_id, dedup_key)


def notification_mark_read(*, user, ids=None) -> int:
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def _queue_wechat(notification):
    """The notice as a WeChat reminder, for a user who bound their account (one query, none when WeChat is
    not configured); the sweep sends it and retries it."""
    _queue_wechat_reminder(
        notification.user_id,
        title=notification.title,
        detail=notification.body or notification.title,
        when=notification.created_at,
        url=notification.url,
        dedup_key=f"n{notification.pk}",
    )


def _queue_wechat_reminder(user_id, *, title, detail, when, url, dedup_key) -> bool:
    if not wechat.enabled() or "reminder" not in settings.WECHAT_TEMPLATE_IDS:
        return False
    binding = WeChatBinding.objects.filter(user_id=user_id).first()
    if binding is None:
        return False
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    WeChatMessage.objects.bulk_create(
        [
            WeChatMessage(
                app=binding.app,
                openid=binding.openid,
                kind="reminder",
                data={
                    "thing1": title[:20],
                    "thing2": detail[:20],
                    "time3": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
                },
                url=f"{base}{url}" if base and url.startswith("/") else "",
                due_at=when,
                dedup_key=dedup_key,
            )
        ],
        ignore_conflicts=True,
    )
    return True


# --- Preferences ---------------------------------------------------------------------------------------


def notification_preference_update(*, user, email=None, wechat=None, sms=None) -> NotificationPreference:
    """Change the user's own channels (None leaves one as it is). The inbox cannot be turned off."""
    Pref = NotificationPreference
    changes = {
        field: value
        for field, value, choices in (
            ("email", email, Pref.Delivery.values),
            ("wechat", wechat, Pref.Delivery.values),
            ("sms", sms, Pref.Sms.values),
        )
        if value is not None
    }
    errors = {
        field: _("Choose one of the offered options.")
        for field, value in changes.items()
        if value not in (Pref.Sms.values if field == "sms" else Pref.Delivery.values)
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        preference, _created = Pref.objects.select_for_update().get_or_create(user=user)
        for field, value in changes.items():
            setattr(preference, field, value)
        preference.save()
    logger.info("notification preference user=%s %s", user.pk, changes)
    return preference


def _preference_of(user) -> NotificationPreference:
    """The preference read with the claim (select_related), or the defaults when the user has none."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


# --- SMS notices ---------------------------------------------------------------------------------------

# What the sweep's claim reads with each SMS notice (petitions.services.sweep.register_source).
SMS_RELATED = ("user__notification_preference", "notification")


def sms_message_send(row, now):
    """The sweep's handler for a due SMS notice (quiet hours are in SmsMessage.objects.due): the phone is
    the account's at sending time; a user who turned SMS off while it was held does not get it."""
    user = row.user
    if not user.phone_encrypted or Channel.SMS not in _preference_of(user).route(urgent=row.urgent).now:
        return False
    send_sms(
        phone=user.phone,
        template=SMS_NOTICE_TEMPLATE,
        params={"title": row.notification.title[:20]},
        idempotency_key=f"notice.sms:{row.pk}",
    )
    return True


# --- Daily digest --------------------------------------------------------------------------------------

DIGEST_RELATED = ("user__notification_preference",)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _queue_digest(user, now):
    """The user's digest of today, written once by the first notice that waits for it; due tomorrow when
    SMS quiet hours end (07:00), so it is read at the start of the working day."""
    day = timezone.localdate(now)
    due_at = quiet_hours.end_of(_day_start(day + datetime.timedelta(days=1)))
    NotificationDigest.objects.bulk_create(
        [NotificationDigest(user=user, day=day, due_at=due_at)], ignore_conflicts=True
    )


def digest_send(row, now):
    """The digest sweep's handler for one user's day: one e-mail and one WeChat message listing the day's
    notices, on the channels the user has in daily mode now. A failing mail is retried by the sweep (the
    WeChat row, written first, is written once whatever the retries)."""
    user = row.user
    channels = _preference_of(user).digest_channels()
    start = _day_start(row.day)
    notices = list(
        Notification.objects.for_user(user)
        .filter(created_at__gte=start, created_at__lt=start + datetime.timedelta(days=1))
        .order_by("created_at", "pk")
        .only("title", "url", "created_at", "urgent")
    )
    if not notices or not channels:
        return False
    NotificationDigest.objects.filter(pk=row.pk).update(notice_count=len(notices))
    sent = False
    with override("zh-hans"):
        subject = ngettext(
            "Linli daily digest for %(day)s: %(count)d notice",
            "Linli daily digest for %(day)s: %(count)d notices",
            len(notices),
        ) % {"day": row.day.strftime("%m-%d"), "count": len(notices)}
        if Channel.WECHAT in channels:
            sent |= _queue_wechat_reminder(
                user.pk,
                title=_("Daily digest %(day)s") % {"day": row.day.strftime("%m-%d")},
                detail=ngettext("%(count)d notice", "%(count)d notices", len(notices))
                % {"count": len(notices)},
                when=now,
                url=reverse("notifications:inbox"),
                dedup_key=f"digest{row.pk}",
            )
        if Channel.EMAIL in channels and user.email:
            base = settings.PUBLIC_BASE_URL.rstrip("/")
            lines = []
            for n in notices:
                mark = _("[urgent] ") if n.urgent else ""
                lines.append(f"{timezone.localtime(n.created_at):%H:%M} {mark}{n.title}")
                if n.url:
                    lines.append(f"    {base}{n.url}")
            lines += ["", _("All your notices: %(url)s") % {"url": f"{base}{reverse('notifications:inbox')}"}]
            try:
                send_mail(subject, "\n".join(lines), None, [user.email])
            except Exception as error:  # SMTP down or refusing: the sweep tries again later
                raise ChannelError(str(error), code="mail") from error
            sent = True
    logger.info("digest=%s user=%s day=%s notices=%s sent=%s", row.pk, user.pk, row.day, len(notices), sent)
    return sent


def wechat_message_send(row, now):
    """The sweep's handler for a due WeChat message (in the sweep's transaction); a ChannelError leaves
    the row to the sweep, which retries it or, when permanent, gives it up; True tells the sweep it was
    sent (the sweep marks the batch)."""
    wechat.send(
        app=row.app,
        openid=row.openid,
        kind=row.kind,
        data=row.data,
        url=row.url,
        idempotency_key=f"wx{row.pk}",
    )
    return True


@transaction.atomic
def wechat_bind(*, user, code) -> WeChatBinding:
    """Bind the user's WeChat from the code WeChat's authorisation handed back (the user opted in by
    opening the binding link). An openid bound to another account moves to this one."""
    if not wechat.enabled():
        raise ValidationError(_("WeChat is not set up on this site."))
    if not code or len(code) > 128:
        raise ValidationError(_("WeChat did not confirm the binding; open the link again."))
    try:
        openid = wechat.openid_for_code(code)
    except wechat.ChannelError as error:
        logger.warning("wechat bind failed user=%s code=%s", user.pk, error.code)
        raise ValidationError(_("WeChat did not confirm the binding; open the link again.")) from error
    WeChatBinding.objects.filter(app=WeChatBinding.App.OFFICIAL_ACCOUNT, openid=openid).exclude(
        user=user
    ).delete()
    binding, _created = WeChatBinding.objects.update_or_create(
        user=user, defaults={"openid": openid, "app": WeChatBinding.App.OFFICIAL_ACCOUNT}
    )
    return binding


def wechat_unbind(*, user) -> int:
    return WeChatBinding.objects.filter(user=user).delete()[0]


def wechat_follow(*, petition, code) -> WeChatFollow:
    """A resident holding the tracking code follows the request on WeChat (the code from WeChat's
    authorisation gives their openid)."""
    if not wechat.enabled():
        raise ValidationError(_("WeChat is not set up on this site."))
    if not code or len(code) > 128:
        raise ValidationError(_("WeChat did not confirm the binding; open the link again."))
    try:
        openid = wechat.openid_for_code(code)
    except wechat.ChannelError as error:
        logger.warning("wechat follow failed petition=%s code=%s", petition.pk, error.code)
        raise ValidationError(_("WeChat did not confirm the binding; open the link again.")) from error
    follow, _created = WeChatFollow.objects.get_or_create(petition=petition, openid=openid)
    return follow


def wechat_queue_status(*, petition, event):
    """A public step of a request, for the residents who follow it on WeChat: one outbox row each, once
    per event (no query at all when WeChat is not configured)."""
    if not event.public or not wechat.enabled() or "status" not in settings.WECHAT_TEMPLATE_IDS:
        return
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    url = f"{base}{reverse('petitions:track', args=[petition.tracking_code])}" if base else ""
    when = timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M")
    WeChatMessage.objects.bulk_create(
        [
            WeChatMessage(
                openid=openid,
                kind="status",
                data={
                    "character_string1": petition.tracking_code,
                    "phrase2": str(petition.get_status_display())[:5],
                    "time3": when,
                },
                url=url,
                due_at=event.created_at,
                dedup_key=f"e{event.pk}:{openid}"[:160],
            )
            for openid in WeChatFollow.objects.filter(petition=petition).values_list("openid", flat=True)
        ],
        ignore_conflicts=True,
    )
