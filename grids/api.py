"""REST API for the registry. Every view starts from `visible_to(request.user)`; an id outside the caller's
patch answers 404. Writes go through `grids.services`; their ValidationErrors become 400 responses with
the translated messages, keyed by field. Phone and ID numbers are only ever returned masked, except by
the reveal action, which the service logs.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import RevealLog
from config.api_errors import error_body
from config.api_filters import BooleanFilter, FilterSet

from . import selectors, services
from .models import Building, Grid, Household, Residence, Resident, ResidentTag
from .pii import no_store
from .validators import validate_phone


def as_drf_error(error: DjangoValidationError) -> ValidationError:
    """A service's ValidationError, keyed by field where it has fields, as a 400 response."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        )
    return ValidationError(error_body(error))


# --- Households --------------------------------------------------------------------------------------


class HouseholdSerializer(serializers.ModelSerializer):
    building = serializers.CharField(source="building.name", read_only=True)
    building_id = serializers.IntegerField(read_only=True)
    area = serializers.CharField(source="building.area.name", read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "code",
            "building",
            "building_id",
            "area",
            "unit",
            "floor",
            "room",
            "use",
            "microgrid",
            "head",
            "member_count",
        ]


class HouseholdFilter(FilterSet):
    building = django_filters.NumberFilter(field_name="building")
    grid = django_filters.NumberFilter(field_name="building__grid")
    microgrid = django_filters.NumberFilter(field_name="microgrid")
    community = django_filters.NumberFilter(field_name="building__community")
    use = django_filters.ChoiceFilter(choices=Household.Use.choices)
    uncovered = BooleanFilter(field_name="building__grid", lookup_expr="isnull")

    class Meta:
        model = Household
        fields = ["building", "grid", "microgrid", "community", "use", "uncovered"]


class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    """Dwellings of the caller's patch, with the number of people living there now."""

    queryset = Household.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self):
        members = (
            Resident.objects.filter(household=OuterRef("pk"))
            .order_by()
            .values("household")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            Household.objects.visible_to(self.request.user)
            .select_related("building__area")
            # A correlated subquery rather than a join: the page's count query can then drop it.
            .annotate(member_count=Coalesce(Subquery(members), 0))
            .order_by("code")
        )


# --- Residents ---------------------------------------------------------------------------------------


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResidentTag
        fields = ["code", "name", "needs_attention"]


class ResidentOutputSerializer(serializers.ModelSerializer):
    """Masked personal data only; tags are the ones the caller may see (no sensitive ones for volunteers)."""

    phone = serializers.CharField(source="phone_masked", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    tags = TagSerializer(source="shown_tags", many=True, read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "name", "gender", "age", "phone", "id_type", "id_number", "household", "tags"]


class ResidentInputSerializer(serializers.Serializer):
    """What a caller may send to register or change a resident. The service checks the rest."""

    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(choices=Resident.Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(
        max_length=11, required=False, allow_blank=True, validators=[validate_phone]
    )
    id_type = serializers.ChoiceField(choices=Resident.IdType.choices, required=False)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True, trim_whitespace=True)
    household = serializers.IntegerField(required=False, help_text=_("The dwelling the resident lives in."))
    kind = serializers.ChoiceField(choices=Residence.Kind.choices, required=False)
    relation = serializers.ChoiceField(choices=Residence.Relation.choices, required=False)
    moved_in = serializers.DateField(required=False)
    tags = serializers.ListField(child=serializers.SlugField(), required=False)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate_household(self, value):
        household = Household.objects.editable_by(self.context["request"].user).filter(pk=value).first()
        if household is None:
            raise ValidationError(_("No such dwelling in your area."))
        return household

    def validate_tags(self, codes):
        tags = list(selectors.tags_visible_to(self.context["request"].user).filter(code__in=codes))
        unknown = sorted(set(codes) - {t.code for t in tags})
        if unknown:
            raise ValidationError(_("Unknown tags: %(tags)s") % {"tags": "、".join(unknown)})
        return tags


class RevealInputSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=RevealLog.Field.choices)
    reason = serializers.CharField(min_length=2, max_length=200)


class RevealOutputSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class ResidentFilter(FilterSet):
    household = django_filters.NumberFilter(field_name="household")
    building = django_filters.NumberFilter(field_name="household__building")
    grid = django_filters.NumberFilter(field_name="household__building__grid")
    name = django_filters.CharFilter(field_name="name", lookup_expr="contains")
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag code"))

    class Meta:
        model = Resident
        fields = ["household", "building", "grid", "name", "tag"]

    def filter_tag(self, queryset, name, value):
        # Only tags the caller may see can be filtered on: a hidden tag must not leak through a filter.
        return queryset.filter(tags__in=selectors.tags_visible_to(self.request.user).filter(code=value))


@extend_schema_view(
    create=extend_schema(request=ResidentInputSerializer, responses={201: ResidentOutputSerializer}),
    update=extend_schema(request=ResidentInputSerializer, responses=ResidentOutputSerializer),
    partial_update=extend_schema(request=ResidentInputSerializer, responses=ResidentOutputSerializer),
)
class ResidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Residents living in the caller's patch now. Never deleted: people move out (see the services)."""

    queryset = Resident.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = ResidentOutputSerializer
    filterset_class = ResidentFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Resident.objects.none()
        return (
            Resident.objects.visible_to(self.request.user)
            .current()
            .prefetch_related(
                Prefetch("tags", queryset=selectors.tags_visible_to(self.request.user), to_attr="shown_tags")
            )
            .order_by("pk")
        )

    def _output(self, resident, status=200):
        resident = self.get_queryset().get(pk=resident.pk)
        return Response(
            ResidentOutputSerializer(resident, context=self.get_serializer_context()).data, status=status
        )

    def create(self, request, *args, **kwargs):
        data = ResidentInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        try:
            resident = services.resident_create(by=request.user, **fields)
        except DjangoValidationError as error:
            raise as_drf_error(error)
        return self._output(resident, status=201)

    def update(self, request, *args, **kwargs):
        resident = self.get_object()
        data = ResidentInputSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        moving = {"household", "kind", "relation", "moved_in"} & set(fields)
        if moving:
            raise ValidationError(
                {name: [_("A move is recorded through a move, not an edit.")] for name in moving}
            )
        try:
            resident = services.resident_update(resident=resident, by=request.user, **fields)
        except DjangoValidationError as error:
            raise as_drf_error(error)
        return self._output(resident)

    @extend_schema(request=RevealInputSerializer, responses=RevealOutputSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Show one clear phone or ID number. Needs a reason; every reveal is written to the audit log."""
        resident = self.get_object()
        data = RevealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            value = services.resident_reveal(resident=resident, by=request.user, **data.validated_data)
        except DjangoValidationError as error:
            raise as_drf_error(error)
        return no_store(
            Response(RevealOutputSerializer({"field": data.validated_data["field"], "value": value}).data)
        )


# --- Buildings and grids -----------------------------------------------------------------------------


class BuildingSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, allow_null=True, default=None)
    leader = serializers.CharField(source="leader.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Building
        fields = [
            "id",
            "code",
            "name",
            "community",
            "area",
            "area_name",
            "grid",
            "grid_name",
            "unit_count",
            "floor_count",
            "leader",
        ]


class BuildingFilter(FilterSet):
    class Meta:
        model = Building
        fields = ["community", "area", "grid"]


class BuildingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Building.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilter

    def get_queryset(self):
        return (
            Building.objects.visible_to(self.request.user)
            .select_related("area", "grid", "leader")
            .order_by("code")
        )


class GridSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    building_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Grid
        fields = ["id", "code", "name", "community", "community_name", "building_count"]


class GridViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Grid.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = GridSerializer
    filterset_fields = ["community"]

    def get_queryset(self):
        return (
            Grid.objects.visible_to(self.request.user)
            .select_related("community")
            .annotate(building_count=Count("buildings", distinct=True))
            .order_by("code")
        )


def register(router):
    router.register("households", HouseholdViewSet, basename="household")
    router.register("residents", ResidentViewSet, basename="resident")
    router.register("buildings", BuildingViewSet, basename="building")
    router.register("grids", GridViewSet, basename="grid")
