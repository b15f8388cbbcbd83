"""Attendance by QR on a 360×640 phone: the host shows the code, a resident's phone (a second browser
context) follows it and signs in with name and phone's last 4 digits, and is recorded once even when the
form is sent twice."""

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from deliberation.models import Attendance
from tests.e2e.test_volunteer_flow import phone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_attendance_by_the_hosts_qr_code_is_recorded_once(
    transactional_db, world, meeting, browser, live_server, login_page, tmp_path
):
    host, resident = phone(browser), phone(browser)
    login_page(host, world.bob)
    host.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    host.get_by_role("link", name="出示签到码").click()
    expect(host.locator(".qr svg")).to_be_visible()
    assert host.evaluate("document.documentElement.scrollWidth") <= 360

    # The code decodes to the attendance link the page shows.
    shot = tmp_path / "qr.png"
    host.locator(".qr svg").screenshot(path=str(shot))
    decoded = zxingcpp.read_barcodes(Image.open(shot))
    link = host.locator("#attend-link").get_attribute("href")
    assert len(decoded) == 1 and decoded[0].text == link

    for _ in range(2):  # the resident sends it, then opens the link again and sends it once more
        resident.goto(link)
        resident.get_by_label("姓名").fill("张桂兰")
        resident.get_by_label("您手机号的后4位").fill("5678")
        resident.get_by_role("button", name="我已到会").click()
        expect(resident.locator("#attended")).to_contain_text("张桂兰，您已签到")
        assert resident.evaluate("document.documentElement.scrollWidth") <= 360
    assert Attendance.objects.filter(meeting=meeting).count() == 1

    host.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    expect(host.locator("#attendance-count")).to_have_text("1")
    expect(host.locator("#attendances")).to_contain_text("手机尾号5678")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_host_ticks_invitees_on_the_phone(
    transactional_db, world, meeting, browser, live_server, login_page
):
    from deliberation import services as s

    meeting.invited = ["grid_leaders"]
    s.meeting_save(meeting=meeting, by=world.alice)
    s.attendance_scan(token=meeting.attendance_token, user=world.dave)  # dave scanned the code
    host = phone(browser)
    login_page(host, world.bob)
    host.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    rows = host.locator(".roster-row")
    expect(rows.filter(has_text="Dave")).to_contain_text("已到")
    mia = rows.filter(has_text="Mia")
    mia.get_by_role("button", name="签到").click()
    expect(host.locator(".roster-row").filter(has_text="Mia")).to_contain_text("已到")
    assert host.evaluate("document.documentElement.scrollWidth") <= 360
    assert sorted(meeting.attendances.values_list("method", flat=True)) == ["host", "qr"]
    expect(host.locator("#attendance-count")).to_have_text("2")
