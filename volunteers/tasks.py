"""Celery tasks of the volunteers app. Tasks take ids; the database is the record of what is due.

Tasks are thin: they pick due rows and hand each to a service. Services never import this module (they
enqueue by task name, see `services.hours_confirm`), so imports go one way: tasks → services → models.
"""

import logging

from celery import shared_task
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify

from .models import Account, Coupon, HourRecord
from .services import account_expire_points, coupon_expire, points_expiry_days

logger = logging.getLogger("linli.volunteers")

EXPIRY_BATCH = 200


def sweep_expired_coupons(now=None, batch=EXPIRY_BATCH) -> int:
    """Mark lapsed coupons expired and return their escrow to the pool. Each coupon is handled in its own
    transaction by `coupon_expire`, which re-checks the status under a row lock, and the ledger's unique
    (coupon, kind) constraint makes a second expiry impossible: running two sweeps at once is harmless."""
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


def sweep_expired_points(now=None, batch=EXPIRY_BATCH) -> int:
    """Expire lapsed points, `batch` accounts per transaction, walking the accounts in id order.

    Only when the VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS setting is set (by default points never expire).
    Each batch commits on its own, so no transaction (or server-side cursor) lasts the whole sweep; a sweep
    that stops half-way, or runs twice, is harmless: `account_expire_points` locks the account and
    expires only what is still lapsed, so a second pass over an account expires nothing more.
    """
    if not points_expiry_days():
        return 0
    now = now or timezone.now()
    due = Account.objects.filter(kind=Account.Kind.PERSON, balance__gt=0).order_by("pk")
    expired, last_pk = 0, 0
    while True:
        ids = list(due.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            expired += sum(account_expire_points(account_id=pk, now=now) for pk in ids)
        last_pk = ids[-1]
        if len(ids) < batch:
            break
    logger.info("points expiry sweep expired=%s", expired)
    return expired


@shared_task(name="volunteers.expire_points")
def expire_points():
    return sweep_expired_points()


@shared_task(name="volunteers.expire_coupons")
def expire_coupons():
    return sweep_expired_coupons()


@shared_task(name="volunteers.notify_hours_confirmed")
def notify_hours_confirmed(record_id):
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
