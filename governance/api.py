"""REST API of the party organisation, registered on the /api/v1/ router by config.api_urls.

Read-only: organisations and members change in the admin, through the services. Every list starts from
`visible_to(request.user)`; an id outside the caller's patch answers 404.
"""

import django_filters
from django.db.models import Count
from rest_framework import serializers, viewsets

from config.api_filters import FilterSet

from .models import PartyMember, PartyOrganisation


class PartyOrganisationSerializer(serializers.ModelSerializer):
    secretary = serializers.CharField(
        source="secretary.resident.name", read_only=True, allow_null=True, default=None
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartyOrganisation
        fields = [
            "id",
            "name",
            "level",
            "org_type",
            "parent",
            "community",
            "area",
            "grid",
            "building",
            "household",
            "outside_territory",
            "secretary",
            "member_count",
        ]


class PartyOrganisationFilter(FilterSet):
    class Meta:
        model = PartyOrganisation
        fields = ["community", "level", "org_type", "parent", "building", "grid", "outside_territory"]


class PartyOrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PartyOrganisation.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = PartyOrganisationSerializer
    filterset_class = PartyOrganisationFilter

    def get_queryset(self):
        return (
            PartyOrganisation.objects.visible_to(self.request.user)
            .select_related("secretary__resident")
            .annotate(member_count=Count("members", distinct=True))
            .order_by("community", "level", "name", "pk")
        )


class PartyMemberSerializer(serializers.ModelSerializer):
    """A member's name and organisation; no phone or ID number (those stay on the resident, masked)."""

    name = serializers.CharField(source="resident.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
            "resident",
            "organisation",
            "organisation_name",
            "joined_party_on",
            "shows_identity",
            "in_service",
            "work_unit",
            "registered_on",
        ]


class PartyMemberFilter(FilterSet):
    community = django_filters.NumberFilter(field_name="organisation__community")

    class Meta:
        model = PartyMember
        fields = ["organisation", "community", "in_service", "shows_identity"]


class PartyMemberViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PartyMember.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = PartyMemberSerializer
    filterset_class = PartyMemberFilter

    def get_queryset(self):
        return (
            PartyMember.objects.visible_to(self.request.user)
            .select_related("resident", "organisation")
            .order_by("organisation_id", "resident__name", "pk")
        )


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("party/organisations", PartyOrganisationViewSet, basename="party-organisation")
    router.register("party/members", PartyMemberViewSet, basename="party-member")
