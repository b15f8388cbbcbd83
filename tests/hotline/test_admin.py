"""The 12345 work orders in the admin: read-only, scoped to the community, found by number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.models import HotlineOrder

from .conftest import order, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(world, upload, confirm):
    confirm(upload(xlsx_file([order(n) for n in (1, 2, 3)])), world.alice)
    return list(HotlineOrder.objects.order_by("order_no"))


def test_staff_find_an_order_by_its_number_and_reach_its_request(world, client_for, orders):
    page = client_for(world.alice).get("/admin/hotline/hotlineorder/", {"q": "GD202601010002"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "GD202601010002" in html and "GD202601010001" not in html
    assert orders[1].petition.tracking_code in html
    assert f"/admin/petitions/petition/{orders[1].petition_id}/change/" in html
    # The beginning of a number finds every order that starts with it.
    html = client_for(world.alice).get("/admin/hotline/hotlineorder/", {"q": "GD2026"}).content.decode()
    assert all(o.order_no in html for o in orders)


def test_orders_are_read_only_and_stay_in_their_community(world, client_for, orders):
    alice = client_for(world.alice)
    change = f"/admin/hotline/hotlineorder/{orders[0].pk}/change/"
    assert alice.get(change).status_code == 200
    assert alice.post(change, {"order_no": "CHANGED"}).status_code == 403
    assert HotlineOrder.objects.filter(order_no="CHANGED").count() == 0
    assert alice.get("/admin/hotline/hotlineorder/add/").status_code == 403
    erin = client_for(world.erin)
    assert "GD202601010001" not in erin.get("/admin/hotline/hotlineorder/").content.decode()
    assert erin.get(change).status_code in (302, 404)


def test_the_list_takes_the_same_queries_for_more_orders(world, client_for, upload, confirm, orders):
    alice = client_for(world.alice)
    alice.get("/admin/hotline/hotlineorder/")
    with CaptureQueriesContext(connection) as few:
        assert alice.get("/admin/hotline/hotlineorder/").status_code == 200
    confirm(upload(xlsx_file([order(n) for n in range(4, 30)])), world.alice)
    with CaptureQueriesContext(connection) as more:
        assert alice.get("/admin/hotline/hotlineorder/").status_code == 200
    assert len(more) == len(few)
