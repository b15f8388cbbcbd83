"""A volunteer's home on a 360×640 phone: their claimed wish, hours, points and activities as large
cards, the bell, and one tap to the volunteer page."""

import os

import pytest

from petitions import services as petition_services
from petitions.models import Category, Petition
from tests.volunteers.conftest import build_volunteer_world
from volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_during_db_teardown():
    # As in test_language_switch: the live server's flush runs after the per-test flag is undone.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture
def volunteer_day(world):
    vw = build_volunteer_world(world)
    volunteer_services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=world.vera)
    category = Category.objects.create(name="生活帮扶")
    wish = petition_services.petition_submit(
        kind=Petition.Kind.WISH,
        category=category,
        description="独居老人想要一台收音机",
        channel=Petition.Channel.VISIT,
        household=world.h1,
        by=world.alice,
    )
    petition_services.petition_accept(petition=wish, by=world.alice)
    petition_services.petition_transition(petition=wish, action="publish_wish", by=world.alice, note="收音机")
    petition_services.petition_claim(petition=wish, by=world.vera)
    from notifications.models import Notification

    Notification.objects.create(user=world.vera, title="明晚巡逻")
    vw.wish = wish
    return vw


def test_volunteer_home_on_a_phone(live_server, volunteer_day, login_page, phone_page):
    vw, page = volunteer_day, phone_page
    login_page(page, vw.world.vera)
    page.goto(f"{live_server.url}/dashboard/")
    # Fits the phone: nothing scrolls sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    tasks = page.locator("#card-helper")
    assert "收音机" in tasks.inner_text()
    volunteer = page.locator("#card-volunteer")
    assert "夜间安全巡逻" in volunteer.inner_text()
    # Large touch targets: every link on the cards is at least 44 px high.
    for link in page.locator("#card-helper a, #card-volunteer a").all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()
    assert page.locator("a.bell .badge").inner_text() == "1"
    # One tap to the claimed wish, back, one tap to the activities.
    tasks.locator(f"a[href='/dashboard/items/{vw.wish.pk}/']").click()
    page.wait_for_url(f"**/dashboard/items/{vw.wish.pk}/")
    assert "收音机" in page.content()
    page.go_back()
    volunteer.locator("a.link-tile[href='/volunteers/']").click()
    page.wait_for_url("**/volunteers/")
    assert "夜间安全巡逻" in page.content()
