"""Read-only filters that name domain ideas. Querysets never write."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .pii import last4_term, phone_index, phone_term


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the lookups from its model to the community, grid and micro-grid.

    Subclasses set SCOPE_PATHS; `visible_to` and `editable_by` delegate to the user's Scope.
    """

    SCOPE_PATHS: dict = {}
    # True when a path crosses a to-many relation, so one object could match twice.
    SCOPE_DISTINCT = False

    def visible_to(self, user):
        return self._scoped(user, write=False)

    def editable_by(self, user):
        return self._scoped(user, write=True)

    def _scoped(self, user, *, write):
        if not user.is_authenticated:
            return self.none()
        scoped = self.filter(user.scope.q(write=write, **self.SCOPE_PATHS))
        return scoped.distinct() if self.SCOPE_DISTINCT and not user.is_superuser else scoped


class DistrictQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "streets__communities"}
    SCOPE_DISTINCT = True


class StreetQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "communities"}
    SCOPE_DISTINCT = True


class CommunityQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "pk", "grid": "grids", "microgrid": "grids__microgrids"}
    SCOPE_DISTINCT = True


class AreaQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {
        "community": "community",
        "grid": "buildings__grid",
        "microgrid": "buildings__households__microgrid",
    }
    SCOPE_DISTINCT = True


class BuildingQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community", "grid": "grid", "microgrid": "households__microgrid"}
    SCOPE_DISTINCT = True

    def in_grid(self, grid):
        return self.filter(grid=grid)


class GridQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community", "grid": "pk", "microgrid": "microgrids"}
    SCOPE_DISTINCT = True


class MicroGridQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "grid__community", "grid": "grid", "microgrid": "pk"}


class HouseholdQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "building__community", "grid": "building__grid", "microgrid": "microgrid"}

    def in_grid(self, grid):
        return self.filter(building__grid=grid)

    def uncovered(self):
        """Households no grid covers: coverage must be total in the field."""
        return self.filter(building__grid__isnull=True)

    def occupied(self):
        return self.exclude(use="vacant")


class ResidentQuerySet(ScopedQuerySet):
    # Community staff keep seeing people who moved away from their community (history is never deleted,
    # and someone must be able to move them back); grid roles see only the people living in their patch.
    SCOPE_PATHS = {
        "community": "residences__household__building__community",
        "grid": "household__building__grid",
        "microgrid": "household__microgrid",
    }
    SCOPE_DISTINCT = True

    def current(self):
        return self.filter(household__isnull=False)

    def matching(self, term):
        """Residents whose name contains `term`, whose phone ends with it when it is 4 digits, or whose
        phone it is when it is a whole number (by the blind index)."""
        condition = Q(name__icontains=term)
        if last4_term(term):
            condition |= Q(phone_last4=last4_term(term))
        if phone_term(term):
            condition |= Q(phone_index=phone_index(phone_term(term)))
        return self.filter(condition)

    def needing_attention(self):
        return self.filter(tags__needs_attention=True).distinct()


class ResidenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(moved_out__isnull=True)

    def on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(moved_in__lte=day), Q(moved_out__isnull=True) | Q(moved_out__gt=day))
