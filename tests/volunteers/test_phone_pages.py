"""Volunteers sign up and cancel from the list the dashboard links to (/volunteers/), and the
volunteer and merchant pages fit a 360×640 phone without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from volunteers.models import SignUp

from .conftest import build_volunteer_world


def _active(vw):
    return SignUp.objects.filter(activity=vw.activity, volunteer=vw.vera, status=SignUp.Status.ACTIVE)


def test_signing_up_from_the_list_returns_to_the_list(vw, client_for):
    vera = client_for(vw.world.vera)
    home = vera.get("/volunteers/").content.decode()
    assert f'action="/volunteers/activities/{vw.activity.pk}/signup/"' in home
    response = vera.post(
        f"/volunteers/activities/{vw.activity.pk}/signup/",
        {"next": f"/volunteers/#activity-{vw.activity.pk}"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/volunteers/#activity-{vw.activity.pk}"
    assert _active(vw).exists()
    home = vera.get("/volunteers/").content.decode()
    assert "报名成功。" in home and "取消报名" in home
    vera.post(
        f"/volunteers/activities/{vw.activity.pk}/signup/", {"action": "cancel", "next": "/volunteers/"}
    )
    assert not _active(vw).exists()
    assert "已取消报名。" in vera.get("/volunteers/").content.decode()


def test_a_foreign_next_address_is_ignored(vw, client_for):
    response = client_for(vw.world.vera).post(
        f"/volunteers/activities/{vw.activity.pk}/signup/", {"next": "https://evil.example/phish"}
    )
    assert response["Location"] == f"/volunteers/activities/{vw.activity.pk}/"


def test_a_full_activity_offers_no_sign_up_button(vw, client_for):
    vw.activity.__class__.objects.filter(pk=vw.activity.pk).update(capacity=0)
    home = client_for(vw.world.vera).get("/volunteers/").content.decode()
    assert "已满" in home
    assert f'id="activity-{vw.activity.pk}"' in home


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def _phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    return context.new_page()


def _login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "linli-pass-2024")
    page.click("button[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_volunteer_signs_up_and_cancels_from_the_list(
    transactional_db, world, browser, live_server
):
    vw = build_volunteer_world(world)
    page = _phone(browser)
    _login(page, live_server, world.vera)
    page.goto(f"{live_server.url}/volunteers/")
    card = page.locator(f"#activity-{vw.activity.pk}")
    expect(card.get_by_role("button", name="报名")).to_be_visible()
    assert card.get_by_role("button", name="报名").bounding_box()["height"] >= 44  # a thumb-sized target
    assert _fits(page)

    card.get_by_role("button", name="报名").click()
    expect(page.get_by_text("报名成功。")).to_be_visible()
    expect(card.get_by_text("已报名")).to_be_visible()
    assert _active(vw).exists()

    card.get_by_role("button", name="取消报名").click()
    expect(page.get_by_text("已取消报名。")).to_be_visible()
    expect(card.get_by_role("button", name="报名", exact=True)).to_be_visible()
    assert not _active(vw).exists()

    for path in [f"/volunteers/activities/{vw.activity.pk}/", "/coupons/"]:
        page.goto(f"{live_server.url}{path}")
        assert _fits(page), path

    # The leader's activity page (roster and hours tables) and the shop's page fit too.
    leader = _phone(browser)
    _login(leader, live_server, world.mia)
    leader.goto(f"{live_server.url}/volunteers/activities/{vw.activity.pk}/")
    expect(leader.get_by_role("link", name="显示签到二维码")).to_be_visible()
    assert _fits(leader)
    shop = _phone(browser)
    _login(shop, live_server, world.max)
    shop.goto(f"{live_server.url}/merchants/")
    expect(shop.get_by_text("好邻居便利店").first).to_be_visible()
    assert _fits(shop)
