"""REST API of targeted assistance, registered on the /api/v1/ router by config.api_urls.

Read-only: cases and their ledger change through the services (staff pages, admin). The list starts from
`Case.objects.visible_to(request.user)`: staff of the case's community and the people assigned; an id
outside answers 404.
"""

from django.db.models import Count, Q
from rest_framework import serializers, viewsets

from .models import Case, CaseMilestone
from .querysets import EntryQuerySet


class CaseMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseMilestone
        fields = ["id", "position", "title", "due_on", "done_on", "done_note"]


class CaseSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    milestone_total = serializers.IntegerField(read_only=True)
    milestone_done = serializers.IntegerField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "community",
            "community_name",
            "status",
            "companion",
            "team",
            "unit",
            "published",
            "milestone_total",
            "milestone_done",
            "created_at",
        ]


class CaseDetailSerializer(CaseSerializer):
    milestones = CaseMilestoneSerializer(many=True, read_only=True)
    balance = serializers.SerializerMethodField(help_text="Sum of confirmed entries, in yuan.")
    unconfirmed_entries = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "resident",
            "household",
            "situation",
            "plan",
            "public_summary",
            "helpers",
            "visits",
            "petitions",
            "milestones",
            "balance",
            "unconfirmed_entries",
        ]

    def get_balance(self, case) -> str:
        entries: EntryQuerySet = case.entries.all()
        return f"{entries.balance():.2f}"

    def get_unconfirmed_entries(self, case) -> int:
        return case.entries.filter(confirmed_at__isnull=True).count()


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Case.objects.none()  # for the schema; get_queryset scopes every request
    filterset_fields = ["community", "status", "published"]

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def get_queryset(self):
        qs = (
            Case.objects.visible_to(self.request.user)
            .select_related("community")
            .annotate(
                milestone_total=Count("milestones", distinct=True),
                milestone_done=Count(
                    "milestones", filter=Q(milestones__done_on__isnull=False), distinct=True
                ),
            )
            .order_by("-created_at", "-pk")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("milestones", "helpers", "visits", "petitions")
        return qs


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("assistance/cases", CaseViewSet, basename="assistance-case")
