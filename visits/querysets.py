"""Read-only filters of visits and campaigns, used as their managers."""

from django.db import models
from django.db.models import Q

from grids.querysets import ScopedQuerySet


class VisitQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {
        "community": "household__building__community",
        "grid": "household__building__grid",
        "microgrid": "household__microgrid",
    }

    def between(self, start, end):
        return self.filter(visited_on__gte=start, visited_on__lte=end)

    def met(self):
        return self.filter(outcome=self.model.Outcome.MET)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Campaigns whose patch touches the user's places; district-wide ones reach every community."""
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if scope.is_superuser:
            return self
        communities = scope.all_community_ids
        condition = Q(community_id__in=communities) | Q(grid__community_id__in=scope.community_ids)
        condition |= Q(grid_id__in=scope.grid_ids) | Q(grid__microgrids__in=scope.microgrid_ids)
        condition |= Q(district__streets__communities__in=communities)
        return self.filter(condition).distinct()

    def running(self, on):
        return self.filter(starts_on__lte=on, ends_on__gte=on)
