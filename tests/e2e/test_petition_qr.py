"""A resident scans the building's QR code on a phone, sends a wish in Chinese with a photo, gets a
tracking code, and sees the status change after staff act."""

import io
import os
import re

import pytest
from PIL import Image

from petitions.models import Category, PendingPhoto, Petition
from tests.petitions.conftest import last_sms_code


@pytest.fixture(scope="session", autouse=True)
def _test_database_before_the_browser(django_db_setup):
    """Create the test database before Playwright starts its event loop (as test_smoke_pages does)."""


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_during_db_teardown():
    # The live server's flush runs after the per-test flag of tests/e2e/conftest.py is undone.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.mark.django_db(transaction=True)
def test_qr_wish_with_photo_then_status_changes(
    world, live_server, phone_page, browser, login_page, settings, tmp_path
):
    settings.PETITION_FORM_MIN_SECONDS = 0
    category = Category.objects.create(name="为老服务")
    photo = tmp_path / "lamp.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buf, format="JPEG")
    photo.write_bytes(buf.getvalue())

    page = phone_page
    page.goto(f"{live_server.url}/petitions/new/?building=b1token")
    assert "1栋" in page.content()
    page.check("input[name=kind][value=wish]")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("textarea[name=description]", "家里老人腿脚不便，希望有志愿者每周帮忙买一次菜")
    page.set_input_files("input[name=photos]", str(photo))
    label = page.locator("label[for=id_captcha_answer]").inner_text()
    a, b = re.findall(r"(\d+) \+ (\d+)", label)[0]
    page.fill("input[name=captcha_answer]", str(int(a) + int(b)))
    # The page fits a 360 px phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Enter in a text field sends the form (it must not ask for an SMS code instead).
    page.fill("input[name=name]", "王阿姨")
    page.press("input[name=name]", "Enter")

    code = page.locator("#tracking-code").inner_text().strip()
    petition = Petition.objects.get(tracking_code=code)
    assert petition.kind == "wish" and petition.building == world.b1 and petition.photos.count() == 1
    assert "已提交" in page.locator("#status").inner_text()

    # Bob, the grid leader, accepts it from the workbench on his own phone.
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    staff = login_page(context.new_page(), world.bob)
    staff.goto(f"{live_server.url}/workbench/")
    staff.click(f"text={code}")
    staff.click("form[data-action=accept] button")
    assert "已受理" in staff.locator("#status").inner_text()
    context.close()
    petition.refresh_from_db()
    assert petition.status == "accepted"
    page.reload()
    assert "已受理" in page.locator("#status").inner_text()
    assert page.locator(".photos img").count() == 1


def _fill_wish(page, live_server, photo):
    category = Category.objects.create(name="公共设施")
    page.goto(f"{live_server.url}/petitions/new/?building=b1token")
    page.check("input[name=kind][value=wish]")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("textarea[name=description]", "楼下路灯坏了，晚上老人出门看不清")
    page.set_input_files("input[name=photos]", str(photo))


def _answer_question(page):
    label = page.locator("label[for=id_captcha_answer]").inner_text()
    a, b = re.findall(r"(\d+) \+ (\d+)", label)[0]
    page.fill("input[name=captcha_answer]", str(int(a) + int(b)))


def _lamp_photo(tmp_path):
    photo = tmp_path / "路灯.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), "yellow").save(buf, format="JPEG")
    photo.write_bytes(buf.getvalue())
    return photo


@pytest.mark.django_db(transaction=True)
def test_photo_survives_the_sms_code_button_and_is_attached_on_the_first_try(
    world, live_server, phone_page, settings, tmp_path
):
    settings.PETITION_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    _fill_wish(page, live_server, _lamp_photo(tmp_path))
    page.fill("input[name=phone]", "13800005678")
    page.click("button[name=send_code]")

    kept = page.locator("#kept-photos")
    assert "已保留您选择的照片" in kept.inner_text() and "路灯.jpg" in kept.inner_text()
    assert page.input_value("textarea[name=description]").startswith("楼下路灯坏了")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("input[name=phone_code]", last_sms_code("13800005678"))
    _answer_question(page)
    page.click("button.primary[name=submit]")

    code = page.locator("#tracking-code").inner_text().strip()
    petition = Petition.objects.get(tracking_code=code)
    assert petition.phone_verified and petition.photos.count() == 1
    assert not PendingPhoto.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_validation_error_keeps_the_photo(world, live_server, phone_page, settings, tmp_path):
    settings.PETITION_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    _fill_wish(page, live_server, _lamp_photo(tmp_path))
    page.fill("input[name=captcha_answer]", "99")  # a wrong answer to the anti-spam question
    page.click("button.primary[name=submit]")

    assert "验证题答案不对" in page.locator(".field .errors").inner_text()
    assert "路灯.jpg" in page.locator("#kept-photos").inner_text()
    _answer_question(page)
    page.click("button.primary[name=submit]")

    code = page.locator("#tracking-code").inner_text().strip()
    assert Petition.objects.get(tracking_code=code).photos.count() == 1
