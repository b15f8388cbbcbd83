"""An item still overdue after reaching community staff goes on to the street by itself, once per level."""

import datetime

import pytest

from notifications.models import Notification
from petitions import services as s
from petitions.models import Outbox, PetitionEvent
from petitions.services import sweep as outbox


@pytest.mark.sqlite
@pytest.mark.django_db
def test_still_overdue_item_reaches_the_street_once(world, submit, settings, client):
    settings.PETITION_ESCALATE_AGAIN_HOURS = 24
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.dave)
    p.refresh_from_db()
    late = p.resolve_due_at + datetime.timedelta(minutes=1)
    outbox.sweep(now=late)
    p.refresh_from_db()
    assert p.escalation_level == 1
    assert not Notification.objects.filter(user=world.sam, title__contains=p.tracking_code).exists()
    # Community staff get a full further period before the street hears of it.
    outbox.sweep(now=late + datetime.timedelta(hours=23))
    p.refresh_from_db()
    assert p.escalation_level == 1
    later = late + datetime.timedelta(hours=24, minutes=1)
    outbox.sweep(now=later)
    p.refresh_from_db()
    assert p.escalation_level == 2  # shown as escalated to the street
    assert Notification.objects.filter(user=world.sam, title__contains=p.tracking_code).count() == 1
    # The street official may now annotate and reassign it, and the page says where it stands.
    client.force_login(world.sam)
    assert "已升级至街道" in client.get(f"/workbench/{p.pk}/").content.decode()
    assert {"annotate", "reassign"} <= set(s.allowed_actions(world.sam, p))
    # Nothing further: the street is the top, and a week of sweeps changes nothing.
    for days in range(2, 9):
        outbox.sweep(now=late + datetime.timedelta(days=days))
    p.refresh_from_db()
    assert p.escalation_level == 2
    assert PetitionEvent.objects.filter(petition=p, action="escalate").count() == 2
    assert Notification.objects.filter(user=world.sam, title__contains=p.tracking_code).count() == 1
    assert Outbox.objects.filter(petition=p, kind="resolve_overdue").count() == 2


@pytest.mark.sqlite
@pytest.mark.django_db
def test_new_deadline_ends_the_old_escalation_chain(world, submit, settings):
    settings.PETITION_ESCALATE_AGAIN_HOURS = 24
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.dave)
    p.refresh_from_db()
    late = p.resolve_due_at + datetime.timedelta(minutes=1)
    outbox.sweep(now=late)
    # The assignee resolves; the re-escalation row finds nothing to do.
    s.petition_resolve(petition=p, by=world.dave, note="fixed")
    outbox.sweep(now=late + datetime.timedelta(days=2))
    p.refresh_from_db()
    assert p.escalation_level == 1
    assert not Notification.objects.filter(user=world.sam, title__contains=p.tracking_code).exists()
