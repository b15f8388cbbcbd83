import pytest

from notifications.models import Notification, SmsLog
from petitions import services as s
from petitions.models import Outbox, Petition
from petitions.services.sweep import sweep


@pytest.mark.sqlite
def test_whole_loop(world, submit):
    p = submit(world)
    assert p.status == "submitted" and p.grid == world.g1 and len(p.tracking_code) == 12
    s.petition_accept(petition=p, by=world.bob)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.dave)
    s.petition_start(petition=p, by=world.dave)
    s.petition_resolve(petition=p, by=world.dave, note="换了灯泡")
    assert p.status == "resolved" and p.follow_up_due_at
    s.petition_follow_up(petition=p, by=world.bob, solved=True, satisfaction="satisfied")
    p.refresh_from_db()
    assert p.status == "closed"
    assert list(p.events.values_list("action", flat=True)) == [
        "submit",
        "accept",
        "dispatch",
        "start",
        "resolve",
        "follow_up",
    ]
    sweep()
    assert set(SmsLog.objects.values_list("template", flat=True)) == {
        "petition_accepted",
        "petition_resolved",
        "petition_followed_up",
    }
    assert Outbox.objects.filter(kind="follow_up_due").count() == 1
    # The grid leader heard of the new item; by the time the sweep ran it was already accepted, so the
    # notice was skipped rather than sent late.
    assert Outbox.objects.get(kind="new_item").skipped
    assert Petition.objects.visible_to(world.bob).count() == 1
    assert Petition.objects.visible_to(world.erin).count() == 0


@pytest.mark.sqlite
def test_new_item_reaches_the_grid_leader(world, submit):
    p = submit(world)
    sweep()
    assert Notification.objects.get(user=world.bob).title == f"新的诉求：{p.tracking_code}"
