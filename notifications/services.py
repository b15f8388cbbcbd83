"""Every notification goes through `notify`: the inbox row, an e-mail when the user has an address, and a
WeChat message (an outbox row the sweep sends) when the user bound their WeChat."""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import wechat
from .models import Notification, WeChatBinding, WeChatFollow, WeChatMessage
from .sms import send_sms  # noqa: F401 - re-exported: callers use notifications.services.send_sms

logger = logging.getLogger("linli.notifications")


def notify(*, user, title, body="", url="", dedup_key=None, email=True) -> Notification | None:
    """Write an inbox row (once per dedup_key) and send an e-mail. Returns None if it was already sent."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, title=title, body=body, url=url, dedup_key=dedup_key
            )
            _queue_wechat(notification)
    except IntegrityError:
        return None
    if email and user.email:
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
    if not wechat.enabled() or "reminder" not in settings.WECHAT_TEMPLATE_IDS:
        return
    binding = WeChatBinding.objects.filter(user_id=notification.user_id).first()
    if binding is None:
        return
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    WeChatMessage.objects.create(
        app=binding.app,
        openid=binding.openid,
        kind="reminder",
        data={
            "thing1": notification.title[:20],
            "thing2": (notification.body or notification.title)[:20],
            "time3": timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M"),
        },
        url=f"{base}{notification.url}" if base and notification.url.startswith("/") else "",
        due_at=notification.created_at,
        dedup_key=f"n{notification.pk}",
    )


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
