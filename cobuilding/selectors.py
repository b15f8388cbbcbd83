"""Reads of the co-building lists. Every read starts from `visible_to(user)`; `access_<thing>` answers 404
outside the user's patch."""

import datetime
from collections import Counter

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scoping import get_in_scope_or_404
from petitions.models import Petition, PetitionEvent
from projects.models import Project
from projects.querysets import ACTIVE_STATUSES
from volunteers.models import Activity, HourRecord

from .models import Agreement, CoBuildingUnit, Match, Need, ReportedMember, Resource, UnitEvent
from .querysets import available_q


def _count(qs, field):
    """A correlated COUNT(DISTINCT field) subquery (grouped on a constant, so one row)."""
    return Coalesce(
        Subquery(
            qs.order_by()
            .annotate(_one=Value(1))
            .values("_one")
            .annotate(n=Count(field, distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_service(units, year=None):
    """Annotate each unit with what its people did for the community, read from the existing records:
    confirmed volunteer hours of its reporting members, and wishes claimed by them or the unit's accounts
    (in `year` when given)."""
    in_year = {"started_at__year": year} if year else {}
    hours = (
        HourRecord.objects.confirmed()
        .filter(volunteer__user__party_member__cobuilding_report__unit=OuterRef("pk"), **in_year)
        .order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    claims = PetitionEvent.objects.filter(
        Q(actor__party_member__cobuilding_report__unit=OuterRef("pk"))
        | Q(actor__organisations__cobuilding_unit=OuterRef("pk")),
        action=PetitionEvent.Action.CLAIM,
        petition__kind=Petition.Kind.WISH,
        **({"created_at__year": year} if year else {}),
    )
    return units.annotate(
        hours_served=Coalesce(
            Subquery(hours, output_field=DecimalField()), Value(0), output_field=DecimalField()
        ),
        wishes_claimed=_count(claims, "petition"),
        member_count=_count(ReportedMember.objects.filter(unit=OuterRef("pk")), "pk"),
        project_count=_count(
            Match.objects.filter(
                resource__unit=OuterRef("pk"), **({"confirmed_at__year": year} if year else {})
            ),
            "project",
        ),
    )


def unit_list(user):
    return with_service(
        CoBuildingUnit.objects.visible_to(user).select_related(
            "organisation", "community", "party_organisation"
        )
    ).order_by("community__code", "organisation__name", "pk")


def access_unit(user, pk, year=None) -> CoBuildingUnit:
    return get_in_scope_or_404(
        with_service(
            CoBuildingUnit.objects.visible_to(user).select_related(
                "organisation", "community", "party_organisation"
            )
        ),
        pk,
    )


def unit_detail(unit):
    """The unit's contacts, agreements with their projects, reporting members and resources."""
    return {
        "contacts": list(unit.contacts.all()),
        "agreements": list(unit.agreements.prefetch_related("projects")),
        "members": list(unit.reported_members.select_related("member__resident", "member__organisation")),
        "resources": list(unit.resources.all()),
        "projects": list(
            Project.objects.filter(cobuilding_matches__resource__unit=unit)
            .distinct()
            .order_by("-starts_on", "pk")
        ),
    }


def need_list(user, *, status=None, kind=None):
    qs = (
        Need.objects.visible_to(user)
        .select_related("community")
        .annotate(
            petition_count=Count("petitions", distinct=True), match_count=Count("matches", distinct=True)
        )
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


def resource_list(user, *, kind=None, available=None):
    qs = Resource.objects.visible_to(user).select_related("unit__organisation", "community")
    qs = qs.annotate(is_available=ExpressionWrapper(available_q(), output_field=BooleanField()))
    if kind:
        qs = qs.filter(kind=kind)
    if available:
        qs = qs.filter(available_q())
    return qs.order_by("community__code", "kind", "pk")


def access_need(user, pk) -> Need:
    return get_in_scope_or_404(Need.objects.visible_to(user).select_related("community"), pk)


def access_resource(user, pk) -> Resource:
    return get_in_scope_or_404(Resource.objects.visible_to(user).select_related("unit__organisation"), pk)


def suggest_resources(need, *, limit=20):
    """Resources for a need: the same kind in the same community, not yet matched to it; available ones
    first, then units that fulfilled the most projects, then those with enough quantity."""
    fulfilled = Match.objects.filter(resource__unit=OuterRef("unit"), project__status=Project.Status.DONE)
    return (
        Resource.objects.filter(community_id=need.community_id, kind=need.kind)
        .exclude(matches__need=need)
        .select_related("unit__organisation")
        .annotate(
            is_available=Case(When(available_q(), then=Value(True)), default=Value(False)),
            fulfilled=_count(fulfilled, "pk"),
            enough=Case(When(quantity__gte=need.quantity, then=Value(True)), default=Value(False)),
        )
        .order_by(F("is_available").desc(), F("fulfilled").desc(), F("enough").desc(), "pk")[:limit]
    )


def suggest_needs(resource, *, limit=20):
    """The reverse: open needs of the resource's kind in its community that it is not yet matched to,
    those it can meet in full first, oldest first."""
    return (
        Need.objects.open()
        .filter(community_id=resource.community_id, kind=resource.kind)
        .exclude(matches__resource=resource)
        .annotate(enough=Case(When(quantity__lte=resource.quantity, then=Value(True)), default=Value(False)))
        .order_by(F("enough").desc(), "created_at", "pk")[:limit]
    )


def need_matches(need):
    return list(need.matches.select_related("resource__unit__organisation", "project").order_by("pk"))


def active_projects(need):
    """The projects a match may extend: planned or running ones of the need's community."""
    return Project.objects.filter(community_id=need.community_id, status__in=ACTIVE_STATUSES).order_by(
        "-starts_on", "pk"
    )


def matchable_resources(need):
    """What the confirm form accepts: any resource of the need's kind and community."""
    return Resource.objects.filter(community_id=need.community_id, kind=need.kind)


def unit_year_report(unit, year):
    """What a unit did in one year: the agreements in force, the projects it took part in (matched that
    year, or named by an agreement in force), and the wishes its people claimed; `unit` comes from
    access_unit(user, pk, year), so hours and counts are that year's."""
    agreements = list(
        unit.agreements.filter(
            Q(signed_on__year__lte=year), Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )
        .prefetch_related("projects")
        .order_by("signed_on", "pk")
    )
    projects = list(
        Project.objects.filter(
            Q(cobuilding_matches__resource__unit=unit, cobuilding_matches__confirmed_at__year=year)
            | Q(cobuilding_agreements__in=agreements)
        )
        .distinct()
        .select_related("organisation")
        .order_by("starts_on", "pk")
    )
    wishes = list(
        Petition.objects.filter(
            pk__in=PetitionEvent.objects.filter(
                Q(actor__party_member__cobuilding_report__unit=unit)
                | Q(actor__organisations__cobuilding_unit=unit),
                action=PetitionEvent.Action.CLAIM,
                petition__kind=Petition.Kind.WISH,
                created_at__year=year,
            ).values("petition")
        ).order_by("created_at", "pk")
    )
    events = list(unit_events(unit, year))
    return {
        "agreements": agreements,
        "projects": projects,
        "wishes": wishes,
        "events": events,
        "events_by_kind": events_by_kind(events),
    }


def unit_events(unit, year):
    """The events a unit held in a year (its activities not cancelled), in date order, with activity and
    team joined: what its yearly report counts and the events page lists (one query)."""
    return (
        UnitEvent.objects.filter(unit=unit, activity__starts_at__year=year, activity__cancelled=False)
        .select_related("activity__team")
        .order_by("activity__starts_at", "pk")
    )


def events_by_kind(events):
    """[(kind label, count)], most frequent first: the report's "events held" broken down."""
    by_kind = Counter(event.get_kind_display() for event in events)
    return sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))


def event_activity_choices(unit, now=None):
    """Activities a unit's event can be: its community's, not cancelled, from 18 months ago to 3 months
    ahead, not already among its events; newest first."""
    now = now or timezone.now()
    return (
        Activity.objects.filter(
            team__community_id=unit.community_id,
            cancelled=False,
            starts_at__gte=now - datetime.timedelta(days=548),
            starts_at__lte=now + datetime.timedelta(days=92),
        )
        .exclude(cobuilding_events__unit=unit)
        .select_related("team")
        .order_by("-starts_at", "pk")
    )


def access_editable_event(user, pk) -> UnitEvent:
    return get_in_scope_or_404(UnitEvent.objects.editable_by(user).select_related("unit"), pk)


def access_editable_unit(user, pk) -> CoBuildingUnit:
    """A unit the user may change (their community's staff): 404 for everyone else."""
    return get_in_scope_or_404(
        CoBuildingUnit.objects.editable_by(user).select_related("organisation", "community"), pk
    )


def access_editable_agreement(user, pk) -> Agreement:
    return get_in_scope_or_404(Agreement.objects.editable_by(user).select_related("unit__organisation"), pk)


def access_editable_report(user, pk) -> ReportedMember:
    return get_in_scope_or_404(
        ReportedMember.objects.editable_by(user).select_related("unit__organisation"), pk
    )
