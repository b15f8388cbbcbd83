"""Reads that span models: access to one item, who is told about it, the figures the level above asks for."""

import datetime
import re
import statistics
import unicodedata

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Q,
    Subquery,
)
from django.db.models.functions import Extract, Floor
from django.http import Http404
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.scoping import get_in_scope_or_404
from grids.models import Resident
from grids.pii import last4_term, phone_index, phone_term

from . import querysets
from .models import BoardVersion, Petition

# --- Access ------------------------------------------------------------------------------------------


def access_petition(user, pk) -> Petition:
    """The item if the user may see it, else 404: outside their patch it does not exist for them."""
    return get_in_scope_or_404(
        Petition.objects.visible_to(user).select_related(
            "category", "community", "building", "household", "grid", "assignee", "assignee_org"
        ),
        pk,
    )


# What people put between the groups of a printed code: spaces and dashes, half- or full-width.
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def board_version():
    """When an item last changed (every service saves the whole item, so updated_at moves) and the
    BoardVersion count (changes of categories and places): the public board's cached list is keyed on
    both. One query: the counter's row with the newest updated_at (a look-up in its index) beside it."""
    latest = Petition.objects.order_by("-updated_at").values("updated_at")[:1]
    row = (
        BoardVersion.objects.filter(pk=1)
        .annotate(latest=Subquery(latest))
        .values_list("version", "latest")
        .first()
    )
    if row is None:  # no change counted yet (the migration makes the row; a flushed test database not)
        row = (0, Petition.objects.aggregate(latest=Max("updated_at"))["latest"])
    version, changed = row
    return f"{changed.isoformat() if changed else ''}|{version}"


def normalise_tracking_code(code) -> str:
    """Codes are printed in capitals; residents type them in any case, in groups, or with a Chinese
    keyboard's full-width letters."""
    return _CODE_SEPARATORS.sub("", unicodedata.normalize("NFKC", code or "")).upper()


def find_by_tracking_code(code) -> Petition | None:
    """The item whose code is `code` as a resident may have typed it, or None. Look-alikes (O/0, I/L/1)
    are read as the same character; should two old codes differ only in those, only the exact one counts."""
    typed = normalise_tracking_code(code)
    if not typed or len(typed) > Petition._meta.get_field("tracking_code").max_length:
        return None
    found = list(Petition.objects.select_related("category", "building").with_tracking_code(typed)[:2])
    if len(found) == 1 or (found and found[0].tracking_code == typed):
        return found[0]
    return None


def access_by_tracking_code(code) -> Petition:
    """Whoever holds the unguessable code sees the public page of the item."""
    petition = find_by_tracking_code(code)
    if petition is None:
        raise Http404
    return petition


# --- The workbench's search and filters ------------------------------------------------------------------


# A search that matches more residents' households than this keeps them as a sub-select.
SEARCH_HOUSEHOLDS_LIMIT = 500


def search_q(user, term) -> Q:
    """What a staff search finds: the tracking code (any case, spaces and dashes ignored), the text of the
    item, the resident's name, or the last 4 digits (or the whole number) of the petitioner's or a household member's phone.
    Every arm is an indexed condition (trigram indexes on PostgreSQL, petitions/0019), so the planner ORs
    index probes: the residents' households are found first (one query), as a sub-select among them would
    make it scan every request."""
    code = normalise_tracking_code(term)
    residents = (
        Resident.objects.visible_to(user)
        .matching(term)
        .filter(household__isnull=False)
        .order_by()
        .values_list("household_id", flat=True)
    )
    households = list(residents.distinct()[: SEARCH_HOUSEHOLDS_LIMIT + 1])
    condition = (
        Q(description__icontains=term)
        | Q(public_summary__icontains=term)
        | Q(location_text__icontains=term)
        | Q(submitter_name__icontains=term)
    )
    if len(households) > SEARCH_HOUSEHOLDS_LIMIT:
        condition |= Q(household__in=residents)
    elif households:
        condition |= Q(household__in=households)
    if code.isascii() and code.isalnum():
        condition |= Q(tracking_code__contains=code)
    if last4_term(term):
        condition |= Q(phone_last4=last4_term(term))
    if phone_term(term):
        condition |= Q(phone_index=phone_index(phone_term(term)))
    return condition


def day_bounds(start=None, end=None):
    """Local dates [start, end] → the datetimes [start 00:00, the day after end 00:00) of `in_period`."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tz) if start else None,
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz) if end else None,
    )


def filter_petitions(qs, user, *, q="", grid=None, community=None, start=None, end=None):
    """The workbench's filters, also those of its ledger export: a search, an area, a period of receipt."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(search_q(user, q))
    if grid:
        qs = qs.filter(grid_id=grid)
    if community:
        qs = qs.filter(community_id=community)
    return qs.in_period(*day_bounds(start, end))


# --- Who hears of an item -----------------------------------------------------------------------------


def recipients_at_level(petition, level):
    """Who supervises the item at an escalation level: grid people, community staff, street officials."""
    active = RoleAssignment.objects.active()
    if level <= 0 and petition.grid_id:
        q = active.filter(grid_id=petition.grid_id, role__in=[Role.GRID_LEADER, Role.GRID_WORKER])
        users = list(User.objects.filter(is_active=True, pk__in=q.values("user_id")))
        if users:
            return users
    if level <= 1:
        q = active.filter(community_id=petition.community_id, role=Role.COMMUNITY_STAFF)
        users = list(User.objects.filter(is_active=True, pk__in=q.values("user_id")))
        if users:
            return users
    q = active.filter(Q(street_id=petition.community.street_id), role=Role.STREET_OFFICIAL)
    return list(User.objects.filter(is_active=True, pk__in=q.values("user_id")))


def assignee_users(petition):
    users = []
    if petition.assignee_id:
        users.append(petition.assignee)
    if petition.assignee_org_id:
        users.extend(u for u in petition.assignee_org.members.filter(is_active=True) if u not in users)
    return users


# --- Figures -------------------------------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's percentile_cont; SQLite has none, so petition_stats falls back to Python there."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def petition_counts(now) -> dict:
    """The counts behind every petition figure, as aggregate expressions: one definition for an area's
    totals (`aggregate`) and for a table of areas (`values(...).annotate`)."""
    resolved = Q(resolved_at__isnull=False)
    return {
        "received": Count("pk"),
        "accepted": Count("pk", filter=Q(accepted_at__isnull=False)),
        "response_counted": Count("pk", filter=querysets.response_counted_q(now)),
        "responded_in_time": Count("pk", filter=querysets.responded_in_time_q()),
        "resolved": Count("pk", filter=resolved),
        "closed": Count("pk", filter=Q(status=Petition.Status.CLOSED)),
        "on_time": Count("pk", filter=resolved & Q(resolved_on_time=True)),
        # At the follow-up visit the resident says whether it is solved; unreachable ones say nothing.
        "followed_up": Count("pk", filter=Q(solved__isnull=False, unreachable=False)),
        "solved": Count("pk", filter=Q(solved=True, unreachable=False)),
        "rated": Count("pk", filter=~Q(satisfaction="") & Q(unreachable=False)),
        "satisfied": Count("pk", filter=Q(satisfaction__in=["satisfied", "basically"], unreachable=False)),
        "unreachable": Count("pk", filter=Q(unreachable=True)),
        "wishes": Count("pk", filter=Q(kind=Petition.Kind.WISH)),
        "wishes_published": Count("pk", filter=Q(kind=Petition.Kind.WISH, wish_published=True)),
    }


# By kind: what the level above asks of requests, wishes and suggestions separately.
KIND_MEASURES = {
    "received": Q(),
    "accepted": Q(accepted_at__isnull=False),
    "resolved": Q(resolved_at__isnull=False),
    "closed": Q(status=Petition.Status.CLOSED),
}


def kind_counts() -> dict:
    return {
        f"{kind}_{measure}": Count("pk", filter=Q(kind=kind) & condition)
        for kind in Petition.Kind.values
        for measure, condition in KIND_MEASURES.items()
    }


def petition_rates(counts) -> dict:
    """The rates from `petition_counts`, as percentages (None when nothing counts yet)."""
    return {
        # Response rate: contacted within the deadline, over those contacted or past their deadline.
        "response_rate": _rate(counts["responded_in_time"], counts["response_counted"]),
        # Resolution rate (解决率): solved as the resident says at follow-up, over those followed up.
        "resolution_rate": _rate(counts["solved"], counts["followed_up"]),
        "on_time_rate": _rate(counts["on_time"], counts["resolved"]),
        # Unreachable residents have no satisfaction: they are left out of the denominator.
        "satisfaction_rate": _rate(counts["satisfied"], counts["rated"]),
    }


def _time_to_resolve():
    return ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())


def median_hours_to_resolve(qs):
    """The median time from receipt to resolution of the resolved items of `qs`, in hours. One query."""
    duration = _time_to_resolve()
    done = qs.filter(resolved_at__isnull=False)
    if connection.vendor == "postgresql":
        seconds = done.annotate(d=Extract(duration, "epoch")).aggregate(m=Median("d"))["m"]
    else:
        values = [
            d.total_seconds() for d in done.annotate(d=duration).values_list("d", flat=True) if d is not None
        ]
        seconds = statistics.median(values) if values else None
    return round(seconds / 3600, 1) if seconds is not None else None


def minutes_to_resolve(qs, keys=()) -> list[tuple]:
    """The resolved items of `qs` as a histogram of their time to resolve (the duration of
    `median_hours_to_resolve`) in whole minutes, rounded down: (*keys, minutes, items) rows. One query."""
    done = qs.filter(resolved_at__isnull=False)
    if connection.vendor == "postgresql":
        minutes = Floor(Extract(_time_to_resolve(), "epoch") / 60)
        return [
            (*row[:-2], int(row[-2]), row[-1])
            for row in done.annotate(minutes=minutes)
            .values_list(*keys, "minutes")
            .annotate(n=Count("pk"))
            .order_by()
        ]
    histogram = {}
    for *key, created, resolved in done.values_list(*keys, "created_at", "resolved_at"):
        bucket = (*key, max(0, int((resolved - created).total_seconds() // 60)))
        histogram[bucket] = histogram.get(bucket, 0) + 1
    return [(*bucket, n) for bucket, n in histogram.items()]


def median_hours_from_minutes(histogram: dict):
    """The median (as percentile_cont takes it: the mean of the two middle values when they are two) of a
    {minutes: items} histogram, in hours; None when it is empty."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = {(total - 1) // 2, total // 2}
    found, seen = [], 0
    for minutes in sorted(histogram):
        upto = seen + histogram[minutes]
        found += [minutes for rank in sorted(middle) if seen <= rank < upto]
        seen = upto
    return round(sum(found) / len(found) / 60, 1)


def petition_figures(qs, *, now=None, by_kind=False) -> dict:
    """Every petition figure of `qs` (merged items left out): counts, rates, median hours to resolve and
    wishes claimed. Three queries."""
    qs = qs.exclude(status=Petition.Status.MERGED)
    counts = qs.aggregate(**petition_counts(now or timezone.now()), **(kind_counts() if by_kind else {}))
    # Separate query: joining the events here would multiply the counts above.
    counts["wishes_claimed"] = (
        qs.filter(kind=Petition.Kind.WISH, events__action="claim").values("pk").distinct().count()
    )
    return {**counts, **petition_rates(counts), "median_hours_to_resolve": median_hours_to_resolve(qs)}


def petition_stats(user, *, community=None, grid=None, start=None, end=None, now=None) -> dict:
    """The figures of `petition_figures` for what the user may see, filtered to a community or grid and a
    period of receipt."""
    qs = Petition.objects.visible_to(user)
    if community is not None:
        qs = qs.filter(community=community)
    if grid is not None:
        qs = qs.filter(grid=grid)
    return petition_figures(qs.in_period(*day_bounds(start, end)), now=now)
