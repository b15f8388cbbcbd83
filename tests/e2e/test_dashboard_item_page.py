"""A grid leader on a 360×640 phone opens an item: the resident's number is masked, revealed with a reason
to call; a progress note is confirmed and heads the history; the follow-up is recorded."""

import os

import pytest

from petitions import services as petition_services
from petitions.models import Category, Petition, PetitionEvent

from .test_dashboard_grid_leader import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_during_db_teardown():
    # As in test_dashboard_grid_leader: the live server's flush runs after the per-test flag is undone.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture
def resolved(world):
    """张桂兰's request, resolved by alice with a photo: bob, who did not resolve it, follows it up."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    category = Category.objects.create(name="公共设施", follow_up_after_days=0)
    item = petition_services.petition_submit(
        kind=Petition.Kind.REQUEST,
        category=category,
        description="楼道灯坏了三天",
        channel=Petition.Channel.VISIT,
        household=world.h1,
        submitter_name="张桂兰",
        phone="13812345678",
        by=world.alice,
    )
    petition_services.petition_accept(petition=item, by=world.alice)
    petition_services.petition_start(petition=item, by=world.alice)
    photo = SimpleUploadedFile("lamp.jpg", jpeg_bytes(), content_type="image/jpeg")
    petition_services.petition_resolve(petition=item, by=world.alice, note="已换灯泡", photos=[photo])
    return item


def test_a_grid_leader_calls_notes_progress_and_follows_up(
    live_server, world, resolved, login_page, phone_page
):
    page, item = phone_page, resolved
    login_page(page, world.bob)
    page.goto(f"{live_server.url}/dashboard/items/{item.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    contact = page.locator(f"#contact-{item.pk}")
    assert "张桂兰" in contact.inner_text()
    assert "138****5678" in contact.inner_text() and "13812345678" not in page.content()
    assert page.locator(".photos img").count() == 1
    photo = page.request.get(live_server.url + page.locator(".photos img").get_attribute("src"))
    assert photo.status == 200 and photo.headers["content-type"] == "image/jpeg"  # served to bob

    # Reveal the number to call, with a reason: the answer is a tel: link.
    contact.locator("summary").click()
    contact.locator("input[name=reason]").fill("回访联系居民")
    contact.locator("button[type=submit]").click()
    call = page.locator("a.revealed")
    call.wait_for()
    assert call.get_attribute("href") == "tel:13812345678"
    assert item.events.filter(action=PetitionEvent.Action.REVEAL_PHONE, actor=world.bob).exists()

    # A progress note: confirmed, and first in the history.
    page.locator("details.action", has=page.locator("form[data-action=annotate]")).locator("summary").click()
    note = page.locator("form[data-action=annotate]")
    note.locator("textarea[name=note]").fill("已电话联系，居民说灯已经亮了")
    note.locator("button[type=submit]").click()
    page.locator(".messages .success").wait_for()
    assert "已记录进展" in page.locator(".messages").inner_text()
    assert "13812345678" not in page.content()  # masked again after the reveal's answer
    first = page.locator(f"#timeline-{item.pk} .event").first
    assert "已电话联系，居民说灯已经亮了" in first.inner_text()
    assert "Bob" in first.inner_text()

    # The follow-up, from the phone.
    follow = page.locator("form[data-action=follow_up]")
    follow.locator("input[name=solved][value=yes]").check()
    follow.locator("input[name=satisfaction][value=satisfied]").check()
    follow.locator("button[type=submit]").click()
    follow.wait_for(state="detached")
    assert "已记录回访" in page.locator(f"#item-{item.pk} .notice").inner_text()
    item.refresh_from_db()
    assert (item.status, item.satisfaction) == (Petition.Status.CLOSED, "satisfied")
    assert page.locator(f"#timeline-{item.pk} .event").first.get_attribute("data-action") == "follow_up"
