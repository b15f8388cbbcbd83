"""The grid leader's morning on a 360×640 phone: the overdue item comes first, resolve it with
a photo, record a follow-up, record a visit that raises a new item, and a visit drafted with no signal is
sent once when the connection returns."""

import datetime
import io
import os

import pytest
from django.utils import timezone
from PIL import Image

from petitions import services as petition_services
from petitions.models import Category, Petition
from tests.helpers import wait_for
from visits.models import Visit, VisitItem

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
def morning(world):
    w = world
    w.category = Category.objects.create(name="公共设施", follow_up_after_days=0)

    def submit(description, by):
        return petition_services.petition_submit(
            kind="request",
            category=w.category,
            description=description,
            channel="visit",
            household=w.h1,
            by=by,
        )

    w.fresh = submit("单元门禁有点松", w.bob)
    w.overdue = submit("楼道灯坏了三天", w.bob)
    Petition.objects.filter(pk=w.overdue.pk).update(
        accept_due_at=timezone.now() - datetime.timedelta(hours=5)
    )
    # Resolved by alice: bob, who did not resolve it, records the follow-up.
    w.done = submit("垃圾桶破损", w.alice)
    petition_services.petition_accept(petition=w.done, by=w.alice)
    petition_services.petition_start(petition=w.done, by=w.alice)
    petition_services.petition_resolve(petition=w.done, by=w.alice, note="已更换新垃圾桶")
    return w


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_morning_round(live_server, morning, login_page, phone_page):
    w, page = morning, phone_page
    login_page(page, w.bob)
    page.goto(f"{live_server.url}/dashboard/")
    # Fits the phone: nothing scrolls sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first = page.locator("#items .item-row").first
    assert "楼道灯坏了三天" in first.inner_text()
    assert "overdue" in first.get_attribute("class")
    assert first.locator(".badge.overdue").is_visible()

    # Resolve the overdue item: accept, start, resolve with a note and a photo (htmx swaps the card).
    first.click()
    # Buttons are found by the action they post: their wording comes from the shared catalogues.
    # htmx posts the action and swaps the card in place (the plain form is the fallback without script).
    with page.expect_request(lambda r: r.method == "POST" and r.headers.get("hx-request") == "true"):
        page.locator("form[data-action=accept] button[type=submit]").click()
    page.locator("form[data-action=start] button[type=submit]").click()
    form = page.locator("form[data-action=resolve]")
    form.locator("textarea[name=note]").fill("已更换灯泡")
    form.locator("input[name=photo]").set_input_files(
        files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    form.locator("button[type=submit]").click()
    page.locator("form[data-action=resolve]").wait_for(state="detached")
    w.overdue.refresh_from_db()
    assert w.overdue.status == Petition.Status.RESOLVED
    assert w.overdue.resolution == "已更换灯泡"
    assert w.overdue.photos.count() == 1

    # The follow-up of alice's item, with the resident's satisfaction.
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#follow-ups .item-row", has_text="垃圾桶破损").click()
    follow = page.locator("form[data-action=follow_up]")
    follow.locator("input[name=solved][value=yes]").check()
    follow.locator("input[name=satisfaction][value=satisfied]").check()
    follow.locator("button[type=submit]").click()
    follow.wait_for(state="detached")
    w.done.refresh_from_db()
    assert (w.done.status, w.done.satisfaction) == (Petition.Status.CLOSED, "satisfied")

    # A visit to h1 that raises a new item in the same step.
    page.goto(f"{live_server.url}/dashboard/households/{w.h1.pk}/")
    page.locator(f"a[href='/dashboard/households/{w.h1.pk}/visit/']").click()
    page.get_by_label("张桂兰").check()
    page.locator("textarea[name=situation]").fill("老人腿脚不便，希望有人帮忙买菜")
    page.locator("textarea[name=item_description]").fill("帮独居老人每周买一次菜")
    page.locator("select[name=item_category]").select_option(label="公共设施")
    page.get_by_role("button", name="保存走访").click()
    page.wait_for_url("**/dashboard/visits/*/")
    visit = Visit.objects.get()
    assert list(visit.residents_met.all()) == [w.r1]
    link = VisitItem.objects.get(visit=visit)
    assert (link.petition.channel, link.petition.household_id) == ("visit", w.h1.pk)
    assert page.locator("a.raised").inner_text().startswith(link.petition.tracking_code)


def test_a_visit_drafted_offline_is_sent_once_when_back_online(live_server, world, login_page, phone_page):
    page = phone_page
    login_page(page, world.bob)
    page.goto(f"{live_server.url}/dashboard/households/{world.h1.pk}/visit/")
    page.context.set_offline(True)
    page.get_by_label("张桂兰").check()
    page.locator("textarea[name=situation]").fill("楼下信号不好，先存在手机上")
    page.get_by_role("button", name="保存走访").click()
    status = page.locator("#draft-status")
    status.wait_for(state="visible")
    assert "没有网络" in status.inner_text()
    drafts = page.evaluate("Object.values(JSON.parse(localStorage.getItem('linli.visitDrafts')))")
    assert len(drafts) == 1 and drafts[0]["ready"]
    assert Visit.objects.count() == 0

    page.context.set_offline(False)  # the browser's "online" event sends the draft
    assert wait_for(lambda: Visit.objects.count() == 1)
    page.wait_for_function(
        # A function, not a string: Playwright evaluates a string with eval(), which the CSP refuses.
        "() => Object.keys(JSON.parse(localStorage.getItem('linli.visitDrafts') || '{}')).length === 0"
    )
    # The next page load finds nothing left to send: still one visit.
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    visit = Visit.objects.get()
    assert visit.situation == "楼下信号不好，先存在手机上"
    assert str(visit.client_key) == drafts[0]["key"]
    assert list(visit.residents_met.all()) == [world.r1]


def test_a_draft_survives_a_lost_session_and_is_sent_after_login(live_server, world, login_page, phone_page):
    page = phone_page
    login_page(page, world.bob)
    page.goto(f"{live_server.url}/dashboard/households/{world.h1.pk}/visit/")
    page.context.set_offline(True)
    page.get_by_label("张桂兰").check()
    page.locator("textarea[name=situation]").fill("会话过期时保存")
    page.get_by_role("button", name="保存走访").click()
    page.locator("#draft-status").wait_for(state="visible")
    # The session ends while the phone is offline: the resend meets the login redirect and keeps it.
    page.context.clear_cookies()
    page.context.set_offline(False)
    page.wait_for_function("() => document.getElementById('draft-status').textContent.includes('重新登录')")
    assert Visit.objects.count() == 0
    assert page.evaluate("Object.keys(JSON.parse(localStorage.getItem('linli.visitDrafts'))).length") == 1
    # After logging in again, the next page load sends it, once.
    login_page(page, world.bob)
    assert wait_for(lambda: Visit.objects.count() == 1)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    assert Visit.objects.get().situation == "会话过期时保存"
