"""Who sees an assistance case, defined once. A case holds sensitive personal data: only staff who may
change things in its community and the people assigned to it (the companion and the helpers) see it.
Read-only officials above the community do not (they read counts, `selectors.case_counts`)."""

from django.db import models
from django.db.models import Q, Sum


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        assigned = Q(companion=user) | Q(
            pk__in=self.model.helpers.through.objects.filter(user=user).values("case_id")
        )
        return self.filter(Q(community_id__in=user.scope.writable_community_ids) | assigned)

    def editable_by(self, user):
        """Changing a case (the admin, its plan and milestones): staff of its community only."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(community_id__in=user.scope.writable_community_ids)

    def published(self):
        return self.filter(published=True).exclude(public_summary="")


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        cases = self.model._meta.get_field("case").related_model.objects.visible_to(user)
        return self.filter(case__in=cases)

    def editable_by(self, user):
        return self.none()  # entries change only through the ledger services

    def confirmed(self):
        """The entries the balance counts: confirmed by a second person."""
        return self.filter(confirmed_at__isnull=False)

    def balance(self):
        """Money in minus money out over the confirmed entries (one query)."""
        totals = self.confirmed().aggregate(
            into=Sum("amount", filter=Q(direction="in")), out=Sum("amount", filter=Q(direction="out"))
        )
        return (totals["into"] or 0) - (totals["out"] or 0)
