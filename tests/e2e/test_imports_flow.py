"""The registry import in Chromium at 1280×800: upload a sheet, read the preview, confirm, see the result."""

import os

import pytest

from grids.models import Resident
from tests.imports.conftest import person, xlsx_file


@pytest.fixture(scope="session", autouse=True)
def _test_database_before_the_browser(django_db_setup):
    """Create the test database before Playwright starts its event loop (as test_smoke_pages does)."""


@pytest.fixture(autouse=True, scope="module")
def _allow_orm_during_db_teardown():
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_upload_preview_confirm(world, live_server, desktop_page, login_page, tmp_path):
    upload = xlsx_file([person(world, 1), person(world, 2, 姓名="孙丽", 性别="女", 公民身份号码="")])
    path = tmp_path / "台账.xlsx"
    path.write_bytes(upload.read())
    page = login_page(desktop_page, world.alice)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/staff/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#rows")
    assert "已退回" in page.inner_text("#status")
    assert "公民身份号码：此项必填" in page.inner_text("#rows")
    assert page.locator("#confirm").count() == 0

    path.write_bytes(xlsx_file([person(world, 1)]).read())
    page.goto(f"{live_server.url}/staff/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#confirm")
    assert page.inner_text("#count-new") == "1"
    assert "赵新民" in page.inner_text("#rows")
    assert not Resident.objects.filter(name="赵新民").exists()
    page.click("#confirm")
    page.wait_for_selector("text=导入完成")
    assert "已导入" in page.inner_text("#status")
    assert Resident.objects.filter(name="赵新民").count() == 1
    page.goto(f"{live_server.url}/staff/imports/")
    assert page.locator("table a", has_text="台账.xlsx").count() == 2
    assert errors == []
