"""Targeted assistance in Chromium. Staff open a case on the staff form and add a milestone; on a 360×640
phone the companion opens the case and records money in, and a different person confirms it, which moves
the balance (the recorder is not offered the confirmation)."""

import re

import pytest
from django.utils import timezone

from assistance.models import Case, LedgerEntry
from assistance.services import case_save

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_open_a_case_and_add_a_milestone(world, live_server, phone_page, login_page):
    page = phone_page
    login_page(page, world.alice)
    page.goto(f"{live_server.url}/assistance/")
    page.locator("#case-new").click()
    page.wait_for_url("**/assistance/new/")
    page.locator("#id_title").fill("独居老人陪伴帮扶")
    page.locator("#id_household_code").fill(world.h1.code)
    page.locator("#id_resident_name").fill("张桂兰")
    page.locator("#id_companion").select_option(str(world.pete.pk))
    page.locator("#id_new_milestones").fill("重新开口说话\n走出家门")
    page.locator("#case-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/assistance/\d+/$"))
    case = Case.objects.get()
    assert (case.resident, case.companion, case.community) == (world.r1, world.pete, world.c1)

    page.locator("#id_milestone-title").fill("实现第一个心愿")
    page.get_by_role("button", name="添加节点").click()
    page.wait_for_url(f"**/assistance/{case.pk}/")
    items = page.locator("section.card ol li")
    assert [t.split()[0] for t in items.all_inner_texts()] == ["重新开口说话", "走出家门", "实现第一个心愿"]
    assert list(case.milestones.values_list("position", flat=True)) == [1, 2, 3]


def test_companion_records_money_on_the_phone_and_another_person_confirms(
    world, live_server, phone_page, login_page
):
    case = case_save(
        case=Case(title="独居老人陪伴帮扶", resident=world.r1, companion=world.pete), by=world.alice
    )
    page = phone_page
    login_page(page, world.pete)
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#card-helper a[href='/dashboard/assistance/']").click()
    page.locator("#cases a.row", has_text="独居老人陪伴帮扶").click()
    page.wait_for_url(f"**/dashboard/assistance/{case.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "138****5678" in page.locator("#case-person").inner_text()
    assert page.locator("#balance").inner_text() == "0.00"

    form = page.locator("#entry-form")
    form.locator("#id_entry-direction").select_option("in")
    form.locator("#id_entry-amount").fill("2590")
    form.locator("#id_entry-occurred_on").fill(timezone.localdate().isoformat())
    form.locator("#id_entry-note").fill("手工艺品义卖")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/dashboard/assistance/{case.pk}/")
    entry = LedgerEntry.objects.get()
    row = page.locator(f"#entry-{entry.pk}")
    assert "手工艺品义卖" in row.inner_text() and row.locator(".badge").is_visible()
    assert row.locator("form").count() == 0  # the recorder is not offered the confirmation
    assert (page.locator("#balance").inner_text(), page.locator("#pending-count").inner_text()) == (
        "0.00",
        "1",
    )

    page.context.clear_cookies()
    login_page(page, world.alice)
    page.goto(f"{live_server.url}/dashboard/assistance/{case.pk}/")
    page.locator(f"#entry-{entry.pk} form button[type=submit]").click()
    page.wait_for_url(f"**/dashboard/assistance/{case.pk}/")
    assert page.locator("#balance").inner_text() == "2590.00"
    assert page.locator("#pending-count").inner_text() == "0"
    entry.refresh_from_db()
    assert entry.confirmed_by == world.alice
