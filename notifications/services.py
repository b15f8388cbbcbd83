"""Every notification goes through `notify`: the inbox row, and an e-mail when the user has an address."""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

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
        try:
            send_mail(title, f"{body}\n\n{url}".strip(), None, [user.email])
        except Exception:  # noqa: BLE001 - the inbox row is the record; mail is best effort
            logger.exception("notification email failed user=%s key=%s", user.pk, dedup_key)
    return notification


def notification_mark_read(*, user, ids=None) -> int:
    from django.utils import timezone

    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
