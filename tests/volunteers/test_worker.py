"""The Celery wiring, with a real worker on Redis: the beat task expires coupons; confirmed hours notify."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery_app import app
from notifications.models import Notification
from tests.helpers import wait_for
from volunteers import services, tasks
from volunteers.models import Coupon, HourRecord

from .conftest import give_points


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_expires_coupons_and_sends_hours_notifications(transactional_db, vw):
    w = vw.world
    give_points(vw, w.vera, 20)
    coupon = services.coupon_take(offer=vw.offer, by=w.vera)
    Coupon.objects.filter(pk=coupon.pk).update(valid_until=timezone.now() - datetime.timedelta(seconds=1))
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=w.vera)
    attendance = services.attendance_check_in(activity=vw.activity, volunteer=vw.vera, by=w.mia)
    services.attendance_check_out(
        attendance=attendance, by=w.mia, at=attendance.checked_in_at + datetime.timedelta(hours=1)
    )
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        tasks.expire_coupons.delay()
        services.hours_confirm(record=HourRecord.objects.get(volunteer=vw.vera), by=w.mia)
        assert wait_for(lambda: Coupon.objects.get(pk=coupon.pk).status == Coupon.Status.EXPIRED)
        assert wait_for(lambda: Notification.objects.filter(user=w.vera).exists())
    assert Notification.objects.get(user=w.vera).title == "您的服务时长已确认"
