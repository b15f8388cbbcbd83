"""A community staff member's registry work in the admin, in a real browser (Chromium)."""

import re

from playwright.sync_api import expect

from accounts.models import RevealLog


def test_staff_finds_resident_by_phone_digits_and_reveals_id(world, live_server, page):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", world.password)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.goto(f"{live_server.url}/admin/grids/resident/?q=5678")
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("张桂兰")
    expect(row.first).to_contain_text("138****5678")
    expect(page.locator("body")).not_to_contain_text("13812345678")
    row.first.locator("a", has_text="张桂兰").first.click()
    page.wait_for_url(re.compile(r"/change/"))
    page.goto(page.url.replace("/change/", "/reveal/"))
    page.select_option("#id_field", "id_number")
    page.fill("#id_reason", "核实高龄补贴")
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.get_by_test_id("revealed-value")).to_have_text(world.r1.reveal_id_number())
    assert RevealLog.objects.filter(user=world.alice, resident=world.r1, reason="核实高龄补贴").exists()
