"""REST API of this app, registered on the /api/v1/ router by config.api_urls.

Anonymous: POST /api/v1/petitions/ (same form, checks and limits as the public page),
GET /api/v1/petitions/challenge/, POST /api/v1/petitions/phone-code/, GET /api/v1/petitions/track/{code}/.
Authenticated: the scoped list and detail, POST /api/v1/petitions/{id}/transition/, GET /api/v1/petitions/stats/.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import may_see_workbench
from config.api_errors import errors, form_errors, refused
from grids.models import Community, Grid
from notifications.outbound import ChannelError

from . import antispam, inputs, selectors, services
from .forms import PhoneCodeForm, PublicPetitionForm
from .models import Petition, PetitionEvent

# --- Serializers ---------------------------------------------------------------------------------------


class PetitionSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    # A request from a public form or the hotline may have no building and so no grid yet.
    building = serializers.CharField(source="building.name", default=None, allow_null=True, read_only=True)
    grid = serializers.IntegerField(source="grid_id", allow_null=True, read_only=True)
    assignee = serializers.SerializerMethodField()
    phone = serializers.CharField(source="phone_masked")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "id",
            "tracking_code",
            "kind",
            "status",
            "category",
            "community",
            "building",
            "grid",
            "location_text",
            "description",
            "channel",
            "hotline_order_no",
            "phone",
            "assignee",
            "escalation_level",
            "created_at",
            "accept_due_at",
            "resolve_due_at",
            "resolved_at",
            "follow_up_due_at",
            "satisfaction",
            "is_overdue",
        ]

    def get_assignee(self, obj) -> str | None:
        target = obj.assignee_org or obj.assignee
        return str(target) if target else None

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


class PublicEventSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="to_status")
    status_label = serializers.CharField(source="to_status_label")

    class Meta:
        model = PetitionEvent
        fields = ["created_at", "action", "status", "status_label"]


class PublicTrackSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    status_label = serializers.CharField(source="get_status_display")
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "tracking_code",
            "kind",
            "status",
            "status_label",
            "category",
            "description",
            "created_at",
            "decline_reason",
            "resolution",
            "satisfaction",
            "rated_by_resident",
            "timeline",
        ]

    @extend_schema(responses=PublicEventSerializer(many=True))
    def get_timeline(self, obj) -> list:
        return PublicEventSerializer(obj.events.filter(public=True), many=True).data


class SubmitInputSerializer(serializers.Serializer):
    """Documentation of the form fields; validation is the public form's (petitions.forms)."""

    kind = serializers.ChoiceField(choices=Petition.Kind.choices)
    category = serializers.IntegerField()
    building = serializers.CharField(required=False, help_text="QR token or building code")
    community = serializers.IntegerField(required=False)
    location_text = serializers.CharField(required=False)
    description = serializers.CharField()
    name = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    phone_code = serializers.CharField(required=False)
    captcha_token = serializers.CharField()
    captcha_answer = serializers.CharField()
    photos = serializers.ListField(child=serializers.FileField(), required=False)


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(services.RULES))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    assignee = serializers.IntegerField(required=False)
    organisation = serializers.IntegerField(required=False)
    grid = serializers.IntegerField(required=False)
    until = serializers.DateTimeField(required=False)
    solved = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.ChoiceField(choices=Petition.Satisfaction.choices, required=False)
    into = serializers.CharField(required=False)
    summary = serializers.CharField(required=False, max_length=1000)


# --- ViewSet -------------------------------------------------------------------------------------------


class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PetitionSerializer

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        qs = Petition.objects.visible_to(self.request.user).select_related(
            "category", "building", "assignee", "assignee_org"
        )
        status_ = self.request.query_params.get("status")
        if status_:
            qs = qs.filter(status=status_)
        if self.request.query_params.get("overdue") == "1":
            qs = qs.overdue()
        return qs.order_by("-created_at", "-pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Petition.Status.values),
            OpenApiParameter("overdue", str, enum=["1"]),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": SubmitInputSerializer, "application/json": SubmitInputSerializer},
        responses={
            201: inline_serializer("Submitted", {"tracking_code": serializers.CharField()}),
            **errors(429),
        },
        auth=[],
    )
    def create(self, request):
        files = request.FILES if hasattr(request.FILES, "getlist") else MultiValueDict()
        form = PublicPetitionForm(request.data, files, ip=antispam.client_ip(request))
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            petition = services.petition_submit_public(data=form.cleaned_data, user=request.user)
        except ValidationError as exc:
            return refused(exc)
        return Response({"tracking_code": petition.tracking_code}, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionInputSerializer, responses=PetitionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        petition = selectors.access_petition(request.user, pk)
        data_in = TransitionInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        d = data_in.validated_data
        try:
            petition = services.petition_transition(
                petition=petition,
                action=d["action"],
                by=request.user,
                **inputs.action_kwargs(request.user, d["action"], d),
            )
        except ValidationError as exc:
            return refused(exc)
        return Response(PetitionSerializer(petition).data)


# --- Plain paths ---------------------------------------------------------------------------------------


@extend_schema(responses=PublicTrackSerializer, auth=[])
@api_view(["GET"])
@permission_classes([AllowAny])
def track(request, code):
    petition = selectors.access_by_tracking_code(code)
    return Response(PublicTrackSerializer(petition).data)


@extend_schema(
    responses=inline_serializer(
        "Challenge", {"captcha_token": serializers.CharField(), "question": serializers.CharField()}
    ),
    auth=[],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def challenge(request):
    token, question = antispam.new_challenge()
    return Response({"captcha_token": token, "question": question})


@extend_schema(
    request=inline_serializer("PhoneCodeIn", {"phone": serializers.CharField()}),
    responses={202: None, **errors(429, 503)},
    auth=[],
)
@api_view(["POST"])
@permission_classes([AllowAny])
def phone_code(request):
    form = PhoneCodeForm(request.data)
    if not form.is_valid():
        return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
    phone = form.cleaned_data["phone"]
    if antispam.rate_limited("code_ip", antispam.client_ip(request)) or antispam.rate_limited(
        "code_phone", phone
    ):
        return Response(
            {"detail": _("Too many codes requested. Please wait a while.")},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    try:
        antispam.send_phone_code(phone)
    except ChannelError:
        return Response(
            {"detail": _("The code could not be sent just now. Please try again in a minute.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response(status=status.HTTP_202_ACCEPTED)


def _int_or_404(value):
    if not str(value).isdigit():
        raise Http404
    return int(value)


@extend_schema(
    parameters=[
        OpenApiParameter("community", int),
        OpenApiParameter("grid", int),
        OpenApiParameter("start", datetime.date),
        OpenApiParameter("end", datetime.date),
    ],
    responses={
        200: inline_serializer(
            "PetitionStats",
            {
                k: serializers.FloatField(allow_null=True)
                for k in (
                    "received",
                    "accepted",
                    "resolved",
                    "response_rate",
                    "resolution_rate",
                    "on_time_rate",
                    "satisfaction_rate",
                    "median_hours_to_resolve",
                    "wishes_claimed",
                )
            },
        ),
        # An area outside the user's scope, or a user without the workbench.
        **errors(404),
    },
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def stats(request):
    def day(name):
        try:
            return datetime.date.fromisoformat(request.query_params.get(name) or "")
        except ValueError:
            return None

    if not may_see_workbench(request.user):
        raise Http404
    community = grid = None
    # An area outside the user's scope (or a malformed id) is a 404, not the figures of everything else.
    if request.query_params.get("community"):
        community = get_object_or_404(
            Community.objects.visible_to(request.user), pk=_int_or_404(request.query_params["community"])
        )
    if request.query_params.get("grid"):
        grid = get_object_or_404(
            Grid.objects.visible_to(request.user), pk=_int_or_404(request.query_params["grid"])
        )
    return Response(
        selectors.petition_stats(
            request.user, community=community, grid=grid, start=day("start"), end=day("end")
        )
    )


urlpatterns = [
    path("petitions/track/<str:code>/", track, name="api-petition-track"),
    path("petitions/challenge/", challenge, name="api-petition-challenge"),
    path("petitions/phone-code/", phone_code, name="api-petition-phone-code"),
    path("petitions/stats/", stats, name="api-petition-stats"),
]


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("petitions", PetitionViewSet, basename="petition")
