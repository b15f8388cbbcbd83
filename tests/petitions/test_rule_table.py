"""The rule table pinned: every action from every status, and each rule's own check, case by case.

Each case is checked twice: what the pages offer (allowed_actions) and what the service does when the
action is tried anyway (petition_transition refuses with the check's code and changes nothing)."""

import datetime

import pytest
from django.utils import timezone

from petitions import calendar
from petitions import services as s
from petitions.models import Outbox, Petition, PetitionEvent
from petitions.services import PetitionError

pytestmark = pytest.mark.django_db

IN_A_WEEK = object()  # placeholders turned into datetimes at run time
LAST_WEEK = object()


def item(world, submit, **fields):
    """A request about building b1 (grid g1, community c1) put straight into the state under test."""
    kind = fields.pop("kind", "request")
    p = submit(world, kind=kind)
    now = timezone.now()
    for name, value in fields.items():
        if value is IN_A_WEEK:
            fields[name] = now + datetime.timedelta(days=7)
        elif value is LAST_WEEK:
            fields[name] = now - datetime.timedelta(days=7)
        elif isinstance(value, str) and name.endswith("_user"):
            fields[name] = getattr(world, value)
    fields = {k.removesuffix("_user"): v for k, v in fields.items()}
    Petition.objects.filter(pk=p.pk).update(**fields)
    p.refresh_from_db()
    return p


# (action, who, the item's state, offered?) — one row per side of each rule's own check.
CHECK_CASES = [
    # A street official may annotate only what was escalated to the street; community staff always.
    ("annotate", "sam", {"status": "dispatched", "escalation_level": 0}, False),
    ("annotate", "sam", {"status": "dispatched", "escalation_level": 1}, False),
    ("annotate", "sam", {"status": "dispatched", "escalation_level": 2}, True),
    ("annotate", "alice", {"status": "dispatched", "escalation_level": 0}, True),
    # The same for reassigning.
    ("reassign", "sam", {"status": "dispatched", "escalation_level": 1}, False),
    ("reassign", "sam", {"status": "dispatched", "escalation_level": 2}, True),
    ("reassign", "alice", {"status": "in_progress", "escalation_level": 0}, True),
    # One pending extension request at a time.
    ("request_extension", "dave", {"status": "in_progress", "assignee_user": "dave"}, True),
    (
        "request_extension",
        "dave",
        {"status": "in_progress", "assignee_user": "dave", "extension_requested_until": IN_A_WEEK},
        False,
    ),
    # An extension is decided only when asked for, by the level above (officials once escalated).
    ("approve_extension", "alice", {"status": "in_progress", "assignee_user": "dave"}, False),
    (
        "approve_extension",
        "alice",
        {"status": "in_progress", "assignee_user": "dave", "extension_requested_until": IN_A_WEEK},
        True,
    ),
    (
        "approve_extension",
        "alice",
        {"status": "in_progress", "assignee_user": "alice", "extension_requested_until": IN_A_WEEK},
        False,
    ),
    (
        "reject_extension",
        "sam",
        {"status": "in_progress", "extension_requested_until": IN_A_WEEK, "escalation_level": 0},
        False,
    ),
    (
        "reject_extension",
        "sam",
        {"status": "in_progress", "extension_requested_until": IN_A_WEEK, "escalation_level": 1},
        True,
    ),
    # Only a published wish is claimed; only an unpublished wish is published.
    ("claim", "pete", {"status": "accepted", "kind": "wish", "wish_published": True}, True),
    ("claim", "pete", {"status": "accepted", "kind": "wish", "wish_published": False}, False),
    ("claim", "pete", {"status": "accepted", "kind": "request", "wish_published": True}, False),
    ("publish_wish", "alice", {"status": "accepted", "kind": "wish"}, True),
    ("publish_wish", "alice", {"status": "accepted", "kind": "wish", "wish_published": True}, False),
    ("publish_wish", "alice", {"status": "accepted", "kind": "request"}, False),
    # The follow-up is made by someone other than the resolver.
    ("follow_up", "bob", {"status": "resolved", "resolved_by_user": "bob"}, False),
    ("follow_up", "bob", {"status": "resolved", "resolved_by_user": "dave"}, True),
    ("follow_up_unreachable", "alice", {"status": "resolved", "resolved_by_user": "alice"}, False),
    ("follow_up_unreachable", "alice", {"status": "resolved", "resolved_by_user": "dave"}, True),
]


@pytest.mark.parametrize(
    ("action", "who", "state", "offered"), CHECK_CASES, ids=lambda v: v if isinstance(v, str) else None
)
def test_each_rule_check(world, submit, action, who, state, offered):
    p = item(world, submit, **state)
    user = getattr(world, who)
    assert (action in s.allowed_actions(user, p)) is offered
    if offered:
        return
    before = PetitionEvent.objects.filter(petition=p).count()
    with pytest.raises(PetitionError) as err:
        s.petition_transition(petition=p, action=action, by=user, note="说明")
    assert err.value.code == "refused"
    assert PetitionEvent.objects.filter(petition=p).count() == before


@pytest.mark.parametrize("status", Petition.Status.values)
def test_every_action_from_every_status(world, submit, status):
    """From a status outside an action's sources the action is neither offered nor done, for anyone."""
    p = item(world, submit, status=status, assignee_user="dave", escalation_level=2)
    users = [world.alice, world.bob, world.dave, world.sam, world.mia, world.pete, world.carol]
    for action, rule in s.RULES.items():
        if status in rule.sources:
            continue
        for user in users:
            assert action not in s.allowed_actions(user, p), (action, user)
        with pytest.raises(PetitionError) as err:
            s.petition_transition(petition=p, action=action, by=world.alice, note="说明")
        assert err.value.code == "illegal_transition", action


def test_resume_gives_back_a_full_resolution_period(world, submit):
    p = item(world, submit, status="in_progress", assignee_user="dave")
    s.petition_transition(petition=p, action="suspend", by=world.alice, note="等待业委会")
    Petition.objects.filter(pk=p.pk).update(resolve_due_at=timezone.now() - datetime.timedelta(days=1))
    p.refresh_from_db()
    before = timezone.now()
    s.petition_transition(petition=p, action="resume", by=world.alice)
    p.refresh_from_db()
    c = p.category
    assert p.status == "in_progress"
    assert p.resolve_due_at >= calendar.deadline(before, c.resolve_within, c.deadline_unit)
    assert Outbox.objects.filter(petition=p, kind="resolve_overdue", deadline=p.resolve_due_at).exists()


@pytest.mark.parametrize(("length", "accepted"), [(2000, True), (2001, False)])
def test_the_service_limits_notes_to_2000_characters(world, submit, length, accepted):
    """Whoever calls (a command, a task, a future form): the limit is the service's own."""
    p = item(world, submit, status="dispatched")
    note = "记" * length
    if accepted:
        s.petition_transition(petition=p, action="annotate", by=world.alice, note=note)
        assert PetitionEvent.objects.get(petition=p, action="annotate").note == note
        return
    with pytest.raises(PetitionError) as err:
        s.petition_transition(petition=p, action="annotate", by=world.alice, note=note)
    assert err.value.code == "too_long"
    assert not PetitionEvent.objects.filter(petition=p, action="annotate").exists()
