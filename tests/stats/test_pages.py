"""The statistics pages and API: scoped, drilled down, the charts' data equal to the tables, and a
constant number of queries whatever the size of the data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from visits.services import visit_record

pytestmark = pytest.mark.django_db


def url(level, pk, query=""):
    return f"/stats/{level}/{pk}/" + (f"?{query}" if query else "")


def shows(response):
    assert response.status_code == 200
    return response.context["level"].name, response.context["place"]


def test_officials_and_staff_drill_down_from_their_own_area(stats_world, client_for):
    w = stats_world.world
    # /stats/ is the page of one's own area.
    assert shows(client_for(w.dana).get("/stats/")) == ("district", w.district)
    page = client_for(w.dana).get(url("district", w.district.pk))
    assert page.status_code == 200
    html = page.content.decode()
    # The league table links one level down, keeping the period.
    assert f'href="/stats/street/{w.street.pk}/?period=month' in html
    assert shows(client_for(w.alice).get("/stats/")) == ("community", w.c1)
    html = client_for(w.alice).get(url("community", w.c1.pk)).content.decode()
    assert f'href="/stats/grid/{w.g1.pk}/?period=month' in html
    html = client_for(w.alice).get(url("grid", w.g1.pk)).content.decode()
    assert f'href="/stats/building/{w.b1.pk}/?period=month' in html
    # The breadcrumb leads back up only as far as alice's own patch.
    assert f"/stats/community/{w.c1.pk}/" in html and f"/stats/street/{w.street.pk}/" not in html
    assert shows(client_for(w.bob).get("/stats/")) == ("grid", w.g1)


def test_old_stats_links_show_that_area_and_range(stats_world, client_for):
    w = stats_world.world
    client = client_for(w.alice)
    assert shows(client.get(f"/stats/?community={w.c1.pk}")) == ("community", w.c1)
    old = client.get(f"/stats/?grid={w.g2.pk}&start=2020-01-01&end=2020-01-31")
    assert shows(old) == ("grid", w.g2)
    assert old.context["period"].kind == "custom" and old.context["figures"]["petitions"]["received"] == 0
    assert client.get(f"/stats/?grid={w.g3.pk}").status_code == 404
    # Several areas of the same level: a list to choose from.
    other = f.DistrictFactory(code="330200", name="东城区")
    superuser = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    assert set(client_for(superuser).get("/stats/").context["areas"]) == {w.district, other}


@pytest.mark.parametrize(
    "who,level,place",
    [
        ("alice", "community", "c2"),  # another community
        ("alice", "street", "street"),  # the street holds c2 too: not alice's patch
        ("alice", "building", "b3"),
        ("bob", "grid", "g2"),
        ("bob", "community", "c1"),  # a grid leader sees his grid, not the community
        ("erin", "grid", "g1"),
        ("carol", "building", "b1"),  # residents have no statistics
        ("alice", "planet", "c1"),
    ],
)
def test_an_area_outside_the_patch_is_404(stats_world, client_for, api, who, level, place):
    w = stats_world.world
    user, pk = getattr(w, who), getattr(w, place).pk
    assert client_for(user).get(url(level, pk)).status_code == 404
    assert api(user).get(f"/api/v1/stats/{level}/{pk}/").status_code == 404


def test_a_bad_period_is_explained_and_this_month_shown(stats_world, client_for, api):
    w = stats_world.world
    page = client_for(w.alice).get(url("community", w.c1.pk, "period=custom&start=2025-03-10&end=2025-03-01"))
    assert page.status_code == 200
    assert "结束日期不能早于开始日期" in page.content.decode()
    assert page.context["period"].start == timezone.localdate().replace(day=1)
    bad = api(w.alice).get(f"/api/v1/stats/community/{w.c1.pk}/?period=year&year=abc")
    assert bad.status_code == 400 and "period" in bad.json()


def test_year_and_custom_periods(stats_world, api):
    w = stats_world.world
    today = timezone.localdate()
    year = api(w.alice).get(f"/api/v1/stats/community/{w.c1.pk}/?period=year&year={today.year}").json()
    assert year["period"]["start"] == f"{today.year}-01-01" and year["petitions"]["received"] == 5
    earlier = (
        api(w.alice)
        .get(f"/api/v1/stats/community/{w.c1.pk}/?period=custom&start=2020-01-01&end=2020-12-31")
        .json()
    )
    assert earlier["petitions"]["received"] == 0


def cells(html, table_id):
    table = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", re.search(r"<tbody>(.*)</tbody>", table, re.S).group(1), re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


def shown(value):
    return "—" if value is None else str(value)


def test_chart_data_endpoint_and_tables_agree(stats_world, client_for, api):
    w = stats_world.world
    html = client_for(w.alice).get(url("community", w.c1.pk, "sort=overdue")).content.decode()
    data = api(w.alice).get(f"/api/v1/stats/community/{w.c1.pk}/?sort=overdue").json()
    assert cells(html, "table-trend") == [
        [r["month"], str(r["received"]), str(r["resolved"])] for r in data["trend"]
    ]
    assert cells(html, "table-categories") == [
        [r["category"], str(r["received"]), str(r["resolved"])] for r in data["categories"]
    ]
    assert cells(html, "table-league") == [
        [
            r["name"],
            str(r["received"]),
            str(r["resolved"]),
            shown(r["on_time_rate"]),
            shown(r["satisfaction_rate"]),
            shown(r["coverage"]),
            str(r["overdue"]),
        ]
        for r in data["league"]
    ]
    assert cells(html, "table-heat") == [
        [r["category"], *map(str, r["counts"])] for r in data["heat"]["rows"]
    ]
    # The page's charts read the same dictionary the endpoint answers.
    embedded = re.search(r'<script id="stats-data" type="application/json">(.*?)</script>', html, re.S).group(
        1
    )
    import json

    assert json.loads(embedded) == data


def test_schema_documents_the_statistics_endpoint(world, client_for):
    paths = client_for(world.alice).get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/stats/{level}/{id}/" in paths


def grow(s, times):
    """`times` more of everything: grids with buildings, dwellings, residents, requests and visits."""
    w = s.world
    today = timezone.localdate()
    for i in range(times):
        grid = f.GridFactory(community=w.c1, code=f"0133019900100110{i:02d}000"[:20], name=f"扩展网格{i}")
        building = f.BuildingFactory(
            area=w.area1, code=f"3301990010010019{i:02d}", name=f"{i}号楼", grid=grid
        )
        house = f.HouseholdFactory(building=building, unit=1, room=f"{i}01")
        f.ResidentFactory(name=f"居民{i}", home=house, id_number=f.make_id_number(100 + i))
        s.submit(building, category=s.sanitation if i % 2 else s.facilities)
        visit_record(household=house, visited_on=today, by=w.alice, others_met=1)


@pytest.mark.parametrize("level", ["district", "community", "grid"])
def test_query_count_is_the_same_at_1x_and_50x(stats_world, client_for, level):
    w = stats_world.world
    place = {"district": w.district, "community": w.c1, "grid": w.g1}[level]
    client = client_for(w.alice if level != "district" else w.dana)
    client.get(url(level, place.pk))  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(level, place.pk)).status_code == 200
    grow(stats_world, 50)
    with CaptureQueriesContext(connection) as big:
        assert client.get(url(level, place.pk)).status_code == 200
    assert len(big) == len(small), [q["sql"][:120] for q in big.captured_queries]


@pytest.mark.parametrize("level", ["district", "community"])
def test_the_api_over_twelve_stored_months_takes_the_same_queries_at_1x_and_50x(stats_world, api, level):
    """The endpoint the charts read, over the last 12 months with the closed ones counted by the worker:
    50 times the areas and requests (half of them in past months) cost no query more."""
    import datetime

    from petitions.models import Petition
    from stats.services import monthly_counts_refresh
    from tests.stats.test_monthly_counts import _months_back, _spread

    w = stats_world.world
    place = {"district": w.district, "community": w.c1}[level]
    client = api(w.dana if level == "district" else w.alice)
    path = (
        f"/api/v1/stats/{level}/{place.pk}/?period=custom"
        f"&start={_months_back(11).isoformat()}&end={timezone.localdate().isoformat()}"
    )
    _spread(stats_world)
    monthly_counts_refresh()
    client.get(path)  # warm the caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    before = Petition.objects.order_by("-pk").values_list("pk", flat=True).first()
    grow(stats_world, 50)
    for i, pk in enumerate(Petition.objects.filter(pk__gt=before).values_list("pk", flat=True)):
        if i % 2:
            at = timezone.now() - datetime.timedelta(days=35 + 5 * i)
            Petition.objects.filter(pk=pk).update(created_at=at, resolved_at=at + datetime.timedelta(hours=i))
    monthly_counts_refresh()
    with CaptureQueriesContext(connection) as big:
        response = client.get(path)
    assert response.status_code == 200
    # Every request is in the 12 months: the hand-counted six (five in c1) and the fifty new ones.
    assert response.json()["petitions"]["received"] == {"district": 56, "community": 55}[level]
    assert len(big) == len(small), [q["sql"][:120] for q in big.captured_queries]
