"""REST API of the 15-minute service circle, registered on the /api/v1/ router by config.api_urls.

Read-only: the points of one community the caller may open (its alliance merchants included), nearest
first from `lat`/`lng`, a `building` or the community centre. Points change in the admin or on the
staff pages, through the services. A community outside the caller's patch answers 404.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from . import selectors
from .inputs import map_query
from .models import Kind, ServicePoint


class ServicePointEntrySerializer(serializers.Serializer):
    key = serializers.CharField(help_text="point-<id> or merchant-<id>: unique across both sources")
    source = serializers.ChoiceField(choices=[("point", "point"), ("merchant", "merchant")])
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=Kind.choices)
    kind_label = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    opening_hours = serializers.CharField()
    phone = serializers.CharField(help_text="The point's work phone")
    note = serializers.CharField()
    distance_m = serializers.FloatField(allow_null=True, help_text="Straight-line distance in metres")
    within_walk = serializers.BooleanField(help_text="Within SERVICE_MAP_WALK_METRES (about 15 minutes)")


class MapQuerySerializer(serializers.Serializer):
    """The documented query, checked: the pages skip what they cannot read, the API refuses it (400)."""

    community = serializers.IntegerField(required=False)
    kind = serializers.ListField(child=serializers.ChoiceField(choices=Kind.choices), required=False)
    building = serializers.IntegerField(required=False)
    lat = serializers.FloatField(required=False)
    lng = serializers.FloatField(required=False)


class ServicePointViewSet(viewsets.GenericViewSet):
    # For the schema only: the list is the selector's union of points and merchants, not this queryset.
    queryset = ServicePoint.objects.none()
    serializer_class = ServicePointEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("community", int, description="Default: the caller's first community"),
            OpenApiParameter("kind", str, many=True, enum=Kind.values, explode=True),
            OpenApiParameter("building", int, description="Measure from this building's position"),
            OpenApiParameter("lat", float, description="Measure from this position (with lng)"),
            OpenApiParameter("lng", float),
        ]
    )
    def list(self, request):
        MapQuerySerializer(data=request.query_params).is_valid(raise_exception=True)
        community, _communities = selectors.access_map_community(
            request.user, request.query_params.get("community")
        )
        circle = selectors.service_map(community, **map_query(request.query_params))
        page = self.paginate_queryset(circle.entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def register(router):
    router.register("service-points", ServicePointViewSet, basename="service-point")
