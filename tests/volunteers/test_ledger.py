"""The points ledger: balanced, immutable, never below zero except the pool."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteers import services
from volunteers.models import Account, Entry, PartyPointRecord, Transaction

from .conftest import give_points, run_in_threads


def assert_ledger_holds():
    """Every transaction balances, balances sum to zero, each balance equals the sum of its entries."""
    unbalanced = Transaction.objects.annotate(total=Sum("entries__amount")).exclude(total=0)
    assert not unbalanced.exists()
    assert (Account.objects.aggregate(s=Sum("balance"))["s"] or 0) == 0
    for account in Account.objects.all():
        entries = Entry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
        assert account.balance == entries, account
        assert account.kind in (Account.Kind.POOL, Account.Kind.FUNDING) or account.balance >= 0


@pytest.mark.sqlite
def test_earning_moves_points_from_the_pool(vw):
    give_points(vw, vw.world.vera, 40)
    # The funded top-up came from the funding account; the award took it out of the pool again.
    assert services.pool_account(vw.world.c1.pk).balance == 0
    assert services.funding_account(vw.world.c1.pk).balance == -40
    assert Account.objects.get(user=vw.world.vera).balance == 40
    assert_ledger_holds()


@pytest.mark.sqlite
def test_spending_more_than_the_balance_is_refused_and_writes_nothing(vw):
    give_points(vw, vw.world.vera, 10)
    before = Transaction.objects.count()
    with pytest.raises(ValidationError, match="积分不足"):
        services.coupon_take(offer=vw.offer, by=vw.world.vera)
    assert Transaction.objects.count() == before
    vw.offer.refresh_from_db()
    assert vw.offer.issued == 0 and not vw.offer.coupons.exists()


def test_unbalanced_or_cross_community_posts_are_refused(vw):
    person = services.person_account(community_id=vw.world.c1.pk, user=vw.world.vera)
    pool = services.pool_account(vw.world.c1.pk)
    other_pool = services.pool_account(vw.world.c2.pk)
    with pytest.raises(ValidationError):
        services.ledger_post(
            community_id=vw.world.c1.pk, kind="earn_action", movements=[(pool, -5), (person, 4)]
        )
    with pytest.raises(ValidationError):
        services.ledger_post(
            community_id=vw.world.c1.pk, kind="earn_action", movements=[(other_pool, -5), (person, 5)]
        )
    assert not Transaction.objects.exists()


def test_ledger_rows_are_immutable(vw):
    txn = give_points(vw, vw.world.vera, 10)
    entry = txn.entries.first()
    entry.amount = 1000
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        txn.delete()


def test_party_member_points_are_a_separate_score(vw):
    w = vw.world
    services.party_points_record(community=w.c1, member=w.pete, points=5, reason="参加主题党日", by=w.alice)
    assert PartyPointRecord.objects.filter(member=w.pete).count() == 1
    assert not Account.objects.filter(user=w.pete).exists()
    with pytest.raises(ValidationError):
        services.coupon_take(offer=vw.offer, by=w.pete)
    with pytest.raises(ValidationError, match="不是党员"):
        services.party_points_record(community=w.c1, member=w.vera, points=5, reason="x", by=w.alice)


def test_only_staff_award_points(vw):
    rule = services.point_rule_create(
        community=vw.world.c1, kind="action", name="清理楼道", points=5, by=vw.world.alice
    )
    with pytest.raises(ValidationError):
        services.points_award_action(rule=rule, user=vw.world.vera, by=vw.world.vera)
    with pytest.raises(ValidationError):
        services.points_award_action(rule=rule, user=vw.world.vera, by=vw.world.erin)


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_spending_one_balance_never_go_below_zero(transactional_db, vw):
    # 100 points pay for five coupons of 20; fifty people with the same account try at once.
    give_points(vw, vw.world.vera, 100)
    user = vw.world.vera

    def take(_i):
        return services.coupon_take(offer=vw.offer, by=user)

    results = run_in_threads(50, take)
    taken = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(taken) == 5
    assert all(isinstance(r, ValidationError) for r in refused), refused[:3]
    assert Account.objects.get(user=user).balance == 0
    vw.offer.refresh_from_db()
    assert vw.offer.issued == 5
    assert_ledger_holds()


operations = st.lists(
    st.tuples(
        st.sampled_from(["award", "take", "redeem", "expire", "goods"]), st.integers(0, 2), st.integers(1, 60)
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_ledger_invariant_under_random_operations(vw, ops):
    people = [vw.world.vera, vw.world.carol, vw.world.pete]
    for op, who, amount in ops:
        user = people[who]
        try:
            if op == "award":
                give_points(vw, user, amount)
            elif op == "take":
                services.coupon_take(offer=vw.offer, by=user)
            elif op == "goods":
                services.coupon_take(offer=vw.goods, by=user)
            elif op == "redeem":
                coupon = user.coupons.filter(status="issued").select_related("offer").first()
                if coupon:
                    by = vw.world.max if coupon.offer.merchant_id else vw.world.alice
                    services.coupon_redeem(token=coupon.token, by=by, bill_amount=amount)
            elif op == "expire":
                coupon = user.coupons.filter(status="issued").first()
                if coupon:
                    services.coupon_expire(
                        coupon_id=coupon.pk, now=timezone.now() + datetime.timedelta(days=60)
                    )
        except ValidationError:
            pass
        assert_ledger_holds()


def test_points_do_not_expire_by_default(vw):
    give_points(vw, vw.world.vera, 30)
    from volunteers import tasks

    assert tasks.sweep_expired_points(now=timezone.now() + datetime.timedelta(days=3650)) == 0
    assert Account.objects.get(user=vw.world.vera).balance == 30


def test_points_expire_when_the_setting_says_so(vw, settings):
    from volunteers import tasks

    settings.VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS = 365
    give_points(vw, vw.world.vera, 30)
    assert tasks.sweep_expired_points() == 0  # earned today: nothing lapses
    later = timezone.now() + datetime.timedelta(days=400)
    assert tasks.sweep_expired_points(now=later) == 30
    assert tasks.sweep_expired_points(now=later) == 0  # a second sweep expires nothing more
    assert Account.objects.get(user=vw.world.vera).balance == 0
    assert_ledger_holds()


def test_points_expire_in_batches_each_account_once(vw, settings):
    # Catches a batched sweep that stops after its first batch or visits an account twice.
    from volunteers import tasks

    settings.VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS = 365
    give_points(vw, vw.world.vera, 30)
    give_points(vw, vw.world.mia, 20)
    give_points(vw, vw.world.max, 10)
    later = timezone.now() + datetime.timedelta(days=400)
    assert tasks.sweep_expired_points(now=later, batch=2) == 60
    assert tasks.sweep_expired_points(now=later, batch=2) == 0
    assert Account.objects.filter(kind=Account.Kind.PERSON, balance__gt=0).count() == 0
    assert_ledger_holds()
