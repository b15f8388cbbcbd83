"""Celery tasks of the volunteers app. Tasks take ids; the database is the record of what is due."""

import logging

from celery import shared_task
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Coupon, HourRecord

logger = logging.getLogger("linli.volunteers")

EXPIRY_BATCH = 200


def sweep_expired_coupons(now=None, batch=EXPIRY_BATCH) -> int:
    """Mark lapsed coupons expired and return their escrow to the pool. Each coupon is handled in its own
    transaction by `coupon_expire`, which re-checks the status under a row lock, and the ledger's unique
    (coupon, kind) constraint makes a second expiry impossible: running two sweeps at once is harmless."""
    from .services import coupon_expire

    now = now or timezone.now()
    with transaction.atomic():
        due = Coupon.objects.due_to_expire(now).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            # Rows another sweep (or a redemption) holds are skipped rather than waited for.
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:batch])
    expired = sum(coupon_expire(coupon_id=pk, now=now) for pk in ids)
    if len(ids) == batch:
        transaction.on_commit(lambda: expire_coupons.delay(), robust=True)
    logger.info("coupon expiry sweep expired=%s", expired)
    return expired


def sweep_expired_points(now=None) -> int:
    """Only when the VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS setting is set (by default points never expire)."""
    from .models import Account
    from .services import account_expire_points, points_expiry_days

    if not points_expiry_days():
        return 0
    ids = Account.objects.filter(kind=Account.Kind.PERSON, balance__gt=0).values_list("pk", flat=True)
    return sum(account_expire_points(account_id=pk, now=now) for pk in ids.iterator())


@shared_task(name="volunteers.expire_points")
def expire_points():
    return sweep_expired_points()


@shared_task(name="volunteers.expire_coupons")
def expire_coupons():
    return sweep_expired_coupons()


@shared_task(name="volunteers.notify_hours_confirmed")
def notify_hours_confirmed(record_id):
    from notifications.services import notify

    record = HourRecord.objects.select_related("volunteer__user", "activity").filter(pk=record_id).first()
    if record is None:
        return None
    notification = notify(
        user=record.volunteer.user,
        title=_("Your service hours were confirmed"),
        body=_("%(hours)s hours for “%(activity)s”.") % {"hours": record.hours, "activity": record.activity},
        url=reverse("volunteers:home"),
        dedup_key=f"volunteers:hours:{record.pk}",
        email=False,
    )
    return notification.pk if notification else None
