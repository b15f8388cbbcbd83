"""The 12345 exchange in Chromium at 1280×800: upload a work-order list, read the preview, confirm,
download the reply file."""

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from petitions.models import Petition
from tests.hotline.conftest import order, xlsx_file


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
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_upload_preview_confirm_and_download_replies(world, live_server, desktop_page, login_page, tmp_path):
    path = tmp_path / "12345工单.xlsx"
    path.write_bytes(xlsx_file([order(1), order(2, 办结时限="明天")]).read())
    page = login_page(desktop_page, world.alice)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/staff/hotline/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#rows")
    assert "已退回" in page.inner_text("#status")
    assert "办结时限：请写日期和时间" in page.inner_text("#rows")
    assert page.locator("#confirm").count() == 0

    path.write_bytes(xlsx_file([order(1), order(2)]).read())
    page.goto(f"{live_server.url}/staff/hotline/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#confirm")
    assert page.inner_text("#count-new") == "2"
    assert not Petition.objects.exists()
    page.click("#confirm")
    page.wait_for_selector("text=导入完成")
    assert set(Petition.objects.values_list("hotline_order_no", flat=True)) == {
        "GD202601010001",
        "GD202601010002",
    }
    with page.expect_download() as download:
        page.click("#replies")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [r[0] for r in list(sheet.iter_rows(values_only=True))[1:]] == ["GD202601010001", "GD202601010002"]
    assert errors == []
