"""Community staff on a 360×640 phone: open a need, see the suggested resource, confirm the match; the
project is created and linked from the page."""

import os

import pytest

from cobuilding.models import Kind, Need
from cobuilding.services import need_save
from tests.cobuilding import conftest as cobuilding_fixtures

pytestmark = pytest.mark.django_db(transaction=True)

make_unit = cobuilding_fixtures.make_unit
make_resource = cobuilding_fixtures.make_resource


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


def test_staff_confirm_a_match_on_a_phone(
    world, make_unit, make_resource, live_server, phone_page, login_page
):
    need = need_save(need=Need(community=world.c1, title="老年书法课场地", kind=Kind.VENUE), by=world.alice)
    make_resource(make_unit("桂花小学"), "多功能教室", availability_note="周末")
    page = phone_page
    login_page(page, world.alice)
    page.goto(f"{live_server.url}/cobuilding/needs/")
    page.get_by_role("link", name="老年书法课场地").click()
    page.wait_for_url(f"**/cobuilding/needs/{need.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "多功能教室" in page.locator("table").inner_text()
    page.get_by_role("button", name="确认对接").click()
    page.wait_for_url(f"**/cobuilding/needs/{need.pk}/")
    assert "对接已确认" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="老年书法课场地").first.click()
    page.wait_for_url("**/projects/*/")
    assert "老年书法课场地" in page.locator("h1").inner_text()
