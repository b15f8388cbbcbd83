"""REST API of the project ledger, registered on the /api/v1/ router by config.api_urls.

Read-only: projects change through the services (admin, ledger and phone pages). Every list starts from
`visible_to(request.user)`; an id outside the caller's patch answers 404.
"""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from config.api_filters import BooleanFilter, FilterSet

from .models import Milestone, Project


class ProjectSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    responsible_name = serializers.SerializerMethodField()
    progress = serializers.IntegerField(read_only=True, help_text="Percent of milestones done (derived).")
    milestone_total = serializers.IntegerField(read_only=True)
    milestone_done = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(
        read_only=True, help_text="Milestones past their date, not done."
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "organisation",
            "organisation_name",
            "community",
            "community_name",
            "area",
            "responsible",
            "responsible_name",
            "starts_on",
            "due_on",
            "completed_on",
            "budget",
            "funding_source",
            "published",
            "progress",
            "milestone_total",
            "milestone_done",
            "overdue_count",
        ]

    def get_responsible_name(self, project) -> str:
        return str(project.responsible) if project.responsible_id else ""


class MilestoneSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)
    evidence_count = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "is_overdue", "note", "evidence_count"]

    def get_evidence_count(self, milestone) -> int:
        return len(milestone.evidence.all())


class ProjectDetailSerializer(ProjectSerializer):
    milestones = MilestoneSerializer(source="milestone_list", many=True, read_only=True)
    petitions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "description", "status_note", "petitions", "milestones"]


class ProjectFilter(FilterSet):
    overdue = BooleanFilter(method="filter_overdue", label="Only with overdue milestones")

    class Meta:
        model = Project
        fields = ["community", "organisation", "status", "kind", "published"]

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(pk__in=Project.objects.with_overdue_milestones().values("pk"))
        return queryset


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def get_queryset(self):
        qs = (
            Project.objects.visible_to(self.request.user)
            .with_progress()
            .select_related("organisation", "community", "responsible")
            .order_by("community", "-starts_on", "pk")
        )
        if self.action == "retrieve":
            milestones = (
                Milestone.objects.with_overdue().prefetch_related("evidence").order_by("due_on", "pk")
            )
            qs = qs.prefetch_related(
                Prefetch("milestones", queryset=milestones, to_attr="milestone_list"), "petitions"
            )
        return qs


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("projects", ProjectViewSet, basename="project")
