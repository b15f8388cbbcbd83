"""With scripts on, 不予受理 asks in a dialog (the tick box is hidden): dismissing it sends nothing,
accepting it declines the item."""

import os

import pytest

from petitions.models import Category, Petition
from petitions.services import petition_submit


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
def test_decline_asks_in_a_dialog(world, live_server, phone_page, login_page):
    p = petition_submit(
        kind="request",
        category=Category.objects.create(name="公共设施"),
        description="1栋楼道灯坏了",
        channel="public",
        building=world.b1,
    )
    page = login_page(phone_page, world.alice)
    page.goto(f"{live_server.url}/workbench/{p.pk}/")
    form = page.locator("form[data-action=decline]")
    assert not form.locator("label.confirm").is_visible()
    form.locator("textarea[name=note]").fill("不属于社区事务")
    messages = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    form.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert messages == ["确认不予受理"]
    p.refresh_from_db()
    assert p.status == Petition.Status.SUBMITTED
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "不予受理" in page.locator("#status").inner_text()
    p.refresh_from_db()
    assert p.status == Petition.Status.DECLINED
