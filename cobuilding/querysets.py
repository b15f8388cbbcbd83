"""The co-building words, defined once: "available" for a resource, "open" for a need."""

from django.db.models import Q
from django.utils import timezone

from grids.querysets import ScopedQuerySet


class CommunityScopedQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}


class UnitPartQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "unit__community"}


def available_q(today=None, prefix=""):
    """Available, defined once: offered now, inside its dates when it has them."""
    today = today or timezone.localdate()
    return (
        Q(**{f"{prefix}available": True})
        & (Q(**{f"{prefix}available_from__isnull": True}) | Q(**{f"{prefix}available_from__lte": today}))
        & (Q(**{f"{prefix}available_until__isnull": True}) | Q(**{f"{prefix}available_until__gte": today}))
    )


class ResourceQuerySet(CommunityScopedQuerySet):
    def available(self, today=None):
        return self.filter(available_q(today))


class NeedQuerySet(CommunityScopedQuerySet):
    def open(self):
        return self.filter(status="open")


class MatchQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "need__community"}
