"""Community staff in Chromium add a co-building unit, sign an agreement with it and register a reporting
party member (双报到) on the staff pages; a bad date gets a translated error and saves nothing."""

import os
import re

import pytest

from cobuilding.models import Agreement, CoBuildingUnit, ReportedMember
from tests import factories as f

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


def test_staff_add_a_unit_an_agreement_and_a_reporting_member(world, live_server, phone_page, login_page):
    f.PartyMemberFactory(
        resident=f.ResidentFactory(name="钱晓东", home=world.h1),
        organisation=world.committee,
        in_service=True,
    )
    page = phone_page
    login_page(page, world.alice)
    page.goto(f"{live_server.url}/cobuilding/units/")
    page.locator("#unit-new").click()
    page.locator("#id_name").fill("桂花中学")
    page.locator("#id_unit_type").select_option("school")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/cobuilding/units/\d+/$"))
    unit = CoBuildingUnit.objects.get()
    assert page.get_by_role("heading", name="桂花中学").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("#agreement-new").click()
    page.locator("#id_title").fill("校社共建协议")
    page.locator("#id_signed_on").fill("2026-05-01")
    page.locator("#id_ends_on").fill("2026-04-01")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("截止日期不能早于签订日期。").first.is_visible()
    assert not Agreement.objects.exists()
    page.locator("#id_ends_on").fill("2027-04-30")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/cobuilding/units/{unit.pk}/")
    assert page.get_by_text("校社共建协议").is_visible()

    page.locator("#member-new").click()
    page.locator("#id_member").select_option(label="钱晓东")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/cobuilding/units/{unit.pk}/")
    assert page.get_by_text("钱晓东").first.is_visible()
    assert ReportedMember.objects.get().unit == unit
