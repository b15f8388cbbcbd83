"""Reads of deliberation. Every read starts from `visible_to(user)`; outside the patch an object is a 404."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.scoping import get_in_scope_or_404
from governance.models import Organisation, PartyMember
from grids import pii
from grids.models import Community, Resident, ResidentialArea

from .models import Meeting, ResolutionTask, Stage, Topic

PAGE_SIZE = 20


def access_topic(user, pk) -> Topic:
    return get_in_scope_or_404(
        Topic.objects.visible_to(user).select_related("community", "area", "project"), pk
    )


def access_meeting(user, pk) -> Meeting:
    return get_in_scope_or_404(Meeting.objects.visible_to(user).select_related("community", "host"), pk)


def access_task(user, pk) -> ResolutionTask:
    return get_in_scope_or_404(ResolutionTask.objects.visible_to(user).select_related("topic", "owner"), pk)


def topic_list(user, *, stage="", page=1):
    qs = (
        Topic.objects.visible_to(user)
        .select_related("community", "area")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-created_at", "-pk")
    )
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    return Paginator(qs, PAGE_SIZE).get_page(page)


def meeting_list(user, *, page=1):
    qs = (
        Meeting.objects.visible_to(user)
        .select_related("community", "host")
        .annotate(attendance_count=Count("attendances", distinct=True))
        .order_by("-starts_at", "-pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def task_list(user, *, page=1):
    """Open tasks first, nearest deadline first: the owner's own, and every task of a community for its staff."""
    qs = (
        ResolutionTask.objects.visible_to(user)
        .select_related("topic", "owner")
        .order_by(F("done_at").asc(nulls_first=True), "deadline", "pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def topic_detail(topic):
    """What the topic page shows besides the topic: its steps, options, tasks, requests and meetings."""
    return {
        "steps": list(topic.steps.select_related("by")),
        "options": list(topic.options.all()),
        "answers": list(topic.answers.all()[:200]),
        "answer_count": topic.answers.count(),
        "tasks": list(topic.tasks.select_related("owner")),
        "petitions": list(topic.petitions.select_related("category").order_by("-created_at")[:50]),
        "meetings": list(topic.meetings.order_by("-starts_at")[:20]),
    }


def meeting_detail(meeting):
    return {
        "attendances": list(meeting.attendances.all()),
        "files": list(meeting.files.all()),
        "agenda": list(meeting.topics.prefetch_related("options").order_by("pk")),
    }


def public_place(kind, pk):
    """The area (or community) of a public disclosure page, or 404."""
    model = {"areas": ResidentialArea, "communities": Community}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


def public_disclosures(place, *, page=1):
    """Topics of an area (or of a whole community) whose resolution is published, with only the public
    fields and the public minutes of the meeting that voted."""
    qs = Topic.objects.disclosed()
    qs = qs.filter(area=place) if isinstance(place, ResidentialArea) else qs.filter(community=place)
    qs = (
        qs.select_related("vote_meeting")
        .only(
            "title",
            "resolution",
            "resolution_published_at",
            "result",
            "result_published_at",
            "vote_meeting__title",
            "vote_meeting__starts_at",
            "vote_meeting__minutes",
            "vote_meeting__minutes_internal",
        )
        .prefetch_related(Prefetch("options", to_attr="option_rows"))
        .order_by("-resolution_published_at", "-pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def public_call(token) -> Topic:
    return get_object_or_404(Topic.objects.select_related("community", "area"), call_token=token)


# --- The roster of a meeting: who is invited by role, and who is already present ----------------------

# No role or seeded tag says "resident representative": a tag with this code (created in the admin)
# puts its residents on the roster of meetings inviting representatives.
RESIDENT_REP_TAG = "resident_rep"


@dataclass
class RosterEntry:
    key: str  # "u<user pk>" for an account, "r<resident pk>" or "o<organisation pk>" for a person without one
    name: str
    parties: list = field(default_factory=list)
    user_id: int | None = None
    phone_last4: str = ""
    present: bool = False


def meeting_roster(meeting) -> list[RosterEntry]:
    """The people of the meeting's community invited by its parties, each once (an account is one person
    whatever its roles), marked present when an attendance (scanned or ticked) matches them. A fixed
    number of queries, whatever the number of invitees."""
    P = Meeting.Party
    invited, community_id = set(meeting.invited or []), meeting.community_id
    entries: dict[str, RosterEntry] = {}

    def add(key, name, party, **person):
        entry = entries.setdefault(key, RosterEntry(key=key, name=name, **person))
        if party.label not in entry.parties:
            entry.parties.append(party.label)

    def add_user(user, party):
        add(f"u{user.pk}", str(user), party, user_id=user.pk)

    if P.PARTY_MEMBERS in invited:
        members = PartyMember.objects.filter(organisation__community_id=community_id).select_related(
            "resident", "user"
        )
        for m in members.order_by("resident__name", "pk"):
            if m.user_id:
                add_user(m.user, P.PARTY_MEMBERS)
            else:
                add(f"r{m.resident_id}", m.resident.name, P.PARTY_MEMBERS, phone_last4=m.resident.phone_last4)
    if P.RESIDENT_REPS in invited:
        reps = Resident.objects.filter(
            tags__code=RESIDENT_REP_TAG, household__building__community_id=community_id
        ).select_related("user")
        for r in reps.order_by("name", "pk"):
            if r.user_id:
                add_user(r.user, P.RESIDENT_REPS)
            else:
                add(f"r{r.pk}", r.name, P.RESIDENT_REPS, phone_last4=r.phone_last4)
    if P.GRID_LEADERS in invited:
        leaders = (
            RoleAssignment.objects.active()
            .filter(role__in=[Role.GRID_LEADER, Role.MICROGRID_LEADER], user__is_active=True)
            .filter(Q(grid__community_id=community_id) | Q(microgrid__grid__community_id=community_id))
            .select_related("user")
        )
        for a in leaders.order_by("user__display_name", "user__username", "pk"):
            add_user(a.user, P.GRID_LEADERS)
    kinds = {
        P.OWNERS_COMMITTEE: Organisation.Kind.OWNERS_COMMITTEE,
        P.PROPERTY_COMPANY: Organisation.Kind.PROPERTY_COMPANY,
        P.CO_BUILDING_UNITS: Organisation.Kind.CO_BUILDING_UNIT,
    }
    party_of_kind = {kind: party for party, kind in kinds.items() if party in invited}
    if party_of_kind:
        orgs = (
            Organisation.objects.filter(community_id=community_id, active=True, kind__in=party_of_kind)
            .prefetch_related(Prefetch("members", queryset=User.objects.filter(is_active=True)))
            .order_by("kind", "name", "pk")
        )
        for org in orgs:
            party = party_of_kind[org.kind]
            members = list(org.members.all())
            for user in members:
                add_user(user, party)
            if not members and org.contact_name:
                # The contact of an organisation without accounts: "name (organisation)".
                add(
                    f"o{org.pk}",
                    f"{org.contact_name}（{org.name}）",
                    party,
                    phone_last4=pii.phone_last4(org.contact_phone),
                )
    present_users, present_names = set(), set()
    for user_id, name, last4 in meeting.attendances.values_list("user_id", "name", "phone_last4"):
        if user_id:
            present_users.add(user_id)
        else:
            present_names.add((name, last4))
    for entry in entries.values():
        entry.present = (
            entry.user_id in present_users
            if entry.user_id
            else (entry.name, entry.phone_last4) in present_names
        )
    return list(entries.values())
