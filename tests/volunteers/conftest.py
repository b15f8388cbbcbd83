"""A volunteer world on top of the shared `world`: vera is a registered volunteer of c1; mia (the micro-grid
leader) leads the safety patrol; an activity is running now; an hour earns 10 points; max owns a shop in
the alliance with a love coupon offer; the community points shop has goods."""

import datetime
import threading
import types

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories as f
from volunteers import services
from volunteers.models import Offer


@pytest.fixture
def vw(world):
    return build_volunteer_world(world)


def build_volunteer_world(world):
    now = timezone.now()
    v = types.SimpleNamespace(world=world, now=now)
    v.vera = services.volunteer_register(user=world.vera, community=world.c1, skills="急救", by=world.vera)
    v.mia = services.volunteer_register(user=world.mia, community=world.c1, by=world.mia)
    v.team = services.team_create(
        name="桂花巡逻队", kind="patrol", community=world.c1, leader=world.mia, by=world.alice
    )
    services.team_add_member(team=v.team, volunteer=v.vera, by=world.mia)
    v.activity = services.activity_create(
        team=v.team,
        title="夜间安全巡逻",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=3),
        place="桂花苑东门",
        capacity=10,
        by=world.mia,
    )
    v.rule = services.point_rule_create(
        community=world.c1, kind="per_hour", name="服务一小时", points=10, by=world.alice
    )
    v.shop = services.merchant_create(
        community=world.c1,
        shop_name="好邻居便利店",
        owner_name="马师傅",
        owner=world.max,
        phone="13911112222",
        address="桂花路1号",
        category="grocery",
        area=world.area1,
        by=world.alice,
    )
    v.offer = services.offer_create(
        community=world.c1,
        merchant=v.shop,
        title="爱心券：满50减10",
        value=10,
        points_cost=20,
        quantity=100,
        valid_until=now + datetime.timedelta(days=30),
        by=world.max,
    )
    v.goods = services.offer_create(
        community=world.c1,
        kind=Offer.Kind.GOODS,
        title="积分超市：洗衣液一瓶",
        value=15,
        points_cost=30,
        quantity=5,
        valid_until=now + datetime.timedelta(days=30),
        by=world.alice,
    )
    return v


def give_points(vw, user, points):
    """Award points through a staff action rule (pool → person), the pool funded for them first."""
    rule = services.point_rule_create(
        community=vw.world.c1, kind="action", name=f"奖励{points}", points=points, by=vw.world.alice
    )
    services.points_top_up(community=vw.world.c1, points=points, source="社区共建资金", by=vw.world.alice)
    award = services.points_award_action(rule=rule, user=user, by=vw.world.alice)
    if award.status == award.Status.PENDING:  # above the threshold: a second staff member approves
        award = services.points_award_decide(award=award, approve=True, by=second_staff(vw.world))
    return award.transaction


def second_staff(world):
    """Another staff member of alice's community (olga), for what needs a second person."""
    from accounts.models import User
    from accounts.roles import Role

    user = User.objects.filter(username="olga").first()
    if user is None:
        user = f.UserFactory(username="olga", community=world.c1, is_staff=True)
        f.assign(user, Role.COMMUNITY_STAFF, world.c1)
    return user


def make_volunteer(world, name):
    user = f.UserFactory(username=name, community=world.c1)
    from accounts.roles import Role

    f.assign(user, Role.VOLUNTEER, world.c1)
    return services.volunteer_register(user=user, community=world.c1, by=user)


def run_in_threads(n, target):
    """Start n threads that call target(i) together; each closes its own database connection.
    Returns the list of results (an exception instance for a failure)."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
