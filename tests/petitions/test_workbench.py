import io

import pytest
from PIL import Image

from petitions import services as s
from petitions.models import Petition, PetitionPhoto

pytestmark = pytest.mark.django_db


def photo_file():
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG")
    out.seek(0)
    out.name = "fixed.png"
    return out


def test_staff_carry_an_item_through_the_loop_in_the_browser_pages(world, client, submit):
    p = submit(world)
    client.force_login(world.alice)
    page = client.get("/workbench/")
    assert p.tracking_code in page.content.decode()
    detail = client.get(f"/workbench/{p.pk}/")
    assert "138****2222" in detail.content.decode() and "13811112222" not in detail.content.decode()
    assert client.post(f"/workbench/{p.pk}/", {"action": "accept"}).status_code == 302
    client.post(f"/workbench/{p.pk}/", {"action": "dispatch", "assignee": world.bob.pk})
    client.force_login(world.bob)
    client.post(f"/workbench/{p.pk}/", {"action": "start"})
    client.post(f"/workbench/{p.pk}/", {"action": "resolve", "note": "已修复", "photos": [photo_file()]})
    p.refresh_from_db()
    assert p.status == "resolved"
    photo = PetitionPhoto.objects.get(petition=p)
    assert client.get(f"/workbench/photos/{photo.pk}/").status_code == 200
    client.force_login(world.erin)
    assert client.get(f"/workbench/photos/{photo.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/workbench/photos/{photo.pk}/").status_code == 302  # to the login page
    assert not photo.image.url.startswith("/static/")
    client.force_login(world.bob)
    client.force_login(world.alice)
    client.post(f"/workbench/{p.pk}/", {"action": "follow_up", "solved": "yes", "satisfaction": "satisfied"})
    client.post(f"/workbench/{p.pk}/", {"action": "set_summary", "summary": "1栋楼道灯已更换"})
    p.refresh_from_db()
    assert p.status == "closed" and p.public_summary
    history = client.get(f"/workbench/{p.pk}/").content.decode()
    for word in ("已修复",):
        assert word in history
    assert "1栋楼道灯已更换" in client.get("/petitions/").content.decode()


def test_another_grids_item_does_not_exist_for_a_grid_leader(world, client, submit):
    p = submit(world, building=world.b3)
    s.petition_accept(petition=p, by=world.erin)
    client.force_login(world.bob)
    assert client.get(f"/workbench/{p.pk}/").status_code == 404
    assert client.post(f"/workbench/{p.pk}/", {"action": "resolve", "note": "x"}).status_code == 404
    assert p.tracking_code not in client.get("/workbench/?tab=all").content.decode()
    client.force_login(world.carol)
    assert client.get("/workbench/").status_code == 404


def test_illegal_action_from_the_page_shows_a_message_and_changes_nothing(world, client, submit):
    p = submit(world)
    client.force_login(world.alice)
    response = client.post(f"/workbench/{p.pk}/", {"action": "resolve", "note": "x"}, follow=True)
    assert response.status_code == 200
    assert any("Submitted" in str(m) or "已提交" in str(m) for m in response.context["messages"])
    p.refresh_from_db()
    assert p.status == "submitted" and p.events.count() == 1


def test_bulk_dispatch(world, client, submit):
    items = [submit(world) for _ in range(3)]
    client.force_login(world.alice)
    response = client.post("/workbench/dispatch/", {"ids": [p.pk for p in items], "assignee": world.bob.pk})
    assert response.status_code == 302
    assert set(Petition.objects.values_list("status", flat=True)) == {"dispatched"}
    assert Petition.objects.assigned_to(world.bob).count() == 3


def test_private_categories_and_xinfang_never_reach_the_public_board(world, client, submit, category):
    from petitions.models import Category

    dispute = Category.objects.create(name="邻里纠纷", private=True)
    a = submit(world, category=dispute)
    b = submit(world, is_xinfang=True)
    c = submit(world)
    Petition.objects.update(status="accepted", public_summary="已处理")
    page = client.get("/petitions/")
    shown = {p.pk for p in page.context["page"].object_list}
    assert shown == {c.pk} and a.pk not in shown and b.pk not in shown
    assert "信访" not in page.content.decode()


def test_admin_lists_are_scoped_and_read_only(world, client, submit):
    mine = submit(world)
    other = submit(world, building=world.b3)
    client.force_login(world.alice)
    listing = client.get("/admin/petitions/petition/")
    assert listing.status_code == 200
    assert (
        mine.tracking_code in listing.content.decode() and other.tracking_code not in listing.content.decode()
    )
    detail = client.get(f"/admin/petitions/petition/{mine.pk}/change/")
    assert detail.status_code == 200 and "13811112222" not in detail.content.decode()
    # The admin treats an object outside the scoped queryset as missing: back to the index, with a message.
    outside = client.get(f"/admin/petitions/petition/{other.pk}/change/")
    assert outside.status_code == 302 and outside.url == "/admin/"
    assert client.get("/admin/petitions/category/").status_code == 200
    # The holiday calendar is shared by every community: the district's, not one community's staff.
    assert client.get("/admin/petitions/holiday/add/").status_code == 403
