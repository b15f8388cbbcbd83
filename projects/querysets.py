"""The ledger's words, defined once: "active", "overdue", and the progress counts every page reads."""

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from grids.querysets import ScopedQuerySet

ACTIVE_STATUSES = ("planned", "in_progress")


def overdue_q(today, to_milestone="", to_project="project__"):
    """Overdue, defined once: a milestone not done whose day has passed, in a project still running."""
    return Q(
        **{
            f"{to_milestone}done_on__isnull": True,
            f"{to_milestone}due_on__lt": today,
            f"{to_project}status__in": ACTIVE_STATUSES,
        }
    )


class ResponsibleScopedQuerySet(ScopedQuerySet):
    """Scoped by community, and also visible (not editable) to the project's responsible person, who may be
    a grid leader or a party member with no view of the whole community."""

    RESPONSIBLE_PATH = ""

    def _scoped(self, user, *, write):
        if write or not user.is_authenticated or user.is_superuser:
            return super()._scoped(user, write=write)
        return self.filter(user.scope.q(**self.SCOPE_PATHS) | Q(**{self.RESPONSIBLE_PATH: user}))


class ProjectQuerySet(ResponsibleScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}
    RESPONSIBLE_PATH = "responsible"

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def published(self):
        return self.filter(published=True).exclude(status="cancelled")

    def with_progress(self, today=None):
        """Annotate milestone_total, milestone_done and overdue_count (one query with the rows)."""
        today = today or timezone.localdate()
        return self.annotate(
            milestone_total=Count("milestones", distinct=True),
            milestone_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
            overdue_count=Count(
                "milestones", filter=overdue_q(today, "milestones__", to_project=""), distinct=True
            ),
        )

    def with_overdue_milestones(self, today=None):
        return self.filter(overdue_q(today or timezone.localdate(), "milestones__", to_project="")).distinct()


class MilestoneQuerySet(ResponsibleScopedQuerySet):
    SCOPE_PATHS = {"community": "project__community"}
    RESPONSIBLE_PATH = "project__responsible"

    def overdue(self, today=None):
        return self.filter(overdue_q(today or timezone.localdate()))

    def with_overdue(self, today=None):
        """Annotate is_overdue on each milestone (for pages that show them all)."""
        condition = overdue_q(today or timezone.localdate())
        return self.annotate(is_overdue=ExpressionWrapper(condition, output_field=BooleanField()))


class EvidenceQuerySet(ResponsibleScopedQuerySet):
    SCOPE_PATHS = {"community": "milestone__project__community"}
    RESPONSIBLE_PATH = "milestone__project__responsible"

    def public(self):
        """What a published project shows the public: its photos, nothing else (files and notes may name
        people)."""
        return self.filter(kind="photo", milestone__project__published=True).exclude(
            milestone__project__status="cancelled"
        )
