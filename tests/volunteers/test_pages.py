"""The pages and API actions people use: what they show, and bad input refused with a Chinese message."""

import datetime

from django.utils import timezone

from volunteers import services
from volunteers.models import Attendance, Coupon, DutyInspection, HourRecord, VolunteerProfile

from .conftest import give_points


def test_registering_as_a_volunteer_from_the_page(vw, client_for):
    response = client_for(vw.world.carol).post(
        "/volunteers/", {"skills": "理发", "availability": "周末"}, follow=True
    )
    assert "您已成为注册志愿者" in response.content.decode()
    profile = VolunteerProfile.objects.get(user=vw.world.carol)
    assert profile.resident == vw.world.r1 and profile.community == vw.world.c1


def test_home_shows_hours_reference_stars_and_points(vw, client_for):
    VolunteerProfile.objects.filter(pk=vw.vera.pk).update(confirmed_hours=300)
    give_points(vw, vw.world.vera, 12)
    text = client_for(vw.world.vera).get("/volunteers/").content.decode()
    assert "★★<" in text and "参考星级" in text and 'id="my-points">12<' in text
    assert "全国志愿服务信息系统" in text


def test_leader_checks_a_volunteer_in_and_out_from_the_activity_page(vw, client_for):
    signup = services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    leader = client_for(vw.world.mia)
    url = f"/volunteers/activities/{vw.activity.pk}/attendance/"
    assert "已签到" in leader.post(url, {"signup": signup.pk}, follow=True).content.decode()
    assert "已签退" in leader.post(url, {"signup": signup.pk}, follow=True).content.decode()
    assert Attendance.objects.get(volunteer=vw.vera).method == "leader"
    assert HourRecord.objects.get(volunteer=vw.vera).status == "proposed"


def test_bad_check_in_codes_and_hours_are_refused_on_the_page(vw, client_for):
    vera = client_for(vw.world.vera)
    response = vera.get("/volunteers/checkin/1:forged:code/")
    assert response.status_code == 400 and "签到码无效" in response.content.decode()
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    attendance = services.attendance_check_in(activity=vw.activity, volunteer=vw.vera, by=vw.world.mia)
    services.attendance_check_out(
        attendance=attendance, by=vw.world.mia, at=timezone.now() + datetime.timedelta(hours=1)
    )
    record = HourRecord.objects.get(volunteer=vw.vera)
    response = client_for(vw.world.mia).post(
        f"/volunteers/hours/{record.pk}/confirm/", {"hours": "-2"}, follow=True
    )
    assert "时长不能为负数" in response.content.decode()
    response = client_for(vw.world.vera).post(
        f"/volunteers/hours/{record.pk}/confirm/", {"hours": "2"}, follow=True
    )
    assert "只有本队队长可以确认时长" in response.content.decode()
    assert HourRecord.objects.get(pk=record.pk).status == "proposed"


def test_the_activity_qr_page_is_for_the_leader(vw, client_for):
    response = client_for(vw.world.mia).get(f"/volunteers/activities/{vw.activity.pk}/qr/")
    assert response.status_code == 200 and "<svg" in response.content.decode()
    assert 'http-equiv="refresh"' in response.content.decode()
    assert client_for(vw.world.vera).get(f"/volunteers/activities/{vw.activity.pk}/qr/").status_code == 404


def test_coupon_page_shows_the_qr_to_its_holder_only(vw, client_for):
    give_points(vw, vw.world.vera, 20)
    coupon = services.coupon_take(offer=vw.offer, by=vw.world.vera)
    text = client_for(vw.world.vera).get(f"/coupons/{coupon.token}/").content.decode()
    # Next to the QR code, the 8-digit code to read out when it cannot be scanned.
    assert "<svg" in text and f'<strong id="coupon-code">{coupon.code[:4]} {coupon.code[4:]}</strong>' in text
    assert client_for(vw.world.carol).get(f"/coupons/{coupon.token}/").status_code == 404


def test_another_shop_cannot_redeem_on_the_page(vw, client_for):
    give_points(vw, vw.world.vera, 20)
    coupon = services.coupon_take(offer=vw.offer, by=vw.world.vera)
    response = client_for(vw.world.alice).post(
        "/merchants/redeem/", {"token": coupon.token, "bill_amount": "50"}, follow=True
    )
    assert "这张券属于其他商户" in response.content.decode()
    assert Coupon.objects.get(pk=coupon.pk).status == "issued"


def test_grid_leader_inspects_a_shop_from_the_page(vw, client_for):
    bob = client_for(vw.world.bob)
    assert "好邻居便利店" in bob.get("/merchants/all/").content.decode()
    response = bob.post(
        f"/merchants/{vw.shop.pk}/inspect/", {"cleanliness": "on", "order": "on", "safety": "on"}, follow=True
    )
    assert "检查结果已记录" in response.content.decode()
    assert DutyInspection.objects.get(merchant=vw.shop).duties_met == 3


def test_api_sign_up_take_and_redeem(vw, client_for):
    api = client_for(vw.world.vera)
    assert api.post(f"/api/v1/volunteer-activities/{vw.activity.pk}/sign-up/").status_code == 201
    response = api.post(f"/api/v1/volunteer-activities/{vw.activity.pk}/sign-up/")
    assert response.status_code == 400 and response.json()["detail"] == "您已报名。"
    assert api.post(f"/api/v1/offers/{vw.offer.pk}/take/").json()["detail"] == "积分不足。"
    give_points(vw, vw.world.vera, 20)
    token = api.post(f"/api/v1/offers/{vw.offer.pk}/take/").json()["token"]
    shop = client_for(vw.world.max)
    response = shop.post(
        "/api/v1/coupons/redeem/", {"token": token, "bill_amount": "30"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "redeemed"
    response = shop.post(
        "/api/v1/coupons/redeem/", {"token": token, "bill_amount": "30"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["detail"] == "这张券已使用过。"


def test_leader_publishes_an_activity_from_the_phone(vw, client_for):
    leader = client_for(vw.world.mia)
    assert f"/volunteers/teams/{vw.team.pk}/activities/new/" in leader.get("/volunteers/").content.decode()
    data = {
        "title": "垃圾分类宣传",
        "starts_at": "2030-05-01T09:00",
        "ends_at": "2030-05-01T08:00",
        "place": "广场",
        "capacity": "8",
    }
    response = leader.post(f"/volunteers/teams/{vw.team.pk}/activities/new/", data)
    assert "活动结束时间必须晚于开始时间" in response.content.decode()
    response = leader.post(
        f"/volunteers/teams/{vw.team.pk}/activities/new/", {**data, "ends_at": "2030-05-01T11:00"}
    )
    assert response.status_code == 302
    assert vw.team.activities.filter(title="垃圾分类宣传", capacity=8).exists()
    assert client_for(vw.world.vera).get(f"/volunteers/teams/{vw.team.pk}/activities/new/").status_code == 404


def test_staff_award_points_and_record_party_points(vw, client_for):
    w = vw.world
    rule = services.point_rule_create(community=w.c1, kind="action", name="认领微心愿", points=15, by=w.alice)
    services.points_top_up(community=w.c1, points=15, source="共建单位捐赠", by=w.alice)
    staff = client_for(w.alice)
    response = staff.post(
        "/volunteers/staff/award/",
        {"rule": rule.pk, "volunteer": vw.vera.pk, "memo": "帮独居老人买菜"},
        follow=True,
    )
    assert "积分已发放" in response.content.decode()
    from volunteers.models import Account, PartyPointRecord

    assert Account.objects.get(user=w.vera).balance == 15
    assert client_for(w.vera).get("/volunteers/staff/award/").status_code == 404
    staff = client_for(w.alice)
    response = staff.post(
        "/admin/volunteers/partypointrecord/add/",
        {"community": w.c1.pk, "member": w.pete.pk, "points": "3", "reason": "参加志愿服务"},
    )
    assert response.status_code == 302
    assert PartyPointRecord.objects.get(member=w.pete).recorded_by == w.alice
    response = staff.post(
        "/admin/volunteers/partypointrecord/add/",
        {"community": w.c1.pk, "member": w.vera.pk, "points": "3", "reason": "x"},
    )
    assert response.status_code == 200 and not PartyPointRecord.objects.filter(member=w.vera).exists()


def test_a_shop_publishes_a_love_coupon(vw, client_for):
    shop = client_for(vw.world.max)
    url = f"/merchants/{vw.shop.pk}/offers/new/"
    data = {
        "title": "理发八折",
        "value": "8",
        "points_cost": "15",
        "quantity": "20",
        "valid_until": "2020-01-01T00:00",
    }
    assert "有效期必须晚于现在" in shop.post(url, data).content.decode()
    assert shop.post(url, {**data, "valid_until": "2099-01-01T00:00"}).status_code == 302
    assert vw.shop.offers.filter(title="理发八折", points_cost=15).exists()
    assert client_for(vw.world.vera).get(url).status_code == 404
