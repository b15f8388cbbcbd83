"""The responsible grid leader on a 360×640 phone: opens the project from the reminder's link, adds a
photo to a milestone and marks it done; the photo shows and the progress moves."""

import io
import os

import pytest
from PIL import Image

from projects.models import Evidence, Milestone
from tests.projects import conftest as project_fixtures

pytestmark = pytest.mark.django_db(transaction=True)

# The fixtures of tests/projects, shared rather than copied.
make_project = project_fixtures.make_project
media = project_fixtures.media


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


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_grid_leader_adds_a_milestone_photo_on_a_phone(
    world, make_project, media, live_server, phone_page, login_page
):
    project = make_project(milestones=[("选址", 2), ("建成3000个车位", 40)])
    first = project.milestones.order_by("due_on").first()
    page = phone_page
    login_page(page, world.bob)
    page.goto(f"{live_server.url}/dashboard/projects/")
    page.get_by_role("link", name="电动车集中充电停车").click()
    page.wait_for_url(f"**/dashboard/projects/{project.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    card = page.locator(f"#milestone-{first.pk}")
    assert "已逾期" in card.inner_text()  # the milestone is marked overdue
    card.locator("input[name=photos]").set_input_files(
        files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    card.locator("textarea[name=note]").fill("选址现场照片")
    card.get_by_label("该节点已完成").check()
    card.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/dashboard/projects/{project.pk}/")
    assert "已保存" in page.locator(".messages").inner_text()
    card = page.locator(f"#milestone-{first.pk}")
    card.locator("img").first.wait_for()
    # The private photo really loads (the page is the responsible person's, the file is served to him).
    loaded = "img => img.complete ? img.naturalWidth : new Promise(r => { img.onload = () => r(img.naturalWidth); })"
    assert card.locator("img").evaluate(loaded) > 0
    assert "选址现场照片" in card.inner_text() and "完成" in card.inner_text()
    assert "50%" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    evidence = Evidence.objects.get()
    assert (evidence.milestone_id, evidence.uploaded_by_id) == (first.pk, world.bob.pk)
    assert Milestone.objects.get(pk=first.pk).done_on is not None
