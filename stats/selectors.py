"""The statistics of an area (district, street, community, grid, building) over a period.

Every figure comes from the app that owns it: petitions' counts and rates (`petitions.selectors`), visits'
coverage (`visits.selectors`), volunteers' hours and the points ledger (`volunteers.selectors`), the
registry's querysets. This module only says which rows belong to an area and groups them. Each section is
a fixed number of grouped queries, so a district costs as many queries as a building.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment
from accounts.permissions import may_see_workbench
from accounts.roles import Role
from accounts.scoping import get_in_scope_or_404
from governance.models import Organisation
from grids.models import Building, Community, District, Grid, Household, Resident, Street
from petitions.models import Petition, PetitionEvent
from petitions.querysets import overdue_steps
from petitions.selectors import (
    KIND_MEASURES,
    day_bounds,
    kind_counts,
    median_hours_from_minutes,
    minutes_to_resolve,
    petition_counts,
    petition_figures,
    petition_rates,
)
from visits.selectors import campaign_totals, coverage_grouped
from volunteers.models import VolunteerProfile
from volunteers.selectors import volunteer_totals

from .models import (
    CLAIM_COUNTS,
    COHORT_COUNTS,
    MonthlyCatchUp,
    MonthlyCategoryCount,
    MonthlyCommunityRefresh,
    MonthlyCount,
    MonthlyDuration,
    MonthlyRefresh,
    Report,
)


@dataclass(frozen=True)
class Level:
    name: str
    label: object
    model: type
    # Lookups to the area from a petition, a household and a community (None: not attributable there).
    petition_path: str
    household_path: str
    community_path: str | None
    child: str | None
    # The lookup from a child area to this one.
    parent_field: str | None = None


LEVELS = {
    "district": Level(
        "district",
        _("District"),
        District,
        "community__street__district",
        "building__community__street__district",
        "street__district",
        "street",
    ),
    "street": Level(
        "street",
        _("Street"),
        Street,
        "community__street",
        "building__community__street",
        "street",
        "community",
        "district",
    ),
    "community": Level(
        "community", _("Community"), Community, "community", "building__community", "pk", "grid", "street"
    ),
    "grid": Level("grid", _("Grid"), Grid, "grid", "building__grid", None, "building", "community"),
    "building": Level("building", _("Building"), Building, "building", "building", None, None, "grid"),
}
ORDER = list(LEVELS)


def level_of(name) -> Level:
    if name not in LEVELS:
        raise Http404
    return LEVELS[name]


# --- Which areas a user may open -------------------------------------------------------------------------


def areas_in_scope(user, level: Level):
    """The areas of a level that lie wholly inside the user's patch: their figures never include anything
    the user may not see. A community's staff see their community and its grids and buildings, not the
    street around it; officials see their street or district; grid roles their grid and its buildings."""
    qs = level.model.objects.all()
    if not may_see_workbench(user):
        return qs.none()
    scope = user.scope
    if scope.is_superuser:
        return qs
    seen = scope.community_ids
    if level.name in ("district", "street"):
        path = "street__district" if level.name == "district" else "street"
        inside = Community.objects.filter(pk__in=seen).values(path)
        outside = Community.objects.exclude(pk__in=seen).values(path)
        return qs.filter(pk__in=inside).exclude(pk__in=outside)
    if level.name == "community":
        return qs.filter(pk__in=seen)
    if level.name == "grid":
        return qs.filter(Q(community__in=seen) | Q(pk__in=scope.grid_ids))
    return qs.filter(Q(community__in=seen) | Q(grid__in=scope.grid_ids))


def access_area(user, level_name, pk):
    """The area if it lies wholly in the user's patch, else 404."""
    level = level_of(level_name)
    return level, get_in_scope_or_404(select_parents(level, areas_in_scope(user, level)), pk)


def access_report(user, pk) -> Report:
    """A monthly report, for whoever may open its area (else 404)."""
    report = get_in_scope_or_404(Report.objects.all(), pk)
    access_area(user, report.level, report.area_id)
    return report


def reports_of(level: Level, area, limit=6) -> list[Report]:
    return list(Report.objects.filter(level=level.name, area_id=area.pk)[:limit])


def top_areas(user):
    """The highest level at which the user has areas, and those areas (at most one query per level)."""
    for name in ORDER:
        level = LEVELS[name]
        areas = list(areas_in_scope(user, level).order_by("code")[:50])
        if areas:
            return level, areas
    return None, []


def parents_of(user, level: Level, area) -> list[tuple[Level, object]]:
    """The areas above this one that the user may also open, top first (for the breadcrumb)."""
    chain = []
    current_level, current = level, area
    while current_level.parent_field:
        parent = getattr(current, current_level.parent_field, None)
        if parent is None:
            break
        parent_level = LEVELS[current_level.parent_field]
        chain.append((parent_level, parent))
        current_level, current = parent_level, parent
    ids = {}
    for parent_level, parent in chain:
        ids.setdefault(parent_level.name, []).append(parent.pk)
    allowed = {
        (name, pk)
        for name, pks in ids.items()
        for pk in areas_in_scope(user, LEVELS[name]).filter(pk__in=pks).values_list("pk", flat=True)
    }
    return [(lv, a) for lv, a in reversed(chain) if (lv.name, a.pk) in allowed]


def select_parents(level: Level, qs):
    """`qs` with the parents the breadcrumb walks through fetched in the same query."""
    related = {
        "street": ["district"],
        "community": ["street__district"],
        "grid": ["community__street__district"],
        "building": ["grid__community__street__district"],
    }.get(level.name, [])
    return qs.select_related(*related)


# --- Periods ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str  # month, year or custom
    start: datetime.date
    end: datetime.date

    @property
    def bounds(self):
        return day_bounds(self.start, self.end)

    def query(self) -> dict:
        if self.kind == "custom":
            return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        return {"period": "month", "month": self.start.strftime("%Y-%m")}


def month_period(day: datetime.date) -> Period:
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Period("month", start, end)


def year_period(year: int) -> Period:
    return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass(frozen=True)
class AreaPeriod:
    """An area over a period, in the shape visits' coverage reads (as a campaign's patch and dates)."""

    level: Level
    area: object
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def patch(self):
        return self.area

    def household_filter(self, prefix=""):
        return Q(**{f"{prefix}{self.level.household_path}": self.area.pk})


# --- Figures ---------------------------------------------------------------------------------------------


def area_petitions(level: Level, area):
    return Petition.objects.filter(**{level.petition_path: area.pk})


def period_petitions(level: Level, area, period: Period):
    return area_petitions(level, area).in_period(*period.bounds)


@dataclass(frozen=True)
class Split:
    """A period as the closed months whose counts are stored (read from stats.models rows) and the days
    left to count live (this month, the edges of a custom range, months not counted yet)."""

    months: tuple
    live: tuple  # (start, end) datetimes, as `in_period` takes them

    def petitions(self, level: Level, area):
        """The requests of the live days (None when every day is stored)."""
        if not self.live:
            return None
        ranges = Q()
        for start, end in self.live:
            ranges |= Q(created_at__gte=start, created_at__lt=end)
        return area_petitions(level, area).filter(ranges)

    def stored(self, model, level: Level, area):
        return model.objects.filter(month__in=self.months, **{level.petition_path: area.pk})


def split_period(period: Period, *, stored=True) -> Split:
    """The whole closed months of `period` that the worker has counted, and the rest. One query (none
    when the period holds no closed month, or with `stored=False`: everything live)."""
    this_month = timezone.localdate().replace(day=1)
    candidates = []
    month = period.start.replace(day=1)
    while month <= period.end and month < this_month:
        if month >= period.start and month_period(month).end <= period.end:
            candidates.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    counted = set()
    if stored and candidates:
        counted = set(MonthlyRefresh.objects.filter(month__in=candidates).values_list("month", flat=True))
    if not counted:
        return Split((), (period.bounds,))
    live, day = [], period.start
    for month in sorted(counted):
        if day < month:
            live.append(day_bounds(day, month - datetime.timedelta(days=1)))
        day = month_period(month).end + datetime.timedelta(days=1)
    if day <= period.end:
        live.append(day_bounds(day, period.end))
    return Split(tuple(sorted(counted)), tuple(live))


# --- Which stored months a late change made stale (stats.services.monthly_counts_catch_up) ------------

# How long after it set `updated_at` a write may still commit. A change is looked for that far back, so
# one committed just after a catch-up read (its timestamp earlier than that read) is still found by the
# next; the price is that a change is counted twice at most. Service transactions last milliseconds, a
# ledger import's batch seconds (and it asks for its months to be counted when it commits, too).
LATE_COMMIT = datetime.timedelta(minutes=1)


def _months_between(first, last):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def stale_pairs(now=None) -> tuple[set, datetime.datetime | None]:
    """The (community, closed month) pairs whose stored rows are older than their requests, and the
    moment looked at (None: no month stored). Three queries when nothing changed (four otherwise), the
    requests' one reading two index ranges of what changed since the last catch-up (`updated_at`, and
    the partial index of deadlines not yet met), whatever the number of requests:

    - requests received in a stored month and saved (`updated_at`, which every service moves) since
      their community's rows were counted: their month of receipt holds their figures, and any month
      from then to their last save may have held, or hold, their resolution (`resolved_in_month`);
    - requests never contacted whose first-contact deadline passed since: `response_counted` counts
      them from then on, though nothing was saved."""
    now = now or timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    counted = dict(MonthlyRefresh.objects.filter(month__lt=this_month).values_list("month", "refreshed_at"))
    if not counted:
        return set(), None
    checked = MonthlyCatchUp.objects.filter(pk=1).values_list("checked_at", flat=True).first()
    checked = checked or min(counted.values())
    # No lower bound: a request received before the stored months may have been resolved in one.
    _start, end = day_bounds(None, month_period(max(counted)).end)
    changed = list(
        Petition.objects.filter(created_at__lt=end)
        .filter(
            Q(updated_at__gt=checked - LATE_COMMIT)
            | Q(contacted_at__isnull=True, contact_due_at__gt=checked, contact_due_at__lte=now)
        )
        .values_list("community_id", "created_at", "updated_at", "contact_due_at", "contacted_at")
        .order_by()
    )
    if not changed:
        return set(), now
    stamps = dict(counted)
    for month, community, at in MonthlyCommunityRefresh.objects.filter(
        month__in=list(counted), community__in={c for c, *_rest in changed}
    ).values_list("month", "community_id", "refreshed_at"):
        stamps[(month, community)] = at
    stale = set()
    for community, created, updated, due, contacted in changed:
        received = timezone.localdate(created).replace(day=1)
        for month in _months_between(received, timezone.localdate(updated)):
            stamp = stamps.get((month, community)) or stamps.get(month)
            if stamp and updated > stamp - LATE_COMMIT:
                stale.add((community, month))
        stamp = stamps.get((received, community)) or stamps.get(received)
        if stamp and contacted is None and due and stamp < due <= now:
            stale.add((community, received))
    return stale, now


def _stored_sums(rows, names, keys=()):
    """Sums of stored counts, per `keys` when given."""
    sums = {name: Sum(name) for name in names}
    if not keys:
        return {k: v or 0 for k, v in rows.aggregate(**sums).items()}
    return {row.pop(keys[0]): row for row in rows.values(*keys).annotate(**sums).order_by()}


def period_figures(level: Level, area, split: Split, now) -> dict:
    """The petition figures of `petition_figures` (and who claimed the wishes), stored months added to
    the live days: each count is a sum, the rates are taken of the sums and the median time to resolve
    of the merged histograms. Everything live is exactly `petition_figures`. Seven queries at most."""
    live = split.petitions(level, area)
    if not split.months:
        figures = petition_figures(live, now=now, by_kind=True)
        figures["claimed_by"] = claimed_by(live)
        return figures
    counts = _stored_sums(
        split.stored(MonthlyCount, level, area), ["received", *COHORT_COUNTS, *CLAIM_COUNTS]
    )
    claimers = {key: counts.pop(f"claimed_{key}") for key in CLAIMERS}
    histogram = dict(
        split.stored(MonthlyDuration, level, area).values_list("minutes").annotate(n=Sum("count")).order_by()
    )
    if live is not None:
        live = live.exclude(status=Petition.Status.MERGED)
        for key, n in live.aggregate(**petition_counts(now), **kind_counts()).items():
            counts[key] += n
        counts["wishes_claimed"] += wishes_claimed(live)
        for key, n in claimed_by(live).items():
            claimers[key] += n
        for minutes, n in minutes_to_resolve(live):
            histogram[minutes] = histogram.get(minutes, 0) + n
    return {
        **counts,
        **petition_rates(counts),
        "median_hours_to_resolve": median_hours_from_minutes(histogram),
        "claimed_by": claimers,
    }


CLAIMERS = ("party_members", "volunteers", "units", "others")


def claimed_by(qs, keys=()):
    """Wishes of `qs` claimed, by who claimed them: party members, volunteers, units (members of a
    handling organisation) and others (staff, grid leaders). A person who is several counts once, in that
    order. One query. With `keys` (lookups from a petition), rows of (*keys, claimer, wishes) instead."""
    active = RoleAssignment.objects.active().filter(user=OuterRef("actor"))
    claimer = Case(
        When(Exists(active.filter(role=Role.PARTY_MEMBER)), then=Value("party_members")),
        When(
            Exists(active.filter(role=Role.VOLUNTEER))
            | Exists(VolunteerProfile.objects.filter(user=OuterRef("actor"))),
            then=Value("volunteers"),
        ),
        When(Exists(Organisation.objects.filter(members=OuterRef("actor"))), then=Value("units")),
        default=Value("others"),
    )
    rows = (
        PetitionEvent.objects.filter(
            action=PetitionEvent.Action.CLAIM,
            petition__in=qs.filter(kind=Petition.Kind.WISH)
            .exclude(status=Petition.Status.MERGED)
            .values("pk"),
        )
        .annotate(claimer=claimer)
        .values_list(*(f"petition__{k}" for k in keys), "claimer")
        .annotate(n=Count("petition", distinct=True))
        .order_by()
    )
    if keys:
        return list(rows)
    found = dict(rows)
    return {key: found.get(key, 0) for key in CLAIMERS}


def wishes_claimed(qs, keys=()):
    """Wishes of `qs` claimed at least once (merged items left out), as `petition_figures` counts them,
    per `keys` when given. One query."""
    claimed = qs.exclude(status=Petition.Status.MERGED).filter(
        kind=Petition.Kind.WISH, events__action="claim"
    )
    if not keys:
        return claimed.aggregate(n=Count("pk", distinct=True))["n"]
    return list(claimed.values_list(*keys).annotate(n=Count("pk", distinct=True)).order_by())


def registry_figures(level: Level, area) -> dict:
    """Residents living in the area now, the households they form (dwellings with someone living there),
    and dwellings by use. Two queries."""
    people = Resident.objects.current().filter(**{f"household__{level.household_path}": area.pk})
    totals = people.aggregate(residents=Count("pk"), households=Count("household", distinct=True))
    by_use = dict(
        Household.objects.filter(**{level.household_path: area.pk})
        .values_list("use")
        .annotate(n=Count("pk"))
        .order_by()
    )
    uses = {use: by_use.get(use, 0) for use in Household.Use.values}
    return {**totals, "dwellings": sum(uses.values()), "dwellings_by_use": uses}


def visit_figures(level: Level, area, period: Period) -> dict:
    """Households visited, visits, persons met (人次) and coverage, as visits define them. Two queries."""
    total = campaign_totals(AreaPeriod(level, area, period.start, period.end))
    return {
        "households": total.households,
        "households_visited": total.visited,
        "visits": total.visits,
        "persons_met": total.persons_met,
        "coverage": round(100.0 * total.rate, 1) if total.households else None,
    }


def volunteer_figures(level: Level, area, period: Period) -> dict | None:
    """Hours, active volunteers and points: kept per community, so None below a community."""
    if level.community_path is None:
        return None
    start, end = period.bounds
    communities = Community.objects.filter(**{level.community_path: area.pk}).values("pk")
    return volunteer_totals(community_ids=communities, start=start, end=end)


def months_until(end: datetime.date, count=12) -> list[datetime.date]:
    first = end.replace(day=1)
    months = []
    for _i in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def monthly_trend(level: Level, area, period: Period, *, stored=True) -> list[dict]:
    """Received and resolved in each of the 12 months up to the period's end: closed months already
    counted (stats.models.MonthlyCount, refreshed by the worker) are read from their rows, the others
    (this month, and any not yet counted) live. Three queries; `stored=False` counts everything live."""
    months = months_until(period.end)
    counted = set()
    if stored:
        this_month = timezone.localdate().replace(day=1)
        counted = set(
            MonthlyRefresh.objects.filter(month__in=[m for m in months if m < this_month]).values_list(
                "month", flat=True
            )
        )
    live_months = [m for m in months if m not in counted]
    received, resolved = _stored_trend(level, area, counted)
    if live_months:
        live_received, live_resolved = _live_trend(level, area, live_months[0], live_months[-1])
        received |= {m: n for m, n in live_received.items() if m not in counted}
        resolved |= {m: n for m, n in live_resolved.items() if m not in counted}
    return [
        {"month": m.strftime("%Y-%m"), "received": received.get(m, 0), "resolved": resolved.get(m, 0)}
        for m in months
    ]


def _stored_trend(level: Level, area, months) -> tuple[dict, dict]:
    if not months:
        return {}, {}
    rows = (
        MonthlyCount.objects.filter(month__in=months, **{level.petition_path: area.pk})
        .values("month")
        .annotate(received=Sum("received"), resolved=Sum("resolved_in_month"))
        .order_by()
    )
    rows = list(rows)
    return {r["month"]: r["received"] for r in rows}, {r["month"]: r["resolved"] for r in rows}


def _live_trend(level: Level, area, first, last) -> tuple[dict, dict]:
    """Received and resolved per month from `first` to the end of `last`, counted from the requests."""
    start, end = day_bounds(first, month_period(last).end)
    tz = timezone.get_current_timezone()
    qs = area_petitions(level, area).exclude(status=Petition.Status.MERGED)
    received = dict(
        qs.filter(created_at__gte=start, created_at__lt=end)
        .annotate(m=TruncMonth("created_at", tzinfo=tz))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    resolved = dict(
        qs.filter(resolved_at__gte=start, resolved_at__lt=end)
        .annotate(m=TruncMonth("resolved_at", tzinfo=tz))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    received = {timezone.localtime(k, tz).date(): v for k, v in received.items()}
    resolved = {timezone.localtime(k, tz).date(): v for k, v in resolved.items()}
    return received, resolved


def children_of(level: Level, area) -> list:
    if level.child is None:
        return []
    child = LEVELS[level.child]
    return list(
        child.model.objects.filter(**{level.name: area.pk}).order_by("code").only("pk", "name", "code")
    )


def child_key(level: Level) -> str:
    """From a petition to the child area it belongs to."""
    return LEVELS[level.child].petition_path


def league_table(level: Level, area, period: Period, now=None, split=None) -> list[dict]:
    """One row per area one level down: received, resolved, the rates, coverage and items overdue now.
    Seven queries at most whatever the number of areas (the stored months' sums and the live days')."""
    if level.child is None:
        return []
    now = now or timezone.now()
    child = LEVELS[level.child]
    children = children_of(level, area)
    key = child.petition_path
    split = split or split_period(period)
    counts = {}
    if split.months:
        counts = _stored_sums(split.stored(MonthlyCount, level, area), petition_counts(now), (key,))
    live = split.petitions(level, area)
    if live is not None:
        for row in live.exclude(status=Petition.Status.MERGED).values(key).annotate(**petition_counts(now)):
            pk = row.pop(key)
            stored = counts.get(pk)
            counts[pk] = {k: n + stored[k] for k, n in row.items()} if stored else row
    overdue = {}
    for step in overdue_steps(now):
        for pk, n in (
            area_petitions(level, area).filter(step).values_list(key).annotate(n=Count("*")).order_by()
        ):
            overdue[pk] = overdue.get(pk, 0) + n
    coverage = coverage_grouped(AreaPeriod(level, area, period.start, period.end), child.household_path)
    rows = []
    for c in children:
        figures = counts.get(c.pk) or {k: 0 for k in petition_counts(now)}
        cov = coverage.get(c.pk)
        rows.append(
            {
                "level": child.name,
                "pk": c.pk,
                "name": c.name,
                "received": figures["received"],
                "resolved": figures["resolved"],
                **petition_rates(figures),
                "coverage": round(100.0 * cov.rate, 1) if cov and cov.households else None,
                "overdue": overdue.get(c.pk, 0),
            }
        )
    return rows


LEAGUE_SORTS = {
    # Best first; areas with nothing to rate go last.
    "on_time_rate": lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), r["name"]),
    "satisfaction_rate": lambda r: (
        r["satisfaction_rate"] is None,
        -(r["satisfaction_rate"] or 0),
        r["name"],
    ),
    "coverage": lambda r: (r["coverage"] is None, -(r["coverage"] or 0), r["name"]),
    # Most overdue first: where to look.
    "overdue": lambda r: (-r["overdue"], r["name"]),
}


def sort_league(rows, sort):
    return sorted(rows, key=LEAGUE_SORTS.get(sort, LEAGUE_SORTS["on_time_rate"]))


def category_figures(level: Level, area, period: Period, split=None) -> tuple[list[dict], dict]:
    """Received and resolved per category in the period, and the heat table of categories × areas one
    level down. Two queries at most (the stored months' and the live days')."""
    split = split or split_period(period)
    totals, heat = {}, {}
    key = child_key(level) if level.child else None
    sources = []
    if split.months:
        sources.append((split.stored(MonthlyCategoryCount, level, area), Sum("received"), Sum("resolved")))
    live = split.petitions(level, area)
    if live is not None:
        sources.append(
            (
                live.exclude(status=Petition.Status.MERGED),
                Count("pk"),
                Count("pk", filter=Q(resolved_at__isnull=False)),
            )
        )
    for rows, received, resolved in sources:
        # One query per source: the heat table's cells add up to the category's totals.
        grouped = ("category__name", key) if key else ("category__name",)
        for name, *child, n, done in (
            rows.values_list(*grouped).annotate(received=received, resolved=resolved).order_by()
        ):
            total = totals.setdefault(name, [0, 0])
            total[0] += n
            total[1] += done
            if key:
                cell = heat.setdefault(name, {})
                cell[child[0]] = cell.get(child[0], 0) + n
    categories = [
        {"category": name, "received": n, "resolved": done}
        for name, (n, done) in sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
    ]
    return categories, heat


def area_statistics(
    level: Level, area, period: Period, *, sort="on_time_rate", now=None, stored=True
) -> dict:
    """Everything the statistics page, its charts, the API and the monthly report show, as plain values.
    Closed months the worker has counted are read from their stored rows, the rest live; `stored=False`
    counts everything live (the figures are the same)."""
    now = now or timezone.now()
    split = split_period(period, stored=stored)
    petitions = period_figures(level, area, split, now)
    by_kind = [
        {"kind": kind, "label": str(label), **{m: petitions.pop(f"{kind}_{m}") for m in KIND_MEASURES}}
        for kind, label in Petition.Kind.choices
    ]
    categories, heat = category_figures(level, area, period, split)
    league = sort_league(league_table(level, area, period, now=now, split=split), sort)
    children = [{"pk": r["pk"], "name": r["name"]} for r in sorted(league, key=lambda r: r["name"])]
    return {
        "area": {"level": level.name, "pk": area.pk, "name": area.name, "code": area.code},
        "period": {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "petitions": petitions,
        "by_kind": by_kind,
        "visits": visit_figures(level, area, period),
        "registry": registry_figures(level, area),
        "volunteers": _plain(volunteer_figures(level, area, period)),
        "trend": monthly_trend(level, area, period, stored=stored),
        "categories": categories,
        "league": league,
        "league_level": level.child,
        "heat": {
            "areas": children,
            "rows": [
                {
                    "category": c["category"],
                    "counts": [heat.get(c["category"], {}).get(a["pk"], 0) for a in children],
                }
                for c in categories
            ],
        },
    }


def _plain(figures):
    if figures is None:
        return None
    return {k: float(v) if k == "hours" else v for k, v in figures.items()}
