"""Read-only filters for API clients."""

from django.db import models
from django.db.models import Q

from accounts.permissions import may_manage_area_keys
from grids.models import Community, Street


class ApiClientQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_superuser:
            return self.all()
        return self.bound_within(user.scope.community_ids)

    def editable_by(self, user):
        """Community staff manage the clients of their community; the district's officials those of
        their district, streets and communities."""
        if user.is_superuser:
            return self.all()
        scope = user.scope
        return self.bound_within(
            scope.community_ids if may_manage_area_keys(user) else scope.writable_community_ids
        )

    def bound_within(self, community_ids):
        """Clients whose whole area lies among these communities: a street or district counts only when
        none of its communities is outside them."""
        if not community_ids:
            return self.none()
        outside = Community.objects.exclude(pk__in=community_ids)
        streets_out = outside.values("street_id")
        districts_out = Street.objects.filter(pk__in=streets_out).values("district_id")
        return self.filter(
            Q(community_id__in=community_ids)
            | (Q(street__isnull=False) & ~Q(street_id__in=streets_out))
            | (Q(district__isnull=False) & ~Q(district_id__in=districts_out))
        )
