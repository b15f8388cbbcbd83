"""Every notification goes through `notify`: the inbox row, and an e-mail when the user has an address."""

import logging
from functools import partial

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification
from .sms import send_sms  # noqa: F401 - re-exported: callers use notifications.services.send_sms

logger = logging.getLogger("linli.notifications")


def notify(*, user, title, body="", url="", dedup_key=None, email=True) -> Notification | None:
    """Write an inbox row (once per dedup_key) and send an e-mail. Returns None if it was already sent."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, title=title, body=body, url=url, dedup_key=dedup_key
            )
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
