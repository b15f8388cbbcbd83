"""Lists run a constant number of queries: the same at 1 and at 50 rows."""

import datetime

import pytest
from django.utils import timezone

from petitions.models import Petition

pytestmark = pytest.mark.django_db


def make(world, submit, n):
    first = submit(world)
    Petition.objects.bulk_create(
        Petition(
            category=first.category,
            community=world.c1,
            building=world.b1,
            grid=world.g1,
            description=f"路灯第{i}件",
            tracking_code=f"BULK{i:08d}",
            accept_due_at=first.accept_due_at,
        )
        for i in range(n - 1)
    )
    Petition.objects.update(status="accepted", public_summary="楼道灯已修好")


@pytest.mark.sqlite
@pytest.mark.parametrize("n", [1, 50])
def test_public_board(world, submit, client, django_assert_num_queries, n):
    make(world, submit, n)
    # 1 the latest change and the board version (the cache key), 2 count for the paginator, 3 the page with category, community
    # and building→area joined, 4 the residential areas filter, 5 the categories filter.
    with django_assert_num_queries(5):
        response = client.get("/petitions/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)
    # The next visitor gets the list rendered once: only the latest change and version are read.
    with django_assert_num_queries(1):
        again = client.get("/petitions/")
    assert again.content.decode().count("楼道灯已修好") == min(n, 20)


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize("tab", ["unassigned", "open", "overdue", "follow_up"])
def test_workbench_lists(world, submit, client, django_assert_num_queries, n, tab):
    make(world, submit, n)
    status = "resolved" if tab == "follow_up" else "submitted"
    Petition.objects.update(status=status, accept_due_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(world.alice)
    # 1 session, 2 user, 3 the user's role assignments (scope), 4 the user's organisations and 5 their
    # own items outside the area (PetitionQuerySet._area_or_own), 6 paginator count, 7 the community and
    # 8 the grid filters, 9 the page with its category, building, grid, assignee and organisation joined,
    # 10 people, 11 organisations and 12 grids to dispatch to (the idle clock was stamped at login: the
    # session is not written within the minute).
    with django_assert_num_queries(12):
        response = client.get(f"/workbench/?tab={tab}")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize("q", ["灯", "2222", "code"])
def test_workbench_search_and_period(world, submit, client, django_assert_num_queries, n, q):
    make(world, submit, n)
    first = Petition.objects.exclude(tracking_code__startswith="BULK").get()
    if q == "code":  # typed as read out: lower case, in groups
        q = f"{first.tracking_code[:4]}-{first.tracking_code[4:8]} {first.tracking_code[8:]}".lower()
    client.force_login(world.alice)
    today = timezone.localdate().isoformat()
    # The search adds one query, the households of the residents it matches (petitions.selectors.search_q);
    # text, code, phone and period are in the page's one query: 12 without the search, 13 with it.
    with django_assert_num_queries(13):
        response = client.get("/workbench/", {"tab": "all", "q": q, "start": today, "end": today})
    assert response.status_code == 200
    found = len(response.context["page"].object_list)
    assert found == (min(n, 20) if q == "灯" else 1)


@pytest.mark.sqlite
@pytest.mark.parametrize("n", [1, 50])
def test_api_list(world, submit, client, django_assert_num_queries, n):
    make(world, submit, n)
    client.force_login(world.bob)
    # 1 session, 2 user, 3 role assignments (scope), 4 organisations, 5 own items outside the area,
    # 6 count, 7 the page with category, building, assignee and organisation joined (the idle clock was
    # stamped at login: no session write).
    with django_assert_num_queries(7):
        response = client.get("/api/v1/petitions/")
    assert response.status_code == 200 and response.json()["count"] == n


@pytest.mark.parametrize("n", [1, 50])
def test_inbox(world, client, django_assert_num_queries, n):
    from notifications.services import notify

    for i in range(n):
        notify(user=world.bob, title=f"提醒{i}", dedup_key=f"k{i}")
    client.force_login(world.bob)
    # 1 session, 2 user, 3 role assignments (scope: a grid leader's session times out), 4 count, 5 the
    # page, 6 the unread count.
    with django_assert_num_queries(6):
        response = client.get("/notifications/")
    assert response.status_code == 200


@pytest.mark.sqlite
@pytest.mark.parametrize("n", [1, 50])
def test_wish_wall(world, submit, client, django_assert_num_queries, n):
    make(world, submit, n)
    Petition.objects.update(kind="wish", wish_published=True, assignee=world.pete)
    client.force_login(world.vera)
    # 1 session, 2 user, 3 the user's role assignments (scope), 4 paginator count,
    # 5 the page with its category, community, building and claimer joined.
    with django_assert_num_queries(5):
        response = client.get("/wishes/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)
