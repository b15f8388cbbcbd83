"""Notification settings on a 360×640 phone: a grid leader goes from the dashboard's bell to the inbox,
opens the settings (also linked under the home page's notifications), chooses the daily digest for e-mail and SMS for urgent notices only, and saves."""

import pytest

from notifications.models import NotificationPreference


@pytest.mark.django_db(transaction=True)
def test_grid_leader_chooses_channels_on_the_phone(world, live_server, phone_page, login_page):
    page = login_page(phone_page, world.bob)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_attribute("#dashboard-notification-settings", "href") == "/notifications/settings/"
    page.click("a.bell")
    page.click("#notification-settings")
    page.wait_for_selector("#preferences-form")
    assert "免打扰" in page.inner_text("#channel-sms")  # the quiet hours, in Chinese
    # Nothing wider than the phone: every choice is reachable without scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.check("#channel-email input[value=daily]")
    page.check("#channel-sms input[value=urgent]")
    page.click("#save-preferences")
    page.wait_for_selector(".messages li")
    assert "通知设置已保存" in page.inner_text(".messages")
    assert page.is_checked("#channel-email input[value=daily]")
    pref = NotificationPreference.objects.get(user=world.bob)
    assert (pref.email, pref.wechat, pref.sms) == ("daily", "each", "urgent")
    assert errors == []
