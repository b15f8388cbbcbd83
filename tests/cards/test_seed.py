"""seed_cards after seed_demo: every demo card shows all five posts with a work phone, and a second run
changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from cards.selectors import Post, all_community_cards
from grids.models import Community

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(User.objects.values_list("username", "work_phone")), list(
        User.objects.exclude(work_phone="").values_list("pk", flat=True).order_by("pk")
    )


def test_seed_cards_fills_every_post_once():
    call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    community = Community.objects.order_by("code").first()
    assert any(card.missing for card in all_community_cards(community))
    call_command("seed_cards", stdout=StringIO())
    first = snapshot()
    for community in Community.objects.all():
        cards = all_community_cards(community)
        assert cards and all(not card.missing for card in cards), [c.missing for c in cards]
        building_card = next(card for card in cards if card.building)
        posts = {contact.post for contact in building_card.contacts}
        assert posts == {
            Post.SECRETARY,
            Post.OWNERS_CHAIR,
            Post.PROPERTY_MANAGER,
            Post.GRID_LEADER,
            Post.BUILDING_LEADER,
        }
        # Work numbers only: a resident's mobile (11 digits from 1) is never printed.
        assert all(contact.phone.startswith("0571-8") for contact in building_card.contacts)
    out = StringIO()
    call_command("seed_cards", stdout=out)
    assert snapshot() == first and "nothing to do" in out.getvalue()
