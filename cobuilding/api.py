"""REST API of the co-building lists, registered on the /api/v1/ router by config.api_urls.

Units are read-only here; needs and resources are created through the services, and a match is
confirmed on /cobuilding/needs/<id>/confirm/. Every list starts from `visible_to(request.user)`; an id
outside the caller's patch answers 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response

from accounts.permissions import may_see_cobuilding
from config.api_errors import errors, refused
from petitions.inputs import petitions_from_codes

from . import selectors, services
from .models import CoBuildingUnit, Need, Resource, UnitEvent


class UnitSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    hours_served = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    wishes_claimed = serializers.IntegerField(read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CoBuildingUnit
        fields = [
            "id",
            "name",
            "organisation",
            "community",
            "unit_type",
            "party_organisation",
            "joined_on",
            "hours_served",
            "wishes_claimed",
            "member_count",
            "project_count",
        ]


class NeedSerializer(serializers.ModelSerializer):
    petition_codes = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Tracking codes, separated by commas."
    )
    petitions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "community",
            "title",
            "description",
            "kind",
            "quantity",
            "status",
            "petitions",
            "petition_codes",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]


class ResourceSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.organisation.name", read_only=True)
    is_available = serializers.BooleanField(read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "unit",
            "unit_name",
            "community",
            "title",
            "description",
            "kind",
            "quantity",
            "measure",
            "available",
            "available_from",
            "available_until",
            "availability_note",
            "is_available",
        ]
        read_only_fields = ["community"]


class SuggestionSerializer(ResourceSerializer):
    fulfilled = serializers.IntegerField(read_only=True, help_text="Projects the unit fulfilled before.")
    enough = serializers.BooleanField(read_only=True, help_text="Offers at least the quantity needed.")

    class Meta(ResourceSerializer.Meta):
        fields = [*ResourceSerializer.Meta.fields, "fulfilled", "enough"]


class ConfirmInputSerializer(serializers.Serializer):
    resource = serializers.IntegerField()
    project = serializers.IntegerField(required=False, allow_null=True, help_text="Extend this project.")


class UnitEventSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="activity.title", read_only=True)
    starts_at = serializers.DateTimeField(source="activity.starts_at", read_only=True)
    team = serializers.CharField(source="activity.team.name", read_only=True)

    class Meta:
        model = UnitEvent
        fields = ["id", "activity", "title", "starts_at", "team", "kind", "role"]


class _Guarded:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may_see_cobuilding(request.user):
            raise DRFPermissionDenied


class UnitViewSet(_Guarded, viewsets.ReadOnlyModelViewSet):
    queryset = CoBuildingUnit.objects.none()
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.unit_list(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="The year; this year when absent.")],
        responses={200: UnitEventSerializer(many=True), **errors(400)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        """The events the unit held in a year: what its yearly report counts as "events held"."""
        unit = selectors.access_unit(request.user, pk)
        raw = request.query_params.get("year")
        if raw is None:
            year = timezone.localdate().year
        elif raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
            year = int(raw)
        else:
            return refused(ValidationError({"year": _("Give a year between 2000 and 2100.")}))
        return Response(UnitEventSerializer(selectors.unit_events(unit, year), many=True).data)


class NeedViewSet(_Guarded, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Need.objects.none()
    serializer_class = NeedSerializer
    filterset_fields = ["community", "kind", "status"]

    def get_queryset(self):
        return (
            Need.objects.visible_to(self.request.user)
            .prefetch_related("petitions")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(responses={201: NeedSerializer})
    def create(self, request, *args, **kwargs):
        data = NeedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        codes = d.pop("petition_codes", "")
        try:
            with transaction.atomic():
                petitions = petitions_from_codes(request.user, codes)
                need = services.need_save(need=Need(**d), petitions=petitions, by=request.user)
        except ValidationError as exc:
            return refused(exc)
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=SuggestionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        need = selectors.access_need(request.user, pk)
        return Response(SuggestionSerializer(selectors.suggest_resources(need), many=True).data)

    @extend_schema(
        request=ConfirmInputSerializer,
        responses={
            201: inline_serializer(
                "MatchConfirmed", {"match": serializers.IntegerField(), "project": serializers.IntegerField()}
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        need = selectors.access_need(request.user, pk)
        data = ConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        resource = selectors.access_resource(request.user, d["resource"])
        project = None
        if d.get("project"):
            project = selectors.active_projects(need).filter(pk=d["project"]).first()
            if project is None:
                return refused(
                    ValidationError(
                        {"project": _("Only a planned or running project of this community can be extended.")}
                    )
                )
        try:
            match = services.match_confirm(need=need, resource=resource, project=project, by=request.user)
        except ValidationError as exc:
            return refused(exc)
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response({"match": match.pk, "project": match.project_id}, status=status.HTTP_201_CREATED)


class ResourceViewSet(_Guarded, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Resource.objects.none()
    serializer_class = ResourceSerializer
    filterset_fields = ["community", "kind", "unit"]

    def get_queryset(self):
        return selectors.resource_list(self.request.user)

    @extend_schema(responses=NeedSerializer(many=True))
    @action(detail=True, methods=["get"])
    def needs(self, request, pk=None):
        """Open needs this resource could meet (the reverse of a need's suggestions)."""
        resource = selectors.access_resource(request.user, pk)
        return Response(
            NeedSerializer(selectors.suggest_needs(resource).prefetch_related("petitions"), many=True).data
        )

    @extend_schema(responses={201: ResourceSerializer})
    def create(self, request, *args, **kwargs):
        data = ResourceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            resource = services.resource_save(resource=Resource(**data.validated_data), by=request.user)
        except ValidationError as exc:
            return refused(exc)
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response(ResourceSerializer(resource).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("cobuilding/units", UnitViewSet, basename="cobuilding-unit")
    router.register("cobuilding/needs", NeedViewSet, basename="cobuilding-need")
    router.register("cobuilding/resources", ResourceViewSet, basename="cobuilding-resource")
