"""Celery entry point of the daily digests: it only runs petitions' outbox loop over the digest rows."""

from celery import shared_task

from petitions.services import sweep

from .models import NotificationDigest
from .services import digest_send


def send_digests(now=None) -> int:
    """Send the digests that are due (each user's day, the morning after): safe to run twice or on two
    workers at once, the claim locks each row and marks it sent in the same transaction."""
    return sweep.sweep(now, model=NotificationDigest, process=digest_send)


@shared_task(name="notifications.send_digests", acks_late=True)
def send_digests_task():
    return send_digests()
