"""seed_petitions and seed_volunteers: after `seed_demo`, a new user finds requests, wishes, volunteers and
merchants on the pages they open, and running the loaders again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from petitions.models import Outbox, Petition, PetitionEvent
from volunteers.models import (
    Account,
    Activity,
    Attendance,
    Coupon,
    DutyInspection,
    Entry,
    HourRecord,
    Merchant,
    Offer,
    PointRule,
    SignUp,
    Team,
    Transaction,
    VolunteerProfile,
)

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]

MODELS = [
    Petition,
    PetitionEvent,
    Outbox,
    VolunteerProfile,
    Team,
    Activity,
    SignUp,
    Attendance,
    HourRecord,
    PointRule,
    Merchant,
    DutyInspection,
    Offer,
    Coupon,
    Account,
    Transaction,
    Entry,
]
P = "t_"  # the usernames of the tiny scale


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run(*commands):
    out = StringIO()
    for command in commands:
        call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    run("seed_petitions", "seed_volunteers")
    return {u.username.removeprefix(P): u for u in User.objects.filter(username__startswith=P)}


def test_second_run_changes_nothing(seeded):
    first = counts()
    output = run("seed_petitions", "seed_volunteers")
    assert counts() == first
    assert output.count("nothing to do") == 2
    # What was loaded: ~30 items in every state, three teams, four shops.
    assert 25 <= first["Petition"] <= 35
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert statuses >= {
        "submitted",
        "accepted",
        "dispatched",
        "in_progress",
        "resolved",
        "closed",
        "declined",
    }
    assert set(Petition.objects.values_list("kind", flat=True)) == {"wish", "request", "suggestion"}
    assert len(set(Petition.objects.values_list("channel", flat=True))) >= 5
    assert first["Team"] == 3 and first["Merchant"] == 4
    assert Merchant.objects.filter(duties_signed_on__isnull=False).count() == 4
    assert Merchant.objects.filter(owner=seeded["merchant"]).count() == 1


def test_grid_leader_sees_overdue_items_first(seeded, client):
    leader = seeded["gridleader"]
    overdue = Petition.objects.visible_to(leader).overdue().filter(grid__in=leader.scope.grid_ids)
    assert overdue.count() >= 2
    client.force_login(leader)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.context["overdue_count"] >= 2
    assert response.context["items"][0].is_overdue is True
    # The follow-up visits due land on the leader's list too.
    assert response.context["follow_up_count"] >= 1


def test_public_board_and_wish_wall_show_items(seeded, client):
    closed = Petition.objects.public().filter(status="closed")
    assert closed.count() >= 5
    response = client.get("/petitions/")
    assert response.status_code == 200
    assert closed.first().public_summary in response.content.decode()
    # Disputes between neighbours are closed too, but never public.
    assert not Petition.objects.public().filter(category__private=True).exists()
    wall = Petition.objects.on_wish_wall()
    assert wall.filter(status="accepted").count() >= 3
    assert wall.filter(status="in_progress", assignee=seeded["volunteer"]).exists()
    client.force_login(seeded["volunteer"])
    response = client.get("/wishes/")
    assert response.status_code == 200
    assert wall.filter(status="accepted").first().public_summary in response.content.decode()


def test_volunteer_has_hours_points_and_a_coupon_and_the_ledger_balances(seeded):
    volunteer = seeded["volunteer"]
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.confirmed_hours > 0
    assert HourRecord.objects.filter(volunteer=profile, status="confirmed").exists()
    now = timezone.now()
    assert Activity.objects.filter(ends_at__lt=now, hour_records__volunteer=profile).count() >= 3
    assert Activity.objects.filter(signed_up__gt=0, starts_at__gt=now).count() >= 3
    account = Account.objects.get(kind="person", user=volunteer)
    assert account.balance > 0
    assert Coupon.objects.filter(holder=volunteer, status="issued").count() == 1
    assert Coupon.objects.filter(status="redeemed", offer__merchant__owner=seeded["merchant"]).count() == 1
    assert Offer.objects.filter(kind="goods").exists()
    assert PointRule.objects.filter(kind="per_hour", active=True).count() == 1
    # Every transaction balances, the accounts sum to zero, and each cached balance is its entries' sum.
    assert Entry.objects.aggregate(s=Sum("amount"))["s"] == 0
    assert Account.objects.aggregate(s=Sum("balance"))["s"] == 0
    for txn in Transaction.objects.all():
        assert sum(txn.entries.values_list("amount", flat=True)) == 0
    for account in Account.objects.all():
        assert account.balance == (account.entries.aggregate(s=Sum("amount"))["s"] or 0)
    # Only the community pool and the funding account (the source side of top-ups) are below zero.
    assert not Account.objects.exclude(kind__in=["pool", "funding"]).filter(balance__lt=0).exists()
