"""REST API of visits and campaigns, registered on the /api/v1/ router by config.api_urls.

POST /api/v1/visits/ is idempotent by `client_key`: the first call answers 201, a replay 200
with the same visit. Every object outside the caller's patch answers 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.permissions import may_see_coverage
from config.api_errors import errors, refused
from grids.models import Resident
from grids.selectors import access_household
from petitions.models import Category

from . import selectors
from .models import Campaign, Visit
from .selectors import access_campaign
from .services import visit_record


class VisitInSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    visited_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Visit.Outcome.choices, default=Visit.Outcome.MET)
    residents_met = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    others_met = serializers.IntegerField(min_value=0, max_value=50, default=0)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Visit.Topic.choices), required=False, default=list
    )
    situation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    follow_up_needed = serializers.BooleanField(default=False)
    photo = serializers.ImageField(required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    client_key = serializers.UUIDField(required=False, allow_null=True)
    item_description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    item_category = serializers.IntegerField(required=False, allow_null=True)


class VisitOutSerializer(serializers.ModelSerializer):
    visitors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    residents_met = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    items = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "household",
            "visited_on",
            "outcome",
            "visitors",
            "residents_met",
            "others_met",
            "persons_met",
            "topics",
            "situation",
            "follow_up_needed",
            "latitude",
            "longitude",
            "client_key",
            "items",
            "created_at",
        ]

    def get_items(self, visit) -> list[int]:
        return [link.petition_id for link in visit.items.all()]


class VisitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = VisitOutSerializer
    # Numeric ids only, so that /api/v1/visits/campaigns/ is never read as a visit's detail.
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        # Queries of a page: count, the visits, their visitors, residents met and raised items.
        return (
            Visit.objects.visible_to(self.request.user)
            .prefetch_related("visitors", "residents_met", "items")
            .order_by("-visited_on", "-pk")
        )

    @extend_schema(
        request=VisitInSerializer,
        # 404: a household outside the caller's patch.
        responses={201: VisitOutSerializer, 200: VisitOutSerializer, **errors(404)},
        description="Idempotent by client_key: a replay answers 200 with the visit already recorded.",
    )
    def create(self, request, *args, **kwargs):
        incoming = VisitInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        household = access_household(request.user, data["household"])
        residents = list(Resident.objects.filter(pk__in=data["residents_met"]))
        if len(residents) != len(set(data["residents_met"])):
            raise ValidationError({"residents_met": [_("Only residents of this dwelling can be chosen.")]})
        raise_item = None
        if data["item_description"].strip():
            category = (
                Category.objects.offered_in(household.building.community_id)
                .filter(pk=data.get("item_category"))
                .first()
            )
            if category is None:
                raise ValidationError({"item_category": [_("Choose a category for the request.")]})
            raise_item = {"description": data["item_description"], "category": category}
        try:
            visit, created = visit_record(
                household=household,
                visited_on=data["visited_on"],
                outcome=data["outcome"],
                residents_met=residents,
                others_met=data["others_met"],
                topics=data["topics"],
                situation=data["situation"],
                follow_up_needed=data["follow_up_needed"],
                photo=data.get("photo"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                client_key=data.get("client_key"),
                raise_item=raise_item,
                by=request.user,
            )
        except DjangoValidationError as exc:
            return refused(exc)
        out = VisitOutSerializer(self.get_queryset().get(pk=visit.pk))
        return Response(out.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "district", "community", "grid", "starts_on", "ends_on"]


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="the grid, leader or community; null in totals")
    label = serializers.CharField()
    households = serializers.IntegerField()
    visited = serializers.IntegerField()
    visits = serializers.IntegerField()
    persons_met = serializers.IntegerField()
    coverage = serializers.FloatField(help_text="households visited / households, 0 to 1")


class GridCoverageRowSerializer(CoverageRowSerializer):
    community = serializers.CharField()


class CommunityCoverageRowSerializer(CoverageRowSerializer):
    rank = serializers.IntegerField()


class CampaignCoverageSerializer(serializers.Serializer):
    totals = CoverageRowSerializer()
    by_grid = GridCoverageRowSerializer(many=True)
    by_leader = CoverageRowSerializer(many=True)
    by_community = CommunityCoverageRowSerializer(
        many=True, required=False, help_text="only for a district-wide campaign"
    )


def _coverage_rows(rows):
    return [
        {
            "key": row.key,
            "label": row.label,
            "households": row.households,
            "visited": row.visited,
            "visits": row.visits,
            "persons_met": row.persons_met,
            "coverage": round(row.rate, 4),
            **row.extra,
        }
        for row in rows
    ]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).order_by("-starts_on", "-pk")

    @extend_schema(responses={200: CampaignCoverageSerializer, 404: None})
    @action(detail=True)
    def coverage(self, request, pk=None):
        campaign = access_campaign(request.user, pk)
        if not may_see_coverage(request.user):
            # Leaders get their own list only, through the dashboard pages.
            raise Http404
        data = {
            "totals": _coverage_rows([selectors.campaign_totals(campaign)])[0],
            "by_grid": _coverage_rows(selectors.coverage_by_grid(campaign)),
            "by_leader": _coverage_rows(selectors.coverage_by_leader(campaign)),
        }
        if campaign.is_district_wide:
            data["by_community"] = _coverage_rows(selectors.coverage_by_community(campaign))
        return Response(data)


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("visits/campaigns", CampaignViewSet, basename="visits-campaign")
    router.register("visits", VisitViewSet, basename="visits-visit")
