"""The pages a grid leader uses: what they show, what they hide, and a constant number of queries."""

import datetime
import gzip
import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import RevealLog
from dashboard.views import SW_VERSION
from grids.models import ResidentTag
from notifications.models import Notification
from petitions.models import Petition
from tests import factories as f
from visits.services import campaign_start, visit_record

from .conftest import photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(world, make_item, resolved_item):
    """crowd(n): n more dwellings in g1, each with a tagged resident, a visit, an open item (every other
    one overdue), a resolved item waiting for follow-up, and a notification for bob."""
    w = world
    tag = ResidentTag.objects.create(code="alone", name="独居老人", needs_attention=True)
    w.campaign = campaign_start(
        name="走访",
        grid=w.g1,
        starts_on=timezone.localdate() - datetime.timedelta(days=5),
        ends_on=timezone.localdate() + datetime.timedelta(days=5),
        by=w.alice,
    )

    def make(n):
        for i in range(n):
            h = f.HouseholdFactory(building=w.b1, unit=2, room=f"{100 + i}")
            r = f.ResidentFactory(home=h)
            r.tags.add(tag)
            visit_record(household=h, visited_on=timezone.localdate(), residents_met=[r], by=w.bob)
            make_item(h, w.bob, f"诉求{i}", overdue=bool(i % 2))
            resolved_item(h, f"已办{i}")
            Notification.objects.create(user=w.bob, title=f"提醒{i}")
        return w

    return make


# Every page starts with: 1 session, 2 user, 3 the user's role assignments (scope).
# Staff pages add the idle-timeout session write: 4 select, 5 update... (3 more for alice, measured).
# Every HTML page but the home (which counted already) ends with the header bell's unread count.
PAGES = [
    # home: 4 households, 5 residents needing attention (count), 6 organisations and 7 own items outside
    # the patch (the request scope, once), 8 open item keys, 9 their rows, 10 their count, 11 overdue
    # count, 12 follow-up keys, 13 their rows, 14 their count, 15 running campaign, 16 still-to-visit
    # count, 17 unread notifications count, 18 still-to-visit rows, 19 attention rows, 20 their tags,
    # 21 notification rows.
    ("bob", "/dashboard/", 21),
    # households: 4 count, 5 page (building joined).
    ("bob", "/dashboard/households/", 6),
    ("bob", "/dashboard/households/?q=1栋", 6),
    # ledger: 4 count, 5 page (dwelling, building, recorder joined), 6 visitors.
    ("bob", "/dashboard/visits/", 7),
    # items: 4 organisations, 5 own items outside the patch (the request scope), 6 count of keys, 7 the
    # page's keys, 8 their rows (category, building, dwelling joined).
    ("bob", "/dashboard/items/", 9),
    # campaigns: 4 count, 5 page.
    ("bob", "/dashboard/campaigns/", 6),
    # campaign, leader's view: 4 campaign, 5 still-to-visit count, 6 its page.
    ("bob", "/dashboard/campaigns/{c}/", 7),
    # API ledger: 4 count, 5 page, 6 visitors, 7 residents met, 8 raised items.
    ("bob", "/api/v1/visits/", 8),
    # campaign, staff view: 4 campaign, 5-6 totals, 7-9 by grid, 10-13 by leader (assignments,
    # dwellings per grid and micro-grid, visits, users), 14-15 leader's list (count, page).
    ("alice", "/dashboard/campaigns/{c}/", 16),
    # never visited: 4 campaign, 5 count, 6 page.
    ("alice", "/dashboard/campaigns/{c}/never-visited/", 7),
    # coverage API: the staff view without the leader's list and with the API's own session check.
    ("alice", "/api/v1/visits/campaigns/{c}/coverage/", 13),
]


@pytest.mark.parametrize("rows", [1, 50])
def test_list_pages_run_constant_queries(crowd, client, django_assert_num_queries, rows):
    # One world per size (building 50 rows of everything is the slow part); every page checked in it.
    w = crowd(rows)
    for who, url, queries in PAGES:
        client.force_login(getattr(w, who))
        client.get(
            "/dashboard/"
        )  # warm-up: the idle clock, stamped at login, is not written again within the minute
        with django_assert_num_queries(queries):
            response = client.get(url.format(c=w.campaign.pk))
        assert response.status_code == 200, url


def test_home_shows_overdue_items_first_and_counts(crowd, client_for, make_item):
    w = crowd(3)
    later = make_item(w.h1, w.bob, "最新的诉求")
    response = client_for(w.bob).get("/dashboard/")
    items = response.context["items"]
    # crowd(3) made one overdue item (i=1); it comes first, then the others by deadline.
    assert items[0].is_overdue and items[0].description == "诉求1"
    assert not any(i.is_overdue for i in items[1:])
    assert items[-1] == later
    assert response.context["household_count"] == 4
    assert response.context["attention_count"] == 3
    assert response.context["follow_up_count"] == 3
    assert response.context["unread_count"] == 3
    assert response.context["to_visit_count"] == 1  # h1: the others were visited
    html = response.content.decode()
    assert "独居老人" in html
    assert "13812345678" not in html


def test_household_page_masks_and_reveals_with_a_logged_reason(world, client_for):
    client = client_for(world.bob)
    url = f"/dashboard/households/{world.h1.pk}/"
    html = client.get(url).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert world.r1.id_number_masked in html
    response = client.post(
        f"/dashboard/households/{world.h1.pk}/reveal/{world.r1.pk}/", {"field": "phone", "reason": "联系就医"}
    )
    # Shown in the answer that reveals it, never cached, and never kept in the session.
    assert response.status_code == 200
    assert 'href="tel:13812345678"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not any("13812345678" in str(value) for value in client.session.values())
    from django.contrib.sessions.models import Session

    assert not any("13812345678" in str(s.get_decoded()) for s in Session.objects.all())
    # The next view is masked again.
    assert "13812345678" not in client.get(url).content.decode()
    log = RevealLog.objects.get()
    assert (log.user, log.resident, log.reason) == (world.bob, world.r1, "联系就医")


def test_the_reveal_answer_links_its_visit_pages_to_the_household_page(world, client_for):
    for days in range(11):
        visit_record(
            household=world.h1,
            visited_on=timezone.localdate() - datetime.timedelta(days=days),
            residents_met=[world.r1],
            situation="走访",
            by=world.bob,
        )
    response = client_for(world.bob).post(
        f"/dashboard/households/{world.h1.pk}/reveal/{world.r1.pk}/", {"field": "phone", "reason": "联系就医"}
    )
    assert f'href="/dashboard/households/{world.h1.pk}/?page=2"' in response.content.decode()


def test_micro_grid_leader_cannot_reveal(world, client_for):
    client = client_for(world.mia)
    client.post(
        f"/dashboard/households/{world.h1.pk}/reveal/{world.r1.pk}/", {"field": "phone", "reason": "看看"}
    )
    assert not RevealLog.objects.exists()


def test_search_by_building_room_and_name(world, client_for):
    client = client_for(world.bob)
    other = f.HouseholdFactory(building=world.b1, unit=1, room="502")
    for query, expected in (
        ("101", {world.h1}),
        ("1栋101", {world.h1}),
        ("张桂兰", {world.h1}),
        ("502", {other}),
    ):
        page = client.get("/dashboard/households/", {"q": query}).context["page"]
        assert set(page) == expected, query
    assert set(client.get("/dashboard/households/", {"q": "李建国"}).context["page"]) == set()


def test_item_actions_with_htmx_and_plain_forms(world, client_for, make_item, resolved_item):
    client = client_for(world.bob)
    item = make_item(world.h1, world.bob)
    response = client.post(f"/dashboard/items/{item.pk}/accept/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in response.content.decode()
    client.post(f"/dashboard/items/{item.pk}/start/")
    client.post(f"/dashboard/items/{item.pk}/annotate/", {"note": "已联系物业，明天上门"})
    assert item.events.filter(action="annotate", note="已联系物业，明天上门").exists()
    response = client.post(f"/dashboard/items/{item.pk}/resolve/", {"note": "已修好", "photo": photo_file()})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Petition.Status.RESOLVED
    assert item.photos.count() == 1
    # Bob resolved it: the follow-up must be someone else's.
    refused = client.post(
        f"/dashboard/items/{item.pk}/follow_up/",
        {"solved": "yes", "satisfaction": "satisfied"},
        HTTP_HX_REQUEST="true",
    )
    assert 'role="alert"' in refused.content.decode()
    other = resolved_item(world.h1)
    client.post(f"/dashboard/items/{other.pk}/follow_up/", {"solved": "yes", "satisfaction": "satisfied"})
    other.refresh_from_db()
    assert (other.status, other.satisfaction) == (Petition.Status.CLOSED, "satisfied")


def test_record_a_request_on_behalf(world, client_for, category):
    client = client_for(world.bob)
    response = client.post(
        f"/dashboard/households/{world.h1.pk}/request/",
        {"resident": world.r1.pk, "item_category": category.pk, "description": "想申请助餐服务"},
    )
    item = Petition.objects.get()
    assert response.status_code == 302
    assert (item.channel, item.household, item.phone) == ("visit", world.h1, world.r1.phone)
    # The item page names whom to call.
    assert item.submitter_name == "张桂兰"
    assert "张桂兰" in client.get(response["Location"]).content.decode()


def test_visit_ledger_export(world, client_for):
    visit_record(household=world.h1, visited_on=timezone.localdate(), residents_met=[world.r1], by=world.bob)
    visit_record(household=world.h2, visited_on=timezone.localdate(), residents_met=[world.r2], by=world.dave)
    response = client_for(world.alice).get("/dashboard/visits/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "张桂兰" in values
    assert not any("13812345678" in v or world.r1.id_number_masked[:6] + "1" in v for v in values)
    # Totals row: households visited, visits, persons met.
    assert re.findall(r"\d+", values[-1]) == ["2", "2", "2"]
    # Leaders do not export; other communities' visits are not in alice's ledger.
    assert client_for(world.bob).get("/dashboard/visits/export.xlsx").status_code == 404
    erin = load_workbook(
        io.BytesIO(client_for(world.erin).get("/dashboard/visits/export.xlsx").content)
    ).active
    assert "张桂兰" not in [c.value for row in erin.iter_rows() for c in row]


def test_pwa_files(client, world):
    manifest = client.get("/dashboard/manifest.webmanifest").json()
    assert manifest["start_url"] == "/dashboard/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    sw = client.get("/dashboard/sw.js")
    assert sw["Content-Type"].startswith("application/javascript")
    assert "/dashboard/offline/" in sw.content.decode()
    # The cache is named by the version, so a new version drops the old cache on activation.
    assert f"const CACHE = {json.dumps(SW_VERSION)};" in sw.content.decode()
    assert sw["Service-Worker-Allowed"] == "/dashboard/"
    assert client.get("/dashboard/offline/").status_code == 200


def test_home_page_weight_is_under_150_kb_compressed(crowd, client_for):
    """The home screen and every file it loads (no CDN: all from /static/), gzip-compressed."""
    w = crowd(50)
    html = client_for(w.bob).get("/dashboard/").content
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+|https?://[^"]+)"', html)
    assert assets and not [a for a in assets if a.startswith(b"http")]
    total = len(gzip.compress(html))
    for asset in set(assets):
        path = finders.find(asset.decode().removeprefix("/static/"))
        with open(path, "rb") as fh:
            total += len(gzip.compress(fh.read()))
    assert total < 150 * 1024, total


def test_ledger_survives_bad_dates(world, client_for):
    client = client_for(world.alice)
    for query in ("start=2026-02-31", "start=yesterday&end=", "end=9999-99-99", "page=abc"):
        assert client.get(f"/dashboard/visits/?{query}").status_code == 200, query
    assert client.get("/dashboard/visits/export.xlsx?start=2026-02-31").status_code == 200
