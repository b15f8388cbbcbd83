"""Reads of the registry that span models: the building page, the household page, uncovered dwellings.

Every read starts from `visible_to(user)`; the `access_*` helpers return one object or raise Http404, so
an id outside the user's patch does not exist for them. Each function runs a fixed number of queries
whatever the number of rows (the tests pin the counts).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from accounts.models import RoleAssignment
from accounts.permissions import may_see_sensitive_tags
from accounts.roles import Role
from accounts.scoping import get_in_scope_or_404
from governance.models import PartyOrganisation

from .models import Building, Grid, Household, MicroGrid, Residence, Resident, ResidentTag

PAGE_SIZE = 20


def access_building(user, pk) -> Building:
    return get_in_scope_or_404(
        Building.objects.visible_to(user).select_related("area", "community", "grid", "leader"), pk
    )


def access_household(user, pk) -> Household:
    return get_in_scope_or_404(
        Household.objects.visible_to(user).select_related(
            "building__area", "building__community", "building__grid", "microgrid", "head"
        ),
        pk,
    )


def access_resident(user, pk) -> Resident:
    return get_in_scope_or_404(Resident.objects.visible_to(user).select_related("household__building"), pk)


def tags_visible_to(user):
    """Tags a user may see on a resident: sensitive ones (health, disability, correction) only for some roles."""
    tags = ResidentTag.objects.all()
    return tags if may_see_sensitive_tags(user) else tags.filter(sensitive=False)


def current_members(user):
    """Residents living in a dwelling now, with their current residence row and the tags the user may see."""
    return Resident.objects.order_by("pk").prefetch_related(
        Prefetch("tags", queryset=tags_visible_to(user), to_attr="shown_tags"),
        Prefetch("residences", queryset=Residence.objects.current(), to_attr="current_residences"),
    )


def page_of(queryset, number, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(number)


@dataclass
class BuildingPage:
    building: Building
    grid_leaders: list
    microgrid_leaders: list
    party_groups: list
    central_households: list
    households: object  # a Page of Household, each with .members


def building_page(user, building, page_number=1) -> BuildingPage:
    """Both hierarchies side by side. Queries: grid leaders (1), micro-grid leaders (1), party
    organisations of the building (1), then the households page: count (1), rows (1), members (1),
    their tags (1) and current residence rows (1)."""
    assignments = RoleAssignment.objects.active().select_related("user").order_by("role", "user__username")
    grid_leaders = (
        list(assignments.filter(grid_id=building.grid_id, role__in=[Role.GRID_LEADER, Role.GRID_WORKER]))
        if building.grid_id
        else []
    )
    microgrid_leaders = list(
        assignments.filter(role=Role.MICROGRID_LEADER, microgrid__households__building=building)
        .select_related("microgrid")
        .distinct()
    )
    organisations = list(
        PartyOrganisation.objects.filter(building=building)
        .select_related("secretary__resident", "household", "parent")
        .order_by("level", "name")
    )
    households = (
        Household.objects.visible_to(user)
        .filter(building=building)
        .select_related("head")
        .prefetch_related(Prefetch("residents", queryset=current_members(user), to_attr="members"))
        .order_by("unit", "floor", "room")
    )
    return BuildingPage(
        building=building,
        grid_leaders=grid_leaders,
        microgrid_leaders=microgrid_leaders,
        party_groups=[o for o in organisations if o.level == PartyOrganisation.Level.BUILDING_GROUP],
        central_households=[o for o in organisations if o.level == PartyOrganisation.Level.CENTRAL_HOUSEHOLD],
        households=page_of(households, page_number),
    )


def household_members(user, household):
    """The people living in a dwelling now, masked fields only (the template shows the masks)."""
    return list(current_members(user).filter(household=household))


def uncovered_households(user):
    """Dwellings in the user's patch that no grid covers: coverage must be total in the field."""
    return (
        Household.objects.visible_to(user)
        .uncovered()
        .select_related("building__area", "building__community")
        .order_by("code")
    )


# --- Micro-grid coverage and leaders ------------------------------------------------------------------


def _leader_of(role, place):
    """Whether the place (a grid or micro-grid row of the outer query) has an active leader today."""
    return Exists(
        RoleAssignment.objects.active().filter(role=role, user__is_active=True, **{place: OuterRef("pk")})
    )


def microgrid_coverage(user) -> dict:
    """One query: the dwellings and buildings of the patch, and how many of them micro-grids cover."""
    return Household.objects.visible_to(user).aggregate(
        households=Count("pk"),
        households_covered=Count("pk", filter=Q(microgrid__isnull=False)),
        buildings=Count("building", distinct=True),
        buildings_covered=Count("building", filter=Q(microgrid__isnull=False), distinct=True),
    )


def leaderless_grids(user):
    """Grids of the patch without an active grid leader (every grid needs one in the field)."""
    return (
        Grid.objects.visible_to(user)
        .filter(~_leader_of(Role.GRID_LEADER, "grid"))
        .select_related("community")
        .order_by("code")
    )


def microgrids_with_coverage(user):
    """Micro-grids of the patch, each with its dwellings counted and whether it has an active leader;
    those without a leader first."""
    return (
        MicroGrid.objects.visible_to(user)
        .annotate(dwellings=Count("households"), has_leader=_leader_of(Role.MICROGRID_LEADER, "microgrid"))
        .select_related("grid__community")
        .order_by("has_leader", "code")
    )


def attach_buildings(microgrids):
    """Set `covered_buildings` (names of the buildings whose dwellings it covers) on each micro-grid of a
    page, in one query."""
    by_microgrid = {m.pk: [] for m in microgrids}
    rows = (
        Household.objects.filter(microgrid__in=list(by_microgrid))
        .values_list("microgrid_id", "building__area__name", "building__name")
        .distinct()
        .order_by("microgrid_id", "building__area__name", "building__name")
    )
    for microgrid_id, area, building in rows:
        by_microgrid[microgrid_id].append(f"{area}{building}")
    for m in microgrids:
        m.covered_buildings = by_microgrid[m.pk]
    return microgrids
