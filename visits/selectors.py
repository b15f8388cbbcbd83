"""Reads of visits and campaigns: access helpers, a user's patch, who lives in and visits a household, and
campaign coverage.

Coverage: distinct households visited during the period ÷ households in the patch
during the period. A household counts as visited when a visit in the period met someone there. The
denominator holds the households registered by the end of the period (so those added mid-campaign count),
minus vacant ones: registered as vacant, or found vacant in the period and never met. Households whose
family moved out keep their household in the patch, and a visit made before they left still counts.
Every figure below is a grouped aggregate, so a campaign page runs the same number of queries for one
grid as for fifty.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import VISITOR_ROLES, Role
from accounts.scoping import get_in_scope_or_404
from grids.models import Community, Grid, Household, Residence, Resident

from .models import Campaign, Visit

LEADER_ROLES = (Role.GRID_LEADER, Role.GRID_WORKER, Role.MICROGRID_LEADER)


def access_visit(user, pk) -> Visit:
    return get_in_scope_or_404(
        Visit.objects.visible_to(user).select_related("household__building__area", "recorded_by"), pk
    )


def access_campaign(user, pk) -> Campaign:
    return get_in_scope_or_404(
        Campaign.objects.visible_to(user).select_related(
            "grid__community", "community", "district", "created_by"
        ),
        pk,
    )


def residents_of(household, on=None):
    """The residents living in a household on a day (by the residence history), plus its current ones."""
    on = on or timezone.localdate()
    living = Residence.objects.filter(household=household).on(on).values("resident_id")
    return Resident.objects.filter(Q(pk__in=living) | Q(household=household)).distinct()


def co_visitor_choices(household, user):
    """People who may have come along: the leaders and workers of the household's grid and micro-grid
    and the staff of its community, other than the user."""
    building = household.building
    place = Q(grid_id=building.grid_id) | Q(community_id=building.community_id)
    if household.microgrid_id:
        place |= Q(microgrid_id=household.microgrid_id)
    people = RoleAssignment.objects.active().filter(place, role__in=VISITOR_ROLES).values("user_id")
    return (
        User.objects.filter(pk__in=people, is_active=True).exclude(pk=user.pk).order_by("display_name", "pk")
    )


def period_end_datetime(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def patch_households(user):
    """The households the user looks after (grid leader: the grid; micro-grid leader: the micro-grid)."""
    return Household.objects.visible_to(user)


def households_in_campaign(campaign: Campaign):
    """The campaign's denominator: households of the patch registered by its end, not vacant."""
    visits = Visit.objects.filter(
        household=OuterRef("pk"),
        visited_on__gte=campaign.starts_on,
        visited_on__lte=campaign.ends_on,
    )
    found_vacant = visits.filter(outcome=Visit.Outcome.VACANT)
    met = visits.filter(outcome=Visit.Outcome.MET)
    return (
        Household.objects.filter(campaign.household_filter())
        .filter(created_at__lt=period_end_datetime(campaign.ends_on))
        .exclude(use=Household.Use.VACANT)
        .exclude(Q(Exists(found_vacant)) & ~Q(Exists(met)))
    )


def campaign_visits(campaign: Campaign):
    return Visit.objects.filter(campaign.household_filter("household__")).between(
        campaign.starts_on, campaign.ends_on
    )


@dataclass
class Coverage:
    label: str
    households: int = 0
    visited: int = 0
    visits: int = 0
    persons_met: int = 0
    key: object = None
    extra: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.visited / self.households if self.households else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def _coverage_counts(eligible, *, distinct_visits):
    """Visits, households met (of those that count: vacant ones do not) and persons met, per group.
    `distinct_visits` when the join (to visitors) would count a visit once per visitor."""
    return {
        "visits": Count("pk", distinct=distinct_visits),
        "visited": Count(
            "household",
            distinct=True,
            filter=Q(outcome=Visit.Outcome.MET, household__in=eligible.values("pk")),
        ),
        "persons": Sum("persons_met"),
    }


def coverage_grouped(campaign, group_by):
    """{group: Coverage} for one grouping path (from Household), in two queries. `campaign` is a Campaign
    or any patch over a period with the same `household_filter`, `starts_on` and `ends_on` (statistics
    of an area over a month use it so)."""
    eligible = households_in_campaign(campaign)
    denominators = dict(eligible.values_list(group_by).annotate(n=Count("pk")).order_by())
    visit_rows = (
        campaign_visits(campaign)
        .values_list(f"household__{group_by}")
        .annotate(**_coverage_counts(eligible, distinct_visits=False))
        .order_by()
    )
    numbers = {key: (visits, visited, persons or 0) for key, visits, visited, persons in visit_rows}
    result = {}
    for key in set(denominators) | set(numbers):
        visits, visited, persons = numbers.get(key, (0, 0, 0))
        result[key] = Coverage(
            label="",
            key=key,
            households=denominators.get(key, 0),
            visited=visited,
            visits=visits,
            persons_met=persons,
        )
    return result


def campaign_totals(campaign: Campaign) -> Coverage:
    """The whole patch: 2 queries (`campaign` as for `coverage_grouped`)."""
    eligible = households_in_campaign(campaign)
    households = eligible.count()
    totals = campaign_visits(campaign).aggregate(
        visits=Count("pk"),
        visited=Count(
            "household",
            distinct=True,
            filter=Q(outcome=Visit.Outcome.MET, household__in=eligible.values("pk")),
        ),
        persons=Sum("persons_met"),
    )
    return Coverage(
        label=str(campaign.patch),
        households=households,
        visited=totals["visited"],
        visits=totals["visits"],
        persons_met=totals["persons"] or 0,
    )


def coverage_by_grid(campaign: Campaign) -> list[Coverage]:
    """One row per grid of the patch: 3 queries (denominators, visit figures, grid names)."""
    rows = coverage_grouped(campaign, "building__grid")
    grids = {g.pk: g for g in Grid.objects.filter(pk__in=[k for k in rows if k]).select_related("community")}
    for key, row in rows.items():
        row.label = str(grids[key]) if key in grids else "—"
        row.extra["community"] = grids[key].community.name if key in grids else ""
    return sorted(rows.values(), key=lambda r: (-r.rate, r.label))


def coverage_by_community(campaign: Campaign) -> list[Coverage]:
    """The ranking of a district-wide campaign: communities by coverage, best first. 3 queries."""
    rows = coverage_grouped(campaign, "building__community")
    names = dict(Community.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    for key, row in rows.items():
        row.label = names.get(key, "—")
    ranked = sorted(rows.values(), key=lambda r: (-r.rate, -r.visited, r.label))
    for rank, row in enumerate(ranked, start=1):
        row.extra["rank"] = rank
    return ranked


def coverage_by_leader(campaign: Campaign) -> list[Coverage]:
    """One row per grid leader, grid worker and micro-grid leader of the patch: households in their own
    patch that they visited (met someone), the visits they made and persons met. 4 queries."""
    # Everyone who held the role at some time during the campaign.
    assignments = list(
        RoleAssignment.objects.filter(valid_from__lte=campaign.ends_on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=campaign.starts_on))
        .filter(role__in=LEADER_ROLES)
        .filter(
            Q(grid__in=Grid.objects.filter(_grid_filter(campaign)))
            | Q(microgrid__grid__in=Grid.objects.filter(_grid_filter(campaign)))
        )
        .values_list("user_id", "grid_id", "microgrid_id")
    )
    if not assignments:
        return []
    eligible = households_in_campaign(campaign)
    # Households per (grid, micro-grid): a leader holding both a grid and a micro-grid in it counts each
    # household once.
    sizes = list(eligible.values_list("building__grid", "microgrid").annotate(n=Count("pk")).order_by())
    user_ids = {a[0] for a in assignments}
    # For each leader, visits they took part in, split by the grid and micro-grid of the household.
    visit_rows = (
        campaign_visits(campaign)
        .filter(visitors__in=user_ids)
        .values_list("visitors", "household__building__grid", "household__microgrid")
        .annotate(**_coverage_counts(eligible, distinct_visits=True))
        .order_by()
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    rows: dict[int, Coverage] = {}
    places: dict[int, tuple[set, set]] = {}
    for user_id, grid_id, microgrid_id in assignments:
        grids, micros = places.setdefault(user_id, (set(), set()))
        if grid_id:
            grids.add(grid_id)
        if microgrid_id:
            micros.add(microgrid_id)
    for user_id, (grids, micros) in places.items():
        row = rows[user_id] = Coverage(label=str(users[user_id]), key=user_id)
        row.households = sum(n for g, m, n in sizes if g in grids or m in micros)
    for user_id, grid_id, microgrid_id, visits, visited, persons in visit_rows:
        grids, micros = places[user_id]
        row = rows[user_id]
        # Visits anywhere in the campaign count as work done; only households of their own patch count
        # towards their coverage.
        row.visits += visits
        row.persons_met += persons or 0
        if grid_id in grids or microgrid_id in micros:
            row.visited += visited
    return sorted(rows.values(), key=lambda r: (-r.rate, r.label))


def _grid_filter(campaign):
    if campaign.grid_id:
        return Q(pk=campaign.grid_id)
    if campaign.community_id:
        return Q(community_id=campaign.community_id)
    return Q(community__street__district_id=campaign.district_id)


def never_visited(campaign: Campaign):
    """Households of the patch still to visit: in the denominator, nobody met during the period."""
    met = Visit.objects.filter(
        household=OuterRef("pk"),
        outcome=Visit.Outcome.MET,
        visited_on__gte=campaign.starts_on,
        visited_on__lte=campaign.ends_on,
    )
    return households_in_campaign(campaign).exclude(Exists(met))


def to_visit_for(user, campaign: Campaign):
    """A leader's list for a campaign: households of their patch in the campaign not yet visited."""
    # The patch's own filter, not `pk IN (patch)`: the planner misjudges that sub-select's size and
    # loops over every pair of the community's households (0.7 s for 3,200 households).
    return never_visited(campaign) & patch_households(user)


def running_campaigns(user, today=None):
    return Campaign.objects.visible_to(user).running(today or timezone.localdate())
