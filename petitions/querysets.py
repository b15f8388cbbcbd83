"""Read-only filters for requests and the outbox. Querysets never write."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from grids.querysets import ScopedQuerySet

OPEN = ("submitted", "accepted", "dispatched", "in_progress", "suspended", "review")
WORKING = ("accepted", "dispatched", "in_progress")


class PetitionQuerySet(ScopedQuerySet):
    """Community staff see their community, grid leaders/workers their grid, micro-grid leaders their
    micro-grid, officials above read; anyone also sees what is assigned to them (or to an organisation
    they belong to) and what they submitted themselves."""

    SCOPE_PATHS = {"community": "community", "grid": "grid", "microgrid": "microgrid"}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(**self.SCOPE_PATHS) | self._own(user))

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(write=True, **self.SCOPE_PATHS) | self._own(user))

    @staticmethod
    def _own(user):
        # A subquery, not a join: an item never appears twice.
        from governance.models import Organisation

        return (
            Q(assignee=user)
            | Q(submitter=user)
            | Q(assignee_org__in=Organisation.objects.filter(members=user).values("pk"))
        )

    def assigned_to(self, user):
        from governance.models import Organisation

        return self.filter(
            Q(assignee=user) | Q(assignee_org__in=Organisation.objects.filter(members=user).values("pk"))
        )

    def open(self):
        return self.filter(status__in=OPEN)

    def overdue(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(status="submitted", accept_due_at__lt=now) | Q(status__in=WORKING, resolve_due_at__lt=now)
        )

    def awaiting_follow_up(self):
        return self.filter(status="resolved")

    def follow_up_due(self, now=None):
        return self.awaiting_follow_up().filter(follow_up_due_at__lte=now or timezone.now())

    def unassigned(self):
        return self.filter(
            status__in=("submitted", "accepted"), assignee__isnull=True, assignee_org__isnull=True
        )

    def public(self):
        """What the public board may show: staff wrote a summary, not 信访, not a private category."""
        return (
            self.exclude(public_summary="")
            .filter(is_xinfang=False, category__private=False)
            .exclude(status__in=("submitted", "declined", "merged"))
        )

    def on_wish_wall(self):
        return self.filter(
            kind="wish", wish_published=True, is_xinfang=False, category__private=False
        ).exclude(status__in=("declined", "merged", "submitted"))

    def in_period(self, start=None, end=None):
        qs = self
        if start:
            qs = qs.filter(created_at__gte=start)
        if end:
            qs = qs.filter(created_at__lt=end)
        return qs


class OutboxQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)

    def due(self, now=None):
        return self.pending().filter(due_at__lte=now or timezone.now())
