"""REST API of the statistics, registered by config.api_urls: GET /api/v1/stats/{level}/{id}/ gives an
area's figures over a period, the same dictionary the page, its charts and the monthly report show."""

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import inputs, selectors

_obj = serializers.DictField
AreaStatisticsSerializer = inline_serializer(
    "AreaStatistics",
    {
        "area": _obj(help_text="level, pk, name, code"),
        "period": _obj(help_text="kind (month, year, custom), start, end"),
        "petitions": _obj(
            help_text="received, accepted, resolved, closed, response/resolution/on-time/satisfaction rates "
            "(%), median_hours_to_resolve, wishes, wishes_published, wishes_claimed, claimed_by"
        ),
        "by_kind": serializers.ListField(
            child=_obj(), help_text="per kind: received, accepted, resolved, closed"
        ),
        "visits": _obj(help_text="households, households_visited, visits, persons_met, coverage (%)"),
        "registry": _obj(help_text="residents, households, dwellings, dwellings_by_use"),
        "volunteers": _obj(
            allow_null=True, help_text="hours, active_volunteers, points_issued, points_redeemed"
        ),
        "trend": serializers.ListField(child=_obj(), help_text="12 months: month, received, resolved"),
        "categories": serializers.ListField(child=_obj(), help_text="category, received, resolved"),
        "league": serializers.ListField(
            child=_obj(), help_text="areas one level down with their rates, coverage and overdue now"
        ),
        "league_level": serializers.CharField(allow_null=True),
        "heat": _obj(help_text="areas, and rows of counts per category"),
    },
)


@extend_schema(
    summary="Statistics of an area over a period",
    parameters=[
        OpenApiParameter("level", str, OpenApiParameter.PATH, enum=list(selectors.LEVELS)),
        OpenApiParameter("period", str, enum=["month", "year", "custom"]),
        OpenApiParameter("month", str, description="YYYY-MM (period=month; default this month)"),
        OpenApiParameter("year", int, description="period=year"),
        OpenApiParameter("start", str, description="YYYY-MM-DD (period=custom)"),
        OpenApiParameter("end", str, description="YYYY-MM-DD (period=custom)"),
        OpenApiParameter("sort", str, enum=list(selectors.LEAGUE_SORTS)),
    ],
    responses=AreaStatisticsSerializer,
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def area_statistics(request, level, pk):
    level, place = selectors.access_area(request.user, level, pk)
    try:
        period = inputs.period_from(request.query_params, timezone.localdate())
    except ValidationError as error:
        return Response({"period": error.messages}, status=400)
    return Response(
        selectors.area_statistics(level, place, period, sort=inputs.sort_from(request.query_params))
    )


urlpatterns = [
    path("stats/<str:level>/<int:pk>/", area_statistics, name="api-stats-area"),
]


def register(router):
    """No viewsets: the statistics are plain paths."""
