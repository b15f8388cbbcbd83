"""Awards for approved actions: never to oneself, a second person above the threshold, paid only from funded
points, and every award in the audit list."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from volunteers import services
from volunteers.models import Account, PointAward, Transaction

from .conftest import second_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(vw):
    w = vw.world
    small = services.point_rule_create(
        community=w.c1, kind="action", name="认领微心愿", points=20, by=w.alice
    )
    big = services.point_rule_create(
        community=w.c1, kind="action", name="年度优秀志愿者", points=150, by=w.alice
    )
    return small, big


@pytest.fixture
def olga(vw):
    return second_staff(vw.world)


def fund(vw, points):
    services.points_top_up(community=vw.world.c1, points=points, source="共建单位捐赠", by=vw.world.alice)


def balance(user):
    return Account.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def test_an_award_to_oneself_is_refused_in_the_service_the_page_and_the_table(vw, rules, client_for):
    w = vw.world
    fund(vw, 100)
    with pytest.raises(ValidationError, match="不能给自己发放积分"):
        services.points_award_action(rule=rules[0], user=w.alice, by=w.alice)
    profile = services.volunteer_register(user=w.alice, community=w.c1, by=w.alice)
    response = client_for(w.alice).post(
        "/volunteers/staff/award/",
        {"rule": rules[0].pk, "volunteer": profile.pk, "memo": "自己"},
        follow=True,
    )
    assert "不能给自己发放积分" in response.content.decode()
    assert balance(w.alice) == 0 and not PointAward.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        PointAward.objects.create(
            community=w.c1,
            rule=rules[0],
            recipient=w.alice,
            points=20,
            status="pending",
            requested_by=w.alice,
        )


def test_the_pool_pays_only_funded_points(vw, rules):
    w = vw.world
    with pytest.raises(ValidationError, match="先登记资金补充"):
        services.points_award_action(rule=rules[0], user=w.vera, by=w.alice)
    assert balance(w.vera) == 0 and not PointAward.objects.exists()
    fund(vw, 30)
    services.points_award_action(rule=rules[0], user=w.vera, by=w.alice)
    assert services.pool_account(w.c1.pk).balance == 10 and balance(w.vera) == 20
    with pytest.raises(ValidationError, match="先登记资金补充"):
        services.points_award_action(rule=rules[0], user=w.vera, by=w.alice)
    topup = Transaction.objects.get(kind="topup")
    assert (topup.memo, topup.created_by) == ("共建单位捐赠", w.alice)
    with pytest.raises(ValidationError):
        services.points_top_up(community=w.c1, points=0, source="x", by=w.alice)
    with pytest.raises(ValidationError):
        services.points_top_up(community=w.c1, points=10, source=" ", by=w.alice)
    with pytest.raises(ValidationError):
        services.points_top_up(community=w.c1, points=10, source="x", by=w.erin)


def test_above_the_threshold_a_second_staff_member_approves(vw, rules, olga, settings):
    w = vw.world
    settings.VOLUNTEERS_AWARD_APPROVAL_THRESHOLD = 100
    fund(vw, 200)
    award = services.points_award_action(rule=rules[1], user=w.vera, by=w.alice)
    assert award.status == "pending" and balance(w.vera) == 0
    with pytest.raises(ValidationError, match="第二个人"):
        services.points_award_decide(award=award, approve=True, by=w.alice)
    with pytest.raises(ValidationError):
        services.points_award_decide(award=award, approve=True, by=w.erin)
    assert balance(w.vera) == 0
    award = services.points_award_decide(award=award, approve=True, by=olga)
    assert (award.status, award.decided_by) == ("paid", olga) and balance(w.vera) == 150
    with pytest.raises(ValidationError):
        services.points_award_decide(award=award, approve=True, by=olga)
    assert balance(w.vera) == 150
    refused = services.points_award_action(rule=rules[1], user=w.vera, by=w.alice)
    services.points_award_decide(award=refused, approve=False, by=olga)
    refused.refresh_from_db()
    assert refused.status == "refused" and balance(w.vera) == 150


def test_the_audit_list_shows_every_award_and_decides_pending_ones(vw, rules, olga, client_for):
    w = vw.world
    fund(vw, 500)
    services.points_award_action(rule=rules[0], user=w.vera, by=w.alice, memo="帮老人买菜")
    pending = services.points_award_action(rule=rules[1], user=w.vera, by=w.alice, memo="年度评选")
    html = client_for(olga).get("/volunteers/staff/awards/").content.decode()
    assert "帮老人买菜" in html and "年度评选" in html and "待审批" in html
    assert "共建单位捐赠" not in html  # the list is of awards; the pool shows its funded balance
    response = client_for(olga).post(f"/volunteers/staff/awards/{pending.pk}/decide/", {"approve": "1"})
    assert response.status_code == 302 and balance(w.vera) == 170
    # Another community's staff: not in their list, and the award does not exist for them.
    assert "帮老人买菜" not in client_for(w.erin).get("/volunteers/staff/awards/").content.decode()
    assert client_for(w.erin).post(f"/volunteers/staff/awards/{pending.pk}/decide/").status_code == 404
    assert client_for(w.vera).get("/volunteers/staff/awards/").status_code == 404
    # The top-up form on the page.
    response = client_for(w.alice).post(
        "/volunteers/staff/awards/", {"community": w.c1.pk, "points": "50", "source": "街道拨付"}
    )
    assert response.status_code == 302 and services.pool_account(w.c1.pk).balance == 500 - 170 + 50
    response = client_for(w.alice).post(
        "/volunteers/staff/awards/", {"community": w.c1.pk, "points": "-5", "source": "x"}
    )
    assert response.status_code == 200 and services.pool_account(w.c1.pk).balance == 380


def test_the_audit_list_has_a_constant_number_of_queries(vw, rules, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = vw.world
    client = client_for(w.alice)
    counts = []
    for n in (1, 29):
        fund(vw, 20 * n)
        for _ in range(n):
            services.points_award_action(rule=rules[0], user=w.vera, by=w.alice)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/volunteers/staff/awards/")
        assert response.status_code == 200 and response.context["awards"].paginator.count == sum(
            (1, 29)[: len(counts) + 1]
        )
        counts.append(len(queries))
    assert counts[0] == counts[1]
