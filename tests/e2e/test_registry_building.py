"""A community staff member on a phone (360×640) opens a building page, then a household, and reveals a
phone number with a reason."""

import pytest
from playwright.sync_api import expect

from accounts.models import RevealLog

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_opens_building_page_on_a_phone(world, live_server, phone_page, login_page):
    page = login_page(phone_page, world.alice, world.password)
    page.wait_for_url("**/dashboard/**")
    page.goto(f"{live_server.url}/buildings/{world.b1.pk}/")

    # Both hierarchies, in Chinese, side by side (stacked on a phone).
    expect(page.get_by_role("heading", name="网格管理")).to_be_visible()
    expect(page.get_by_role("heading", name="党组织")).to_be_visible()
    expect(page.get_by_text("桂花第一网格")).to_be_visible()
    expect(page.get_by_text("张桂兰")).to_be_visible()
    expect(page.get_by_text("138****5678")).to_be_visible()
    assert "13812345678" not in page.content()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Open the household and reveal the phone number, giving a reason.
    page.get_by_text("1单元101室").click()
    page.wait_for_url(f"**/households/{world.h1.pk}/")
    page.get_by_text("查看", exact=True).first.click()
    page.select_option("select[name=field]", "phone")
    page.fill("input[name=reason]", "电话回访")
    page.get_by_role("button", name="查看并记录").click()
    expect(page.locator("#revealed-value")).to_have_text("13812345678")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert RevealLog.objects.filter(
        user=world.alice, resident=world.r1, field="phone", reason="电话回访"
    ).exists()
