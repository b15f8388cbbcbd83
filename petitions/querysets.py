"""Read-only filters for requests and the outbox. Querysets never write."""

import operator
from functools import reduce

from django.db import models
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from accounts.scoping import NOTHING
from governance.models import Organisation
from grids.querysets import ScopedQuerySet

# The status groups, spelled once (models.Petition re-exports them; querysets cannot import models).
# Someone still has to act before the item can be called resolved.
OPEN_STATUSES = ("submitted", "accepted", "dispatched", "in_progress", "suspended", "review")
# Handed to someone who is working on it: what can be reassigned, sent back or resolved.
WORKING_STATUSES = ("dispatched", "in_progress")
# The resolution deadline runs: past it the item is overdue, reminded and escalated.
RESOLVE_CLOCK_STATUSES = ("accepted", *WORKING_STATUSES)
# Not finished: open, or resolved and waiting for its follow-up visit (notes and summaries still allowed).
NOT_CLOSED = (*OPEN_STATUSES, "resolved")


class CategoryQuerySet(models.QuerySet):
    def offered_in(self, community_id):
        """The active categories a community's items can take: the shared ones and its own."""
        return self.filter(Q(community__isnull=True) | Q(community_id=community_id), active=True)

    def shared_or_in(self, community_ids):
        """Shared categories and those of these communities (what the admin lists for a user)."""
        return self.filter(Q(community__isnull=True) | Q(community_id__in=community_ids))


# Tracking codes are compared with look-alikes folded (O as 0, I and L as 1): new codes use none of
# them, and an old code stays findable however its resident read it.
LOOK_ALIKES = {"O": "0", "I": "1", "L": "1"}


def _fold_look_alikes(expression):
    for char, into in LOOK_ALIKES.items():
        expression = Replace(expression, Value(char), Value(into))
    return expression


# The stored code in its compared form; Petition's index on it keeps the public lookup a single probe.
TRACKING_KEY = _fold_look_alikes(Upper("tracking_code"))


def tracking_key(typed) -> str:
    """What a resident typed, in the compared form (callers strip spaces and dashes first)."""
    return "".join(LOOK_ALIKES.get(c, c) for c in typed.upper())


def overdue_steps(now):
    """The two ways to be overdue, which never overlap (the status differs): past the acceptance deadline
    while submitted, past the resolution deadline while the clock runs. Counting each apart lets a count
    read only Petition's two partial indexes of open items, not the rows."""
    return (
        Q(status="submitted", accept_due_at__lt=now),
        Q(status__in=RESOLVE_CLOCK_STATUSES, resolve_due_at__lt=now),
    )


def overdue_q(now):
    """Past the deadline of the step it is at: acceptance while submitted, resolution while the clock runs."""
    acceptance, resolution = overdue_steps(now)
    return acceptance | resolution


def responded_in_time_q():
    """Response (响应): first contact with the resident (accepting or declining counts) within the
    category's first-contact deadline."""
    return Q(contacted_at__isnull=False, contacted_at__lte=F("contact_due_at"))


def response_counted_q(now):
    """What the response rate counts: contacted, or past the first-contact deadline. An item still inside
    its deadline has not failed yet, so right after a collection drive it is neither a hit nor a miss."""
    return Q(contacted_at__isnull=False) | Q(contact_due_at__lte=now)


class PetitionQuerySet(ScopedQuerySet):
    """Community staff see their community, grid leaders/workers their grid, micro-grid leaders their
    micro-grid, officials above read; anyone also sees what is assigned to them (or to an organisation
    they belong to) and what they submitted themselves."""

    SCOPE_PATHS = {"community": "community", "grid": "grid", "microgrid": "microgrid"}

    # More of a user's own items outside their area than this, and the scope keeps the OR of every arm.
    OWN_BEYOND_AREA_LIMIT = 200

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(self._area_or_own(user, user.scope.q(**self.SCOPE_PATHS)))

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(self._area_or_own(user, user.scope.q(write=True, **self.SCOPE_PATHS)))

    def _area_or_own(self, user, area):
        """The area, or the items assigned to or submitted by the user. `area OR assignee = … OR
        submitter = … OR assignee_org IN (…)` defeats every index a list sorts by (a million-row sort),
        so one small query first finds the user's own items outside the area, and the usual answer,
        none, leaves the area's filter alone: it reads `(community, resolve_due_at, …)` in order."""
        if user.scope.is_superuser:
            return area
        own = self._own_arms(user)
        if area == NOTHING:
            return reduce(operator.or_, own)
        # One UNION of an indexed query per arm: their OR (a sub-select among them) is a full scan.
        arms = [
            self.model._base_manager.filter(arm).exclude(area).order_by().values_list("pk", flat=True)
            for arm in own
        ]
        beyond = list(arms[0].union(*arms[1:])[: self.OWN_BEYOND_AREA_LIMIT + 1])
        if not beyond:
            return area
        if len(beyond) > self.OWN_BEYOND_AREA_LIMIT:
            return reduce(operator.or_, own, area)
        return area | Q(pk__in=beyond)

    def with_tracking_code(self, typed):
        """Items whose code matches `typed` with look-alikes folded (normally one, an old code's twin at
        worst): the exact code first."""
        return (
            self.alias(tracking_key=TRACKING_KEY)
            .filter(tracking_key=tracking_key(typed))
            .order_by(Case(When(tracking_code=typed, then=Value(0)), default=Value(1)), "pk")
        )

    @staticmethod
    def _own_arms(user):
        """Assigned to the user, submitted by them, assigned to an organisation they belong to. The
        organisations are read first (one small query; the arm goes when there are none): as a sub-select
        the planner may merge it with a whole index of a million rows."""
        arms = [Q(assignee=user), Q(submitter=user)]
        organisations = list(Organisation.objects.filter(members=user).values_list("pk", flat=True))
        if organisations:
            arms.append(Q(assignee_org__in=organisations))
        return arms

    def assigned_to(self, user):
        return self.filter(
            Q(assignee=user) | Q(assignee_org__in=Organisation.objects.filter(members=user).values("pk"))
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.filter(overdue_q(now or timezone.now()))

    def with_overdue(self, now=None):
        """Each row carries `is_overdue` (the same definition as `overdue()`), for sorting lists by it."""
        return self.annotate(
            is_overdue=Case(
                When(overdue_q(now or timezone.now()), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
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


class PendingPhotoQuerySet(models.QuerySet):
    def kept_for(self, key, now=None):
        """The photos one form keeps between its posts (an empty key keeps none)."""
        if not key:
            return self.none()
        return self.filter(key=key, expires_at__gt=now or timezone.now()).order_by("pk")

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())
