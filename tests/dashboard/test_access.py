"""IDOR: every dashboard URL and API endpoint answers 404 for another patch's ids."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import RevealLog
from tests import factories as f
from visits.models import Visit
from visits.services import campaign_start, visit_record

from .conftest import photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(world, make_item):
    """Objects of grid g2 (dave's patch) that bob, the leader of g1, must never reach."""
    w = world
    w.v2 = visit_record(
        household=w.h2, visited_on=timezone.localdate(), residents_met=[w.r2], photo=photo_file(), by=w.dave
    )[0]
    w.item2 = make_item(w.h2, w.dave, "2栋的诉求")
    w.campaign2 = campaign_start(
        name="第二网格走访",
        grid=w.g2,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        by=w.alice,
    )
    return w


GET_URLS = [
    "/dashboard/households/{h2}/",
    "/dashboard/households/{h2}/visit/",
    "/dashboard/households/{h2}/request/",
    "/dashboard/visits/{v2}/",
    "/dashboard/visits/{v2}/photo/",
    "/dashboard/campaigns/{c2}/",
    "/dashboard/campaigns/{c2}/never-visited/",
    "/dashboard/items/{i2}/",
    "/api/v1/visits/{v2}/",
    "/api/v1/visits/campaigns/{c2}/",
    "/api/v1/visits/campaigns/{c2}/coverage/",
]
POST_URLS = [
    "/dashboard/households/{h2}/visit/",
    "/dashboard/households/{h2}/request/",
    "/dashboard/households/{h2}/reveal/{r2}/",
    "/dashboard/households/{h1}/reveal/{r2}/",  # own dwelling, someone else's resident
    "/dashboard/items/{i2}/accept/",
    "/dashboard/items/{i2}/resolve/",
    "/dashboard/items/{i2}/follow_up/",
]


def _ids(w):
    return {
        "h1": w.h1.pk,
        "h2": w.h2.pk,
        "r2": w.r2.pk,
        "v2": w.v2.pk,
        "c2": w.campaign2.pk,
        "i2": w.item2.pk,
    }


@pytest.mark.parametrize("url", GET_URLS)
def test_get_another_grids_ids_is_404(foreign, client_for, url):
    assert client_for(foreign.bob).get(url.format(**_ids(foreign))).status_code == 404


@pytest.mark.parametrize("url", POST_URLS)
def test_post_another_grids_ids_is_404_and_changes_nothing(foreign, client_for, url):
    w = foreign
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "outcome": "met",
        "others_met": 0,
        "field": "phone",
        "reason": "核实",
        "note": "x",
        "description": "x",
    }
    response = client_for(w.bob).post(url.format(**_ids(w)), data)
    assert response.status_code == 404
    assert Visit.objects.count() == 1
    assert not RevealLog.objects.exists()
    w.item2.refresh_from_db()
    assert w.item2.status == "submitted"


def test_api_create_for_another_grid_is_404(foreign, client_for):
    body = {"household": foreign.h2.pk, "visited_on": timezone.localdate().isoformat()}
    response = client_for(foreign.bob).post("/api/v1/visits/", body, content_type="application/json")
    assert response.status_code == 404
    assert Visit.objects.count() == 1


def test_lists_hide_other_patches(foreign, client_for):
    client = client_for(foreign.bob)
    assert client.get("/api/v1/visits/").json()["count"] == 0
    assert client.get("/api/v1/visits/campaigns/").json()["count"] == 0
    assert "2栋的诉求" not in client.get("/dashboard/items/").content.decode()
    households = client.get("/dashboard/households/?q=201").context["page"]
    assert list(households) == []


def test_the_owner_does_reach_them(foreign, client_for):
    client = client_for(foreign.dave)
    ids = _ids(foreign)
    for url in GET_URLS[:5] + GET_URLS[7:9]:
        assert client.get(url.format(**ids)).status_code == 200, url


def test_residents_and_merchants_have_no_registry_pages(world, client_for):
    for user in (world.carol, world.max, world.vera):
        client = client_for(user)
        assert client.get("/dashboard/").status_code == 200
        assert client.get("/dashboard/households/").status_code == 404
        assert client.get(f"/dashboard/households/{world.h1.pk}/").status_code == 404


def test_admin_lists_are_scoped_and_read_only(foreign, client_for):
    erin = client_for(foreign.erin)  # staff of c2: g2's visit is not hers
    assert erin.get("/admin/visits/visit/").status_code == 200
    response = erin.get(f"/admin/visits/visit/{foreign.v2.pk}/change/")
    # Django's admin answers an object it cannot find with a redirect to the index and a message.
    assert response.status_code == 302 and response.url == "/admin/"
    alice = client_for(foreign.alice)
    assert alice.get(f"/admin/visits/visit/{foreign.v2.pk}/change/").status_code == 200
    assert alice.get("/admin/visits/visit/add/").status_code == 403
    assert alice.get(f"/admin/visits/campaign/{foreign.campaign2.pk}/change/").status_code == 200


def test_read_only_officials_get_no_visit_buttons_and_a_way_back_from_a_403(foreign, client_for):
    w = foreign
    todo = f.HouseholdFactory(building=w.b2, unit=1, room="202")  # not yet visited in the campaign
    sam = client_for(w.sam)
    page = sam.get(f"/dashboard/campaigns/{w.campaign2.pk}/").content.decode()
    assert "/visit/" not in page
    assert f'href="/dashboard/households/{todo.pk}/"' in page  # still listed, to read
    assert "发起走访活动" not in sam.get("/dashboard/campaigns/").content.decode()
    assert (
        f"/households/{w.h1.pk}/visit/" not in sam.get(f"/dashboard/households/{w.h1.pk}/").content.decode()
    )
    # Typed by hand, the visit form is the Chinese error page with a way back to the dashboard.
    refused = sam.get(f"/dashboard/households/{w.h1.pk}/visit/")
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "无权操作" in html and 'href="/dashboard/"' in html
    # A leader of the grid gets the buttons.
    leader = client_for(w.dave).get(f"/dashboard/campaigns/{w.campaign2.pk}/").content.decode()
    assert f"/dashboard/households/{todo.pk}/visit/" in leader
