"""On a 360×640 phone: a volunteer signs up, checks in by the QR link, the leader confirms the hours,
points arrive, the volunteer takes a love coupon, and the shop scans and redeems it."""

import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.volunteers.conftest import build_volunteer_world
from volunteers.models import Account, Coupon, HourRecord


@pytest.fixture
def vw(world):
    return build_volunteer_world(world)


def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    return context.new_page()


@pytest.mark.django_db(transaction=True)
def test_an_hour_of_work_becomes_a_redeemed_coupon(
    transactional_db,
    vw,
    browser,
    live_server,
    login_page,
    tmp_path,
):
    w = vw.world
    volunteer, leader, shop = phone(browser), phone(browser), phone(browser)
    login_page(volunteer, w.vera)
    login_page(leader, w.mia)
    login_page(shop, w.max)

    # The volunteer signs up from the dashboard.
    volunteer.goto(f"{live_server.url}/volunteers/")
    volunteer.get_by_role("link", name="夜间安全巡逻").click()
    volunteer.get_by_role("button", name="报名").click()
    expect(volunteer.get_by_text("报名成功")).to_be_visible()
    assert volunteer.evaluate("document.documentElement.scrollWidth") <= 360

    # The leader shows the rotating code; the volunteer follows its link, once to check in, once to leave.
    leader.goto(f"{live_server.url}/volunteers/activities/{vw.activity.pk}/qr/")
    expect(leader.locator(".qr svg")).to_be_visible()
    link = leader.locator("#checkin-link").get_attribute("href")
    volunteer.goto(link)
    volunteer.get_by_role("button", name="签到 / 签退").click()
    expect(volunteer.get_by_text("签到成功")).to_be_visible()
    volunteer.goto(link)
    volunteer.get_by_role("button", name="签到 / 签退").click()
    expect(volunteer.get_by_text("服务时长待队长确认")).to_be_visible()

    # The leader confirms two hours.
    leader.goto(f"{live_server.url}/volunteers/activities/{vw.activity.pk}/")
    leader.locator("input[name=hours]").first.fill("2")
    leader.get_by_role("button", name="确认时长").click()
    expect(leader.get_by_text("时长已确认")).to_be_visible()
    assert HourRecord.objects.get(volunteer=vw.vera).status == "confirmed"

    # Points arrive; the volunteer takes a love coupon.
    volunteer.goto(f"{live_server.url}/volunteers/")
    expect(volunteer.locator("#my-points")).to_have_text("20")
    volunteer.get_by_role("link", name="爱心券").first.click()
    volunteer.locator("li", has_text="满50减10").get_by_role("button", name=re.compile("兑换")).click()
    expect(volunteer.get_by_text("兑换成功")).to_be_visible()
    assert volunteer.evaluate("document.documentElement.scrollWidth") <= 360

    # The shop scans the coupon's QR code from the volunteer's screen and redeems it on a 58-yuan bill.
    shot = tmp_path / "coupon.png"
    volunteer.locator(".qr svg").screenshot(path=str(shot))
    decoded = zxingcpp.read_barcodes(Image.open(shot))
    assert len(decoded) == 1 and "/merchants/redeem/" in decoded[0].text
    shop.goto(decoded[0].text)
    shop.get_by_label("消费金额（元）").fill("58")
    shop.get_by_role("button", name="核销").click()
    expect(shop.get_by_text("已核销")).to_be_visible()
    expect(shop.get_by_role("heading", name="好邻居便利店")).to_be_visible()

    coupon = Coupon.objects.get(holder=w.vera)
    assert coupon.status == "redeemed" and str(coupon.bill_amount) == "58.00"
    assert Account.objects.get(merchant=vw.shop).balance == 20
    assert Account.objects.get(user=w.vera).balance == 0

    # A second scan of the same code is refused.
    shop.goto(decoded[0].text)
    shop.get_by_label("消费金额（元）").fill("58")
    shop.get_by_role("button", name="核销").click()
    expect(shop.get_by_text("这张券已使用过")).to_be_visible()
