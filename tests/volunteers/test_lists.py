"""Every list page and API list paginates and runs a constant number of queries (1 row and 50 rows)."""

import datetime

from volunteers import services

from .conftest import give_points

# Queries every logged-in request makes besides the view's own: the session, the user (the idle clock is
# stamped at login, so a staff page within the minute writes no session).
SESSION_AND_USER = 2


def add_rows(vw, n, *, offset):
    """n activities, offers, shops, proposed hour records and coupons."""
    w = vw.world
    for i in range(n):
        start = vw.now + datetime.timedelta(days=offset + i)
        activity = services.activity_create(
            team=vw.team,
            title=f"活动{offset + i}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="东门",
            capacity=5,
            by=w.mia,
        )
        services.offer_create(
            community=w.c1,
            merchant=vw.shop,
            title=f"券{offset + i}",
            value=1,
            points_cost=1,
            quantity=5,
            valid_until=vw.now + datetime.timedelta(days=90),
            by=w.max,
        )
        services.merchant_create(
            community=w.c1,
            shop_name=f"店{offset + i}",
            owner_name="店主",
            address="桂花路",
            category="food",
            phone="13900000000",
            by=w.alice,
        )
        services.activity_sign_up(activity=activity, volunteer=vw.vera, by=w.vera)
        attendance = services.attendance_check_in(
            activity=activity, volunteer=vw.vera, by=w.mia, at=start + datetime.timedelta(minutes=1)
        )
        services.attendance_check_out(attendance=attendance, by=w.mia, at=start + datetime.timedelta(hours=1))
    give_points(vw, w.vera, 20 * n)
    for _ in range(n):
        services.coupon_take(offer=vw.offer, by=w.vera)


PAGES = [
    # (user, url, queries after session and user, what they are)
    # profile; role assignments (scope); COUNT activities; page of activities with their team; the user's
    # sign-ups among them; the points account; "does the user lead a team"
    ("vera", "/volunteers/", 7),
    # scope; COUNT offers; the points account; the user's coupons with offer and shop; page of offers with shop
    ("vera", "/coupons/", 5),
    # scope; COUNT hour records; page of records with volunteer, user, activity, team, confirmer
    ("alice", "/volunteers/staff/hours/", 3),
    # scope; COUNT shops; page of shops with community and area
    ("alice", "/merchants/all/", 3),
    # scope; COUNT; page of activities with team
    ("vera", "/api/v1/volunteer-activities/", 3),
    # scope; COUNT; page of offers with shop
    ("vera", "/api/v1/offers/", 3),
    # scope (whether the session times out); COUNT the user's coupons; page of them with their offer
    ("vera", "/api/v1/coupons/", 3),
]


def test_lists_run_constant_queries(vw, client_for, django_assert_num_queries):
    for rows, offset in ((1, 0), (49, 10)):
        add_rows(vw, rows, offset=offset)
        for username, url, queries in PAGES:
            user = getattr(vw.world, username)
            client = client_for(user)
            with django_assert_num_queries(SESSION_AND_USER + queries):
                response = client.get(url)
            assert response.status_code == 200, url
            if rows == 49:  # 50 rows: the list is cut into pages
                paged = response.json()["next"] if "/api/" in url else "?page=2" in response.content.decode()
                assert paged, url


def test_lists_are_scoped(vw, client_for):
    add_rows(vw, 1, offset=0)
    w = vw.world
    # Erin is staff of the other community: none of c1's activities, offers, shops or hours.
    erin = client_for(w.erin)
    assert erin.get("/api/v1/volunteer-activities/").json()["count"] == 0
    assert erin.get("/api/v1/offers/").json()["count"] == 0
    assert "夜间安全巡逻" not in erin.get("/volunteers/").content.decode()
    assert "店0" not in erin.get("/merchants/all/").content.decode()
    assert "夜间安全巡逻" not in erin.get("/volunteers/staff/hours/").content.decode()
    assert erin.get(f"/volunteers/activities/{vw.activity.pk}/").status_code == 404
    # Vera sees her community's activities, never the staff ledger; the API keeps her coupons to herself.
    vera = client_for(w.vera)
    assert vera.get("/api/v1/volunteer-activities/").json()["count"] == 2
    assert vera.get("/volunteers/staff/hours/").status_code == 404
    assert client_for(w.carol).get("/api/v1/coupons/").json()["count"] == 0
