"""Points rules and party members' points are community-scoped rows, not ledger transactions."""

from volunteers.models import PartyPointRecord, PointRule, Transaction
from volunteers.querysets import CommunityScopedQuerySet, TransactionQuerySet

from .conftest import give_points


def test_each_model_has_the_queryset_that_names_it(vw):
    assert isinstance(PointRule.objects.all(), CommunityScopedQuerySet)
    assert not isinstance(PointRule.objects.all(), TransactionQuerySet)
    assert not isinstance(PartyPointRecord.objects.all(), TransactionQuerySet)
    assert isinstance(Transaction.objects.all(), TransactionQuerySet)


def test_rules_and_transactions_are_seen_by_their_community_staff_only(vw):
    give_points(vw, vw.world.vera, 10)
    alice, erin = vw.world.alice, vw.world.erin
    assert set(PointRule.objects.visible_to(alice)) == set(PointRule.objects.filter(community=vw.world.c1))
    assert PointRule.objects.visible_to(alice).exists()
    assert not PointRule.objects.visible_to(erin).exists()
    assert Transaction.objects.visible_to(alice).exists()
    assert not Transaction.objects.visible_to(erin).exists()
