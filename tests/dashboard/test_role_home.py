"""The /dashboard/ home of the roles that do not work a patch: each
role sees its cards, every link on them opens for that user, and the cards run constant queries."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from petitions import services as petition_services
from petitions.models import Petition
from tests import factories as f
from tests.volunteers.conftest import build_volunteer_world
from visits.services import campaign_start
from volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def vw(world):
    return build_volunteer_world(world)


@pytest.fixture
def wishes(world, category):
    """wishes(n, by): n micro-wishes on the wall, claimed by `by` (submitted, accepted, published, claimed
    through the petition services)."""

    def make(n, by):
        out = []
        for i in range(n):
            wish = petition_services.petition_submit(
                kind=Petition.Kind.WISH,
                category=category,
                description=f"想要一副老花镜{i}",
                channel=Petition.Channel.VISIT,
                household=world.h1,
                by=world.alice,
            )
            petition_services.petition_accept(petition=wish, by=world.alice)
            petition_services.petition_transition(
                petition=wish, action="publish_wish", by=world.alice, note="老人想要老花镜"
            )
            petition_services.petition_claim(petition=wish, by=by)
            out.append(wish)
        return out

    return make


def card_html(html, name):
    """The HTML of one card section on the home page."""
    match = re.search(rf'<section class="panel card" id="card-{name}">(.*?)</section>', html, re.S)
    assert match, f"card {name} missing"
    return match.group(1)


def assert_links_open(client, html):
    links = sorted(set(HREF.findall(html)))
    assert links
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, (link, response.status_code)
    return links


def test_volunteer_sees_tasks_hours_points_and_activities(vw, client_for, wishes):
    w = vw.world
    wish = wishes(1, w.vera)[0]
    volunteer_services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=w.vera)
    client = client_for(w.vera)
    html = client.get("/dashboard/").content.decode()
    helper = card_html(html, "helper")
    assert f"/dashboard/items/{wish.pk}/" in helper and "/wishes/" in helper
    volunteer = card_html(html, "volunteer")
    assert "夜间安全巡逻" in volunteer and "/volunteers/" in volunteer and "/coupons/" in volunteer
    # A volunteer does not work a patch: no households, no staff or merchant cards.
    assert 'id="card-staff"' not in html and 'id="card-merchant"' not in html
    assert "/dashboard/households/" not in html
    assert_links_open(client, helper + volunteer)


def test_party_member_sees_claimed_wishes_and_party_points(world, client_for, wishes):
    wishes(2, world.pete)
    client = client_for(world.pete)
    response = client.get("/dashboard/")
    card = response.context["cards"]["helper"]
    assert card["task_count"] == 2 and card["party_points"] == 0
    html = response.content.decode()
    assert 'id="card-volunteer"' not in html
    assert_links_open(client, card_html(html, "helper"))


def test_merchant_sees_shop_and_links(vw, client_for):
    client = client_for(vw.world.max)
    html = client.get("/dashboard/").content.decode()
    card = card_html(html, "merchant")
    assert "好邻居便利店" in card
    links = assert_links_open(client, card)
    assert "/merchants/" in links and "/merchants/redeem/" in links


def test_merchant_sees_this_months_redemptions_and_volunteer_her_coupons(vw, client_for):
    from tests.volunteers.conftest import give_points
    from volunteers.selectors import merchant_statement

    w = vw.world
    give_points(vw, w.vera, 100)
    kept = volunteer_services.coupon_take(offer=vw.offer, by=w.vera)
    used = volunteer_services.coupon_take(offer=vw.offer, by=w.vera)
    volunteer_services.coupon_redeem(token=used.token, by=w.max, bill_amount="52.00")
    shop = client_for(w.max).get("/dashboard/").context["cards"]["merchant"]["shops"][0]
    statement = merchant_statement(vw.shop, timezone.localdate())
    assert (shop.month_redeemed, shop.month_points) == (statement["count"], statement["points"]) == (1, 20)
    volunteer = client_for(w.vera).get("/dashboard/").context["cards"]["volunteer"]
    assert volunteer["coupon_count"] == 1 and kept.status == "issued"
    assert volunteer["balance"] == 100 - 2 * 20


def test_staff_card_links_to_every_tool(world, client_for):
    client = client_for(world.alice)
    html = client.get("/dashboard/").content.decode()
    card = card_html(html, "staff")
    links = assert_links_open(client, card)
    for url in (
        "/workbench/",
        "/stats/",
        "/dashboard/campaigns/",
        "/registry/uncovered/",
        "/party/",
        "/admin/",
    ):
        assert url in links
    # Staff keep the patch view of their community too.
    assert 'id="items"' in html


def test_staff_card_counts_what_waits_on_the_workbench(world, client_for, make_item, resolved_item):
    make_item(world.h1, world.bob)  # submitted, nobody assigned: to dispatch
    make_item(world.h2, world.dave, overdue=True)  # also unassigned, and late
    resolved_item(world.h1)  # waits for someone else's follow-up
    make_item(world.h3, world.gwen)  # the other community: not alice's
    staff = client_for(world.alice).get("/dashboard/").context["cards"]["staff"]
    assert staff == {"unassigned": 2, "overdue": 1, "follow_up": 1}


@pytest.mark.parametrize("who", ["bob", "gwen", "mia"])
def test_grid_roles_get_links_beyond_their_patch(world, client_for, who):
    client = client_for(getattr(world, who))
    html = client.get("/dashboard/").content.decode()
    links = assert_links_open(client, card_html(html, "patch"))
    assert "/wishes/" in links and "/notifications/" in links
    # Grid leaders and workers inspect the alliance shops' front-door duties; micro-grid leaders do not.
    assert ("/merchants/all/" in links) == (who != "mia")


@pytest.mark.parametrize("who", ["sam", "dana"])
def test_officials_read_stats_and_campaign_rankings(world, client_for, who):
    campaign_start(
        name="全区走访",
        district=world.district,
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate() + datetime.timedelta(days=9),
        by=world.dana,
    )
    client = client_for(getattr(world, who))
    html = client.get("/dashboard/").content.decode()
    card = card_html(html, "official")
    assert "全区走访" in card
    links = assert_links_open(client, card)
    assert "/stats/" in links
    # Read-only: no staff tools, no patch actions.
    assert 'id="card-staff"' not in html and "/workbench/" not in html and 'id="items"' not in html


def test_resident_sees_own_requests_by_tracking_code(world, client_for, category):
    mine = petition_services.petition_submit(
        kind=Petition.Kind.REQUEST,
        category=category,
        description="路灯不亮",
        channel=Petition.Channel.PUBLIC,
        building=world.b1,
        submitter=world.carol,
        by=world.carol,
    )
    client = client_for(world.carol)
    html = client.get("/dashboard/").content.decode()
    card = card_html(html, "resident")
    assert mine.tracking_code in card
    links = assert_links_open(client, card)
    assert "/petitions/new/" in links and "/wishes/" in links


def test_several_roles_see_each_roles_card(vw, client_for):
    f.assign(vw.world.vera, Role.RESIDENT, vw.world.c1)
    f.assign(vw.world.vera, Role.MERCHANT, vw.world.c1)
    html = client_for(vw.world.vera).get("/dashboard/").content.decode()
    for name in ("helper", "volunteer", "merchant", "resident"):
        card_html(html, name)


# --- Constant queries at 1 and at 50 rows ----------------------------------------------------------


@pytest.fixture
def many(vw, wishes, category):
    """many(n): n of every row the cards list: wishes vera claimed, activities she signed up for,
    shops max owns, requests carol sent, running campaigns sam sees."""
    w = vw.world
    now = timezone.now()

    def make(n):
        wishes(n, w.vera)
        for i in range(n):
            activity = volunteer_services.activity_create(
                team=vw.team,
                title=f"活动{i}",
                starts_at=now + datetime.timedelta(days=1, hours=i),
                ends_at=now + datetime.timedelta(days=1, hours=i + 1),
                place="活动室",
                capacity=5,
                by=w.mia,
            )
            volunteer_services.activity_sign_up(activity=activity, volunteer=vw.vera, by=w.vera)
            volunteer_services.merchant_create(
                community=w.c1,
                shop_name=f"小店{i}",
                owner_name="马师傅",
                owner=w.max,
                phone="13911112222",
                address=f"桂花路{i}号",
                category="grocery",
                area=w.area1,
                by=w.alice,
            )
            petition_services.petition_submit(
                kind=Petition.Kind.REQUEST,
                category=category,
                description=f"诉求{i}",
                channel=Petition.Channel.PUBLIC,
                building=w.b1,
                submitter=w.carol,
                by=w.carol,
            )
            campaign_start(
                name=f"走访{i}",
                grid=w.g1,
                starts_on=timezone.localdate() - datetime.timedelta(days=1),
                ends_on=timezone.localdate() + datetime.timedelta(days=i + 1),
                by=w.alice,
            )
        return w

    return make


# Every home: 1 session, 2 user, 3 scope (role assignments); the bell's count is the home's own
# unread count (last), so the header adds none.
HOMES = [
    # vera: 4 claimed tasks, 5 their count, 6 profile, 7 balance, 8 coupons in hand, 9 sign-ups (with
    # activity), 10 their count, 11 unread count, 12 unread rows.
    ("vera", 12),
    # max: 4 shops with this month's redemptions, 5 unread count, 6 unread rows.
    ("max", 6),
    # carol: 4 own requests, 5 their count, 6 unread count, 7 unread rows.
    ("carol", 7),
    # sam: 4 communities of the street (scope), 5 running campaigns, 6 their count, 7 unread count,
    # 8 unread rows.
    ("sam", 8),
    # alice, staff with the patch view: the staff card's request scope (organisations, own items outside
    # the area) and its three capped counts, and the patch view's scope, open item keys and rows, their
    # count, overdue count, follow-up keys and rows, their count; dwellings, residents needing attention
    # (count), running campaign, still-to-visit count, unread count, still-to-visit rows, attention
    # rows, notification rows: 24 with the three above.
    ("alice", 24),
]


@pytest.mark.parametrize("rows", [1, 50])
def test_role_homes_run_constant_queries(many, client, django_assert_num_queries, rows):
    w = many(rows)
    for who, queries in HOMES:
        client.force_login(getattr(w, who))
        client.get("/dashboard/")  # warm-up
        with django_assert_num_queries(queries):
            response = client.get("/dashboard/")
        assert response.status_code == 200, who
        cards = response.context["cards"]
        # The rows are there, cut to the home's list length.
        if who == "sam":
            assert len(cards["official"]["campaigns"]) == min(rows, 5)
        if who == "vera":
            assert len(cards["helper"]["tasks"]) == len(cards["volunteer"]["signups"]) == min(rows, 5)
            assert cards["helper"]["task_count"] == rows
        if who == "carol":
            assert cards["resident"]["item_count"] == rows
        if who == "max":
            assert len(cards["merchant"]["shops"]) == rows + 1  # and the shop of the volunteer world


def test_home_needs_login_and_a_user_without_role_sees_no_cards(world, client, client_for):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    nobody = f.UserFactory(username="nobody", community=world.c1)
    response = client_for(nobody).get("/dashboard/")
    assert response.status_code == 200 and response.context["cards"] == {}
    assert 'class="panel card"' not in response.content.decode()
