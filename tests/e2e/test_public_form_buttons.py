"""On a 360×640 phone the public form's two buttons are told apart (获取短信验证码 outlined, 提交 filled) and
every touch target of the form and the tracking pages is at least 44 px high."""

import os

import pytest

from petitions.models import Petition

pytestmark = pytest.mark.django_db(transaction=True)

# What a finger presses: buttons, the fields, and for a radio or checkbox the label around it.
TOUCH_TARGETS = (
    "main button:not(.hp), main label:has(input[type=radio]), main label:has(input[type=checkbox]),"
    " main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), main select, main textarea"
)


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


def _short_targets(page):
    """The visible touch targets lower than 44 px, by their text or name."""
    assert page.locator("main input[type=radio]:not(label input)").count() == 0
    short = []
    for target in page.locator(f"{TOUCH_TARGETS}, .topbar select").all():
        box = target.bounding_box()
        if box is not None and target.is_visible() and box["height"] < 44:
            short.append((target.inner_text() or target.get_attribute("name"), box["height"]))
    return short


def _background(locator):
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def test_sms_code_button_is_secondary_and_targets_are_large(world, live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/petitions/new/?building=b1token")
    send_code = page.get_by_role("button", name="获取短信验证码")
    send = page.get_by_role("button", name="提交", exact=True)
    assert send_code.is_visible() and send.is_visible()
    assert _background(send_code) != _background(send)
    assert send_code.bounding_box()["height"] >= 44 and send.bounding_box()["height"] >= 44
    assert _short_targets(page) == []


def test_tracking_and_lookup_pages_have_large_targets(world, live_server, phone_page, category_resolved):
    page = phone_page
    page.goto(f"{live_server.url}/petitions/track/{category_resolved.tracking_code}/")
    assert page.get_by_role("button", name="提交评价").is_visible()
    assert _short_targets(page) == []
    page.goto(f"{live_server.url}/petitions/track/?code=nosuch-code")
    assert "没有找到这个查询码" in page.locator("main").inner_text()
    assert page.locator("#code").input_value() == "nosuch-code"
    assert _short_targets(page) == []


@pytest.fixture
def category_resolved(world):
    from petitions import services as s
    from petitions.models import Category

    category = Category.objects.create(name="公共设施")
    p = s.petition_submit(
        kind="request", category=category, description="1栋楼道灯坏了", channel="public", building=world.b1
    )
    s.petition_accept(petition=p, by=world.bob)
    s.petition_start(petition=p, by=world.bob)
    s.petition_resolve(petition=p, by=world.bob, note="已更换灯泡")
    return Petition.objects.get(pk=p.pk)
