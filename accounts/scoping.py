"""The one scoping mechanism: which places a user may see and change.

Every page, admin list, API view and export starts from `Model.objects.visible_to(user)` (or
`editable_by(user)`), and each of those querysets calls `Scope.q()` with the lookup paths that lead from
the model to its community, grid and micro-grid. An object outside the scope simply does not exist for
the user: detail views answer 404.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from .roles import READ_ONLY_ROLES, REGISTRY_ROLES, ROLE_LEVEL, Level, Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    is_superuser: bool = False
    roles: frozenset = field(default_factory=frozenset)
    # Communities seen whole (staff, branch secretaries, and read-only officials above them).
    community_ids: frozenset = field(default_factory=frozenset)
    # Of those, the ones the user may also change (officials above the community only read).
    writable_community_ids: frozenset = field(default_factory=frozenset)
    grid_ids: frozenset = field(default_factory=frozenset)
    microgrid_ids: frozenset = field(default_factory=frozenset)
    # Communities where the user acts as party member, volunteer, merchant or resident.
    member_community_ids: frozenset = field(default_factory=frozenset)

    def q(self, *, community=None, grid=None, microgrid=None, write=False) -> Q:
        """A filter for the objects in scope, given the lookups from a model to its places.

        Pass only the paths the model has: a Community passes community="pk", a Household passes
        all three. A path of None means "this model cannot be reached at that level".
        """
        if self.is_superuser:
            return Q()
        condition = NOTHING
        communities = self.writable_community_ids if write else self.community_ids
        if community and communities:
            condition |= Q(**{f"{community}__in": communities})
        if grid and self.grid_ids:
            condition |= Q(**{f"{grid}__in": self.grid_ids})
        if microgrid and self.microgrid_ids:
            condition |= Q(**{f"{microgrid}__in": self.microgrid_ids})
        return condition

    @property
    def sees_registry(self) -> bool:
        return self.is_superuser or bool(self.roles & REGISTRY_ROLES)

    @property
    def all_community_ids(self) -> frozenset:
        return self.community_ids | self.member_community_ids


def scope_for(user, *, assignments, communities) -> Scope:
    """Build a user's scope: one query for the assignments, one more only for officials above a community.

    `assignments` is the user's active RoleAssignment queryset and `communities` the Community queryset
    officials above a community see into; `User.scope` passes both, so this module imports no model.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(is_superuser=True, roles=frozenset(Role))
    assignments = list(assignments.select_related("grid", "microgrid__grid"))
    roles, seen, writable, grids, microgrids, member = set(), set(), set(), set(), set(), set()
    district_ids, street_ids = set(), set()
    for a in assignments:
        role = Role(a.role)
        roles.add(role)
        level = ROLE_LEVEL[role]
        if level == Level.DISTRICT:
            district_ids.add(a.district_id)
        elif level == Level.STREET:
            street_ids.add(a.street_id)
        elif level == Level.COMMUNITY and role in REGISTRY_ROLES:
            seen.add(a.community_id)
            if role not in READ_ONLY_ROLES:
                writable.add(a.community_id)
        elif level == Level.COMMUNITY:
            member.add(a.community_id)
        elif level == Level.GRID:
            grids.add(a.grid_id)
            member.add(a.grid.community_id)
        elif level == Level.MICROGRID:
            microgrids.add(a.microgrid_id)
            member.add(a.microgrid.grid.community_id)
    if district_ids or street_ids:
        above = Q(street__district_id__in=district_ids) | Q(street_id__in=street_ids)
        seen |= set(communities.filter(above).values_list("pk", flat=True))
    return Scope(
        roles=frozenset(roles),
        community_ids=frozenset(seen),
        writable_community_ids=frozenset(writable),
        grid_ids=frozenset(grids),
        microgrid_ids=frozenset(microgrids),
        member_community_ids=frozenset(member),
    )


def get_in_scope_or_404(queryset, pk):
    """The object with this pk from a scoped queryset, or 404: outside the patch it does not exist."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
