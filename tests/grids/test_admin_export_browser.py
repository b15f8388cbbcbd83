"""Community staff search the resident list in the admin, press its export button and get a sheet of just
the residents the list shows (in a real browser: the button is a link unfold renders)."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_button_downloads_the_searched_list(world, live_server, page):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/grids/resident/")
    page.fill("#id_username", world.alice.username)
    page.fill("#id_password", world.password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/grids/resident/")

    search = page.locator("input[name=q]")
    search.fill("张桂兰")
    search.press("Enter")
    page.wait_for_url("**/admin/grids/resident/?q=*")
    assert "李建国" not in page.locator("#result_list").inner_text()

    button = page.locator('a[href^="/admin/grids/resident/export/"]')
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(workbook.active.iter_rows(values_only=True))[1:]
    assert [row[0] for row in rows] == ["张桂兰"]
    text = repr(rows)
    assert world.r1.reveal_id_number() not in text and "13812345678" not in text
    assert world.r1.id_number_masked in text
