"""Every transition goes through petition_transition: legal ones move the item and leave an event row,
illegal ones (wrong state or wrong person) are refused and change nothing."""

import datetime

import pytest
from django.utils import timezone

from governance.models import Organisation
from petitions import services as s
from petitions.calendar import add_working_days
from petitions.models import Holiday, Outbox, Petition
from petitions.services import PetitionError
from tests import factories as f

pytestmark = pytest.mark.django_db


def walk(w, p, to):
    """Bring a fresh item to a status along the ordinary path."""
    steps = {
        "accepted": [lambda: s.petition_accept(petition=p, by=w.bob)],
        "dispatched": [lambda: s.petition_dispatch(petition=p, by=w.alice, assignee=w.dave)],
        "in_progress": [lambda: s.petition_start(petition=p, by=w.dave)],
        "resolved": [lambda: s.petition_resolve(petition=p, by=w.dave, note="修好了")],
        "closed": [lambda: s.petition_follow_up(petition=p, by=w.bob, solved=True, satisfaction="satisfied")],
    }
    order = ["accepted", "dispatched", "in_progress", "resolved", "closed"]
    if to == "submitted":
        return p
    if to == "declined":
        return s.petition_decline(petition=p, by=w.bob, note="不属于社区事务")
    if to == "suspended":
        walk(w, p, "accepted")
        return s.petition_transition(petition=p, action="suspend", by=w.alice, note="等待物业")
    for step in order[: order.index(to) + 1]:
        steps[step][0]()
    return p


# Which actions are legal from which state (for a person allowed to do them).
LEGAL = {name: {str(x) for x in rule.sources} for name, rule in s.RULES.items()}
STATES = ["submitted", "accepted", "dispatched", "in_progress", "resolved", "closed", "declined", "suspended"]


@pytest.mark.parametrize("state", STATES)
def test_illegal_transitions_are_refused_and_change_nothing(world, submit, state):
    p = walk(world, submit(world), state)
    for action in s.RULES:
        if state in LEGAL[action]:
            continue
        events = p.events.count()
        with pytest.raises(PetitionError):
            s.petition_transition(petition=p, action=action, by=world.alice, note="x")
        p.refresh_from_db()
        assert p.status == state and p.events.count() == events, action


def test_every_legal_step_writes_one_event(world, submit):
    p = walk(world, submit(world), "closed")
    events = list(p.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert events == [
        ("submit", "", "submitted", None),
        ("accept", "submitted", "accepted", "bob"),
        ("dispatch", "accepted", "dispatched", "alice"),
        ("start", "dispatched", "in_progress", "dave"),
        ("resolve", "in_progress", "resolved", "dave"),
        ("follow_up", "resolved", "closed", "bob"),
    ]


@pytest.mark.parametrize("who", ["carol", "erin", "sam", "dana", "pete", "dave", "gwen", "max"])
def test_people_outside_the_item_cannot_accept(world, submit, who):
    p = submit(world)
    with pytest.raises(PetitionError):
        s.petition_accept(petition=p, by=getattr(world, who))
    p.refresh_from_db()
    assert p.status == "submitted"


def test_decline_needs_a_reason_the_resident_sees(world, submit, client):
    p = submit(world)
    with pytest.raises(PetitionError):
        s.petition_decline(petition=p, by=world.bob, note=" ")
    s.petition_decline(petition=p, by=world.bob, note="属于物业维修范围，已告知物业")
    assert "属于物业维修范围" in client.get(f"/petitions/track/{p.tracking_code}/").content.decode()


def test_only_assignee_or_staff_resolves_and_follow_up_is_by_someone_else(world, submit):
    p = walk(world, submit(world), "in_progress")
    with pytest.raises(PetitionError):
        s.petition_resolve(petition=p, by=world.pete, note="done")
    s.petition_resolve(petition=p, by=world.alice, note="done")
    with pytest.raises(PetitionError, match="someone other|办结人以外"):
        s.petition_follow_up(petition=p, by=world.alice, solved=True, satisfaction="satisfied")
    s.petition_follow_up(petition=p, by=world.bob, solved=True, satisfaction="basically")


def test_not_solved_reopens_with_new_deadline_then_goes_to_review(world, submit):
    p = walk(world, submit(world), "resolved")
    old_due = p.resolve_due_at
    s.petition_follow_up(petition=p, by=world.bob, solved=False, satisfaction="dissatisfied")
    p.refresh_from_db()
    assert p.status == "dispatched" and p.assignee == world.dave and p.resolve_due_at >= old_due
    assert Outbox.objects.filter(petition=p, kind="resolve_overdue", deadline=p.resolve_due_at).exists()
    s.petition_start(petition=p, by=world.dave)
    s.petition_resolve(petition=p, by=world.dave, note="再次处理")
    s.petition_follow_up(petition=p, by=world.bob, solved=False, satisfaction="dissatisfied")
    p.refresh_from_db()
    assert p.status == "review"
    with pytest.raises(PetitionError):
        s.petition_transition(petition=p, action="review_close", by=world.bob, note="x")
    s.petition_transition(petition=p, action="review_close", by=world.alice, note="社区评议：已尽力")
    assert p.status == "closed"


def test_unreachable_needs_three_attempts_on_different_days(world, submit, monkeypatch):
    p = walk(world, submit(world), "resolved")
    start = timezone.now()
    for day in range(3):
        monkeypatch.setattr(timezone, "now", lambda d=day: start + datetime.timedelta(days=d))
        s.petition_follow_up_unreachable(petition=p, by=world.bob, note="电话未接")
        if day == 0:
            with pytest.raises(PetitionError):
                s.petition_follow_up_unreachable(petition=p, by=world.bob)
        p.refresh_from_db()
        assert p.status == ("closed" if day == 2 else "resolved")
    assert p.unreachable and p.satisfaction == ""


def test_item_cannot_close_without_follow_up(world, submit):
    p = walk(world, submit(world), "in_progress")
    assert "close" not in s.RULES
    s.petition_resolve(petition=p, by=world.dave, note="ok")
    assert p.status == "resolved" and p.closed_at is None
    # From "resolved" the only way on is a follow-up (or the resident's own rating).
    assert set(s.allowed_actions(world.alice, p)) == {
        "follow_up",
        "follow_up_unreachable",
        "annotate",
        "set_summary",
    }


def test_send_back_report_up_and_street_reassign(world, submit):
    p = walk(world, submit(world), "dispatched")
    s.petition_transition(petition=p, action="send_back", by=world.dave, note="不是我网格的")
    assert p.status == "accepted" and p.assignee is None
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.bob)
    # A street official may not reassign before the item reached the street.
    with pytest.raises(PetitionError):
        s.petition_reassign(petition=p, by=world.sam, assignee=world.dave)
    s.petition_transition(petition=p, action="report_up", by=world.bob, note="需要社区协调")
    assert p.escalation_level == 1 and p.status == "accepted"
    s.petition_transition(petition=p, action="report_up", by=world.alice, note="需要街道协调")
    assert p.escalation_level == 2
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.dave)
    s.petition_reassign(petition=p, by=world.sam, assignee=world.bob)
    s.petition_transition(petition=p, action="annotate", by=world.sam, note="街道督办")
    assert p.assignee == world.bob
    assert list(p.events.values_list("action", flat=True))[-2:] == ["reassign", "annotate"]


def test_extension_is_approved_by_the_level_above(world, submit):
    p = walk(world, submit(world), "in_progress")
    until = p.resolve_due_at + datetime.timedelta(days=3)
    s.petition_transition(petition=p, action="request_extension", by=world.dave, note="等配件", until=until)
    with pytest.raises(PetitionError):
        s.petition_transition(petition=p, action="approve_extension", by=world.dave)
    s.petition_transition(petition=p, action="approve_extension", by=world.alice)
    assert p.resolve_due_at == until and p.extension_requested_until is None


def test_suspend_resume_merge_and_on_the_spot(world, submit):
    p = walk(world, submit(world), "suspended")
    s.petition_transition(petition=p, action="resume", by=world.alice)
    assert p.status == "accepted"
    dup = submit(world, description="楼道灯又坏了")
    s.petition_merge(petition=dup, into=p, by=world.alice, note="同一问题")
    assert dup.status == "merged" and dup.merged_into == p
    spot = submit(world)
    with pytest.raises(PetitionError):
        s.petition_resolve_on_the_spot(petition=spot, by=world.alice, note="x")
    s.petition_resolve_on_the_spot(petition=spot, by=world.bob, note="现场拧紧灯泡")
    assert spot.status == "resolved" and spot.resolved_by == world.bob and spot.accepted_at


def test_wish_wall_claim_fulfil_confirm(world, submit, client):
    wish = submit(world, kind="wish", description="想请人帮忙买菜")
    s.petition_accept(petition=wish, by=world.bob)
    with pytest.raises(PetitionError):
        s.petition_claim(petition=wish, by=world.pete)
    s.petition_transition(petition=wish, action="publish_wish", by=world.bob, note="独居老人需要代买菜")
    assert "独居老人需要代买菜" in client.get("/wishes/").content.decode()
    with pytest.raises(PetitionError):
        s.petition_claim(petition=wish, by=world.erin)
    client.force_login(world.pete)
    assert client.post(f"/wishes/{wish.pk}/claim/").status_code == 302
    wish.refresh_from_db()
    assert wish.status == "in_progress" and wish.assignee == world.pete
    with pytest.raises(PetitionError):
        s.petition_claim(petition=wish, by=world.vera)
    s.petition_resolve(petition=wish, by=world.pete, note="已代买")
    s.petition_follow_up(petition=wish, by=world.bob, solved=True, satisfaction="satisfied")
    assert wish.status == "closed"


def test_dispatch_to_an_organisation_its_members_work_it(world, submit):
    team = f.OrganisationFactory(community=world.c1, kind=Organisation.Kind.VOLUNTEER_TEAM, name="邻里管家")
    team.members.add(world.vera)
    other = f.OrganisationFactory(community=world.c2)
    p = walk(world, submit(world), "accepted")
    with pytest.raises(PetitionError):
        s.petition_dispatch(petition=p, by=world.alice, organisation=other)
    s.petition_dispatch(petition=p, by=world.alice, organisation=team)
    assert Petition.objects.assigned_to(world.vera).get() == p
    assert Petition.objects.visible_to(world.vera).get() == p
    s.petition_start(petition=p, by=world.vera)
    s.petition_resolve(petition=p, by=world.vera, note="志愿者已处理")
    assert p.status == "resolved"


def test_hotline_items_keep_their_work_order_number(world, submit):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        submit(world, channel="hotline", by=world.alice)
    p = submit(world, channel="hotline", hotline_order_no="12345-2026-000123", by=world.alice)
    assert p.hotline_order_no == "12345-2026-000123"
    with pytest.raises(PetitionError):
        submit(world, channel="phone", by=world.erin)


def test_working_day_deadlines_use_the_calendar(world, category, submit):
    friday = timezone.make_aware(datetime.datetime(2026, 10, 2, 10, 0))  # a Friday
    assert add_working_days(friday, 2).date() == datetime.date(2026, 10, 6)
    Holiday.objects.create(date=datetime.date(2026, 10, 5), name="国庆")
    Holiday.objects.create(date=datetime.date(2026, 10, 3), name="调休", is_workday=True)
    assert add_working_days(friday, 2).date() == datetime.date(2026, 10, 6)  # Sat (workday) + Tue
    assert add_working_days(friday, 1).date() == datetime.date(2026, 10, 3)
    category.deadline_unit = "workdays"
    category.accept_within = 1
    category.save()
    p = submit(world)
    assert p.accept_due_at > timezone.now() + datetime.timedelta(hours=20)


def test_visibility_by_role(world, submit):
    p1 = submit(world)
    p3 = submit(world, building=world.b3)
    assert set(Petition.objects.visible_to(world.alice)) == {p1}
    assert set(Petition.objects.visible_to(world.erin)) == {p3}
    assert set(Petition.objects.visible_to(world.bob)) == {p1}
    assert set(Petition.objects.visible_to(world.dave)) == set()
    assert set(Petition.objects.visible_to(world.sam)) == {p1, p3}
    assert set(Petition.objects.editable_by(world.sam)) == set()
    assert set(Petition.objects.visible_to(world.carol)) == set()
    h1 = submit(world, household=world.h1, building=None)
    assert set(Petition.objects.visible_to(world.mia)) == {h1}


def test_dispatch_to_another_grid_of_the_community(world, submit):
    p = walk(world, submit(world), "accepted")
    with pytest.raises(PetitionError):
        s.petition_dispatch(petition=p, by=world.alice, grid=world.g3)
    s.petition_dispatch(petition=p, by=world.alice, grid=world.g2)
    assert p.grid == world.g2 and Petition.objects.visible_to(world.dave).filter(pk=p.pk).exists()
    assert not Petition.objects.visible_to(world.bob).filter(pk=p.pk).exists()
    s.petition_start(petition=p, by=world.dave)
    assert p.assignee == world.dave and p.status == "in_progress"
