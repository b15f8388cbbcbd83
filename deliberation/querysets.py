"""The words of deliberation, defined once: who sees a topic or meeting, which tasks are open or overdue."""

from django.db.models import Q
from django.utils import timezone

from grids.querysets import ScopedQuerySet


class TopicQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def visible_to(self, user):
        """Registry roles of the community, the host of a meeting with the topic on its agenda (who records
        its vote on the phone), and the owner of one of its follow-up tasks."""
        if not user.is_authenticated:
            return self.none()
        hosted = self.model.meetings.through.objects.filter(meeting__host=user).values("topic_id")
        owned = self.model.tasks.rel.related_model.objects.filter(owner=user).values("topic_id")
        return self.filter(user.scope.q(community="community") | Q(pk__in=hosted) | Q(pk__in=owned))

    def disclosed(self):
        """Public: topics whose resolution is published (their result too, once published)."""
        return self.filter(resolution_published_at__isnull=False)


class MeetingQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(community="community") | Q(host=user))


class ResolutionTaskQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "topic__community"}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(community="topic__community") | Q(owner=user))

    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, now=None):
        return self.open().filter(deadline__lt=now or timezone.now())


class VotingRuleQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}
