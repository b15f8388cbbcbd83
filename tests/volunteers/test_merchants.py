"""The merchant alliance: front-door duties, inspections and the monthly rating, the statement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from volunteers import selectors, services
from volunteers.models import DutyInspection

from .conftest import give_points

ALL_MET = dict(cleanliness=True, order=True, greening=True, safety=True, facilities=True)


def test_monthly_rating_from_grid_leaders_inspections(vw):
    w = vw.world
    today = timezone.localdate()
    assert selectors.merchant_rating(vw.shop, today)["grade"] is None
    services.duty_inspection_record(merchant=vw.shop, month=today, by=w.bob, **ALL_MET)
    assert selectors.merchant_rating(vw.shop, today) == {
        "month": today.replace(day=1),
        "inspections": 1,
        "score": 5,
        "grade": "A",
    }
    services.duty_inspection_record(
        merchant=vw.shop, month=today, by=w.dave, **{**ALL_MET, "greening": False, "safety": False}
    )
    rating = selectors.merchant_rating(vw.shop, today)
    assert rating["score"] == 4 and rating["grade"] == "B"
    with pytest.raises(ValidationError, match="本月已检查"):
        services.duty_inspection_record(merchant=vw.shop, month=today, by=w.bob, **ALL_MET)


def test_inspection_refused_outside_the_community_or_role(vw):
    w = vw.world
    for outsider in (w.gwen, w.vera, w.max):
        with pytest.raises(ValidationError, match="网格长"):
            services.duty_inspection_record(
                merchant=vw.shop, month=timezone.localdate(), by=outsider, **ALL_MET
            )
    assert not DutyInspection.objects.exists()


def test_five_duties_signed(vw):
    services.merchant_sign_duties(merchant=vw.shop, by=vw.world.max)
    vw.shop.refresh_from_db()
    assert vw.shop.duties_signed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.merchant_sign_duties(merchant=vw.shop, by=vw.world.vera)


def test_monthly_statement_and_merchant_page(vw, client_for):
    w = vw.world
    give_points(vw, w.vera, 100)
    for bill in ("40", "60.50"):
        coupon = services.coupon_take(offer=vw.offer, by=w.vera)
        services.coupon_redeem(token=coupon.token, by=w.max, bill_amount=bill)
    statement = selectors.merchant_statement(vw.shop, timezone.localdate())
    assert statement["count"] == 2 and statement["points"] == 40
    assert str(statement["value"]) == "20.00" and str(statement["bills"]) == "100.50"
    page = client_for(w.max).get("/merchants/")
    text = page.content.decode()
    assert page.status_code == 200 and "好邻居便利店" in text
    assert "139****2222" in text and "13911112222" not in text
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    response = client_for(w.max).get(f"/merchants/{vw.shop.pk}/statement/", {"month": last_month})
    assert 'id="st-count">0<' in response.content.decode()


def test_merchant_pages_are_private(vw, client_for):
    rival = f.UserFactory(username="ruth", community=vw.world.c1)
    assert client_for(rival).get("/merchants/").status_code == 404
    assert client_for(rival).get(f"/merchants/{vw.shop.pk}/statement/").status_code == 404
    assert client_for(vw.world.erin).get(f"/merchants/{vw.shop.pk}/statement/").status_code == 404


def test_staff_register_merchants_with_a_valid_phone(vw):
    with pytest.raises(ValidationError):
        services.merchant_create(
            community=vw.world.c1,
            shop_name="x",
            owner_name="y",
            address="z",
            category="food",
            phone="123",
            by=vw.world.alice,
        )
    with pytest.raises(ValidationError, match="社区工作人员"):
        services.merchant_create(
            community=vw.world.c1,
            shop_name="x",
            owner_name="y",
            address="z",
            category="food",
            by=vw.world.erin,
        )


def test_volunteer_totals_for_statistics(vw, django_assert_num_queries):
    w = vw.world
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=w.vera)
    attendance = services.attendance_check_in(activity=vw.activity, volunteer=vw.vera, by=w.mia)
    services.attendance_check_out(
        attendance=attendance, by=w.mia, at=attendance.checked_in_at + datetime.timedelta(hours=3)
    )
    from volunteers.models import HourRecord

    record = services.hours_confirm(record=HourRecord.objects.get(volunteer=vw.vera), by=w.mia)
    services.hours_correct(record=record, hours="2", by=w.mia, note="扣除路途时间")
    coupon = services.coupon_take(offer=vw.offer, by=w.vera)
    services.coupon_redeem(token=coupon.token, by=w.max, bill_amount="30")
    now = timezone.now()
    with django_assert_num_queries(3):  # hours; points issued; points redeemed
        totals = selectors.volunteer_totals(
            community_ids=[w.c1.pk],
            start=now - datetime.timedelta(days=1),
            end=now + datetime.timedelta(days=1),
        )
    assert totals == {"hours": 2, "active_volunteers": 1, "points_issued": 20, "points_redeemed": 20}
    assert (
        selectors.volunteer_totals(community_ids=[w.c2.pk], start=now - datetime.timedelta(days=1), end=now)[
            "hours"
        ]
        == 0
    )


def test_alliance_page_lists_members_only_with_the_total(vw, client_for):
    w = vw.world
    for name, member in (("联盟面馆", True), ("路边小卖部", False)):
        services.merchant_create(
            community=w.c1,
            shop_name=name,
            owner_name="店主",
            address="桂花路",
            category="food",
            alliance_member=member,
            by=w.alice,
        )
    text = client_for(w.alice).get("/merchants/all/").content.decode()
    assert "联盟面馆" in text and "好邻居便利店" in text
    assert "路边小卖部" not in text
    assert "共 2 家联盟商户" in text
