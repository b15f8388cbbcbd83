"""The response rate counts only items whose first-contact deadline has passed, or that were contacted:
right after a collection drive, items still inside their deadline are neither hits nor misses."""

import datetime

import pytest
from django.utils import timezone

from petitions import services as ps
from petitions.models import Category, Petition
from petitions.selectors import petition_stats
from stats import selectors

pytestmark = pytest.mark.django_db


def test_items_still_inside_their_first_contact_deadline_do_not_count(world):
    category = Category.objects.create(name="公共设施", contact_within_hours=24)

    def submit():
        return ps.petition_submit(
            kind="request", category=category, description="楼道灯坏了", channel="public", building=world.b1
        )

    called = submit()
    ps.petition_transition(petition=called, action="contact", by=world.bob)
    for _i in range(8):
        submit()  # just collected: 24 hours to call each of them
    missed = submit()
    Petition.objects.filter(pk=missed.pk).update(contact_due_at=timezone.now() - datetime.timedelta(hours=1))

    # One called in time, one missed; the eight still waiting are not "not responded".
    assert petition_stats(world.alice, community=world.c1)["response_rate"] == 50.0
    month = selectors.month_period(timezone.localdate())
    figures = selectors.area_statistics(selectors.LEVELS["grid"], world.g1, month)["petitions"]
    assert figures["response_rate"] == 50.0 and figures["received"] == 10
    # Once their deadline passes uncalled, they count as missed.
    later = timezone.now() + datetime.timedelta(hours=25)
    assert petition_stats(world.alice, community=world.c1, now=later)["response_rate"] == 10.0
