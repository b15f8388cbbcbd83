"""The public board's list is rendered once per change and per filter; a change shows at once."""

import pytest

from accounts.models import User
from grids.services import place_save
from petitions import services as s

pytestmark = pytest.mark.django_db


def published(world, submit, summary):
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_transition(petition=p, action="set_summary", by=world.alice, summary=summary)
    return p


def test_a_new_summary_and_status_show_on_the_next_visit(world, submit, client):
    p = published(world, submit, "1栋楼道灯已修复")
    assert "1栋楼道灯已修复" in client.get("/petitions/").content.decode()
    s.petition_transition(petition=p, action="set_summary", by=world.alice, summary="1栋楼道灯已更换")
    page = client.get("/petitions/").content.decode()
    assert "1栋楼道灯已更换" in page and "1栋楼道灯已修复" not in page
    assert "1栋楼道灯已更换" not in client.get("/petitions/?status=in_progress").content.decode()
    s.petition_transition(petition=p, action="start", by=world.bob)
    assert "1栋楼道灯已更换" in client.get("/petitions/?status=in_progress").content.decode()


def test_each_filter_and_language_has_its_own_page(world, submit, client):
    published(world, submit, "2栋电梯已维修")
    assert "2栋电梯已维修" in client.get("/petitions/").content.decode()
    assert "2栋电梯已维修" not in client.get("/petitions/?status=closed").content.decode()
    english = client.get("/petitions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/petitions/").content.decode()
    assert "What was asked" in english and "What was asked" not in chinese


def test_the_cached_list_is_the_same_for_a_signed_in_visitor(world, submit, client):
    published(world, submit, "3栋路灯已修复")
    client.get("/petitions/")
    client.force_login(world.alice)
    page = client.get("/petitions/").content.decode()
    assert "3栋路灯已修复" in page


def test_a_category_made_private_or_an_area_renamed_shows_at_once(world, submit, client, category):
    # Neither change touches the item's updated_at: the board's key counts them (BoardVersion).
    admin = User.objects.create_superuser("boardadmin", password="x")
    published(world, submit, "4栋井盖已更换")
    page = client.get("/petitions/").content.decode()
    assert "4栋井盖已更换" in page and "桂花苑" in page
    world.area1.name = "桂花新苑"
    place_save(place=world.area1, by=admin)
    page = client.get("/petitions/").content.decode()
    assert "桂花新苑" in page and "4栋井盖已更换" in page
    category.private = True
    s.category_save(category=category, by=admin)
    assert "4栋井盖已更换" not in client.get("/petitions/").content.decode()
