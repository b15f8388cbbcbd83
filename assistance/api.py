"""REST API of targeted assistance, registered on the /api/v1/ router by config.api_urls.

Cases are read-only here (staff change them on the staff pages and in the admin). A case's ledger is read
at /cases/{id}/entries/, where the people on the case also record cash in or out; a different person
confirms an entry at /entries/{id}/confirm/ (the two-person rule, refused with a 400 otherwise). Every read
starts from `Case.objects.visible_to(request.user)`: staff of the case's community and the people
assigned; an id outside answers 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response

from config.api_errors import errors, refused

from . import selectors, services
from .models import Case, CaseMilestone, LedgerEntry
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


class EntrySerializer(serializers.ModelSerializer):
    balance_after = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="The running balance of confirmed entries after this one.",
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "direction",
            "amount",
            "occurred_on",
            "note",
            "reverses",
            "recorded_by",
            "recorded_at",
            "confirmed_by",
            "confirmed_at",
            "balance_after",
        ]
        read_only_fields = ["reverses", "recorded_by", "recorded_at", "confirmed_by", "confirmed_at"]


class EntryInputSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=LedgerEntry.Direction.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Yuan, more than zero.")
    occurred_on = serializers.DateField()
    note = serializers.CharField(max_length=200)


def _call(service):
    """Run one ledger service: its refusal is a 400 in the shared shape, someone outside the case 403."""
    try:
        return service(), None
    except ValidationError as exc:
        return None, refused(exc)
    except PermissionDenied as exc:
        raise DRFPermissionDenied(str(exc)) from exc


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

    @extend_schema(methods=["GET"], responses=EntrySerializer(many=True))
    @extend_schema(methods=["POST"], request=EntryInputSerializer, responses={201: EntrySerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_fields=[])
    def entries(self, request, pk=None):
        """The ledger in date order with the running balance; POST records cash in or out, which counts
        once a different person confirms it."""
        case = selectors.access_case(request.user, pk)
        if request.method == "GET":
            entries, _balance = selectors.ledger(case)
            return Response(EntrySerializer(entries, many=True).data)
        data = EntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry, error = _call(lambda: services.entry_record(case=case, by=request.user, **data.validated_data))
        if error is not None:
            return error
        entry.balance_after = None
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryViewSet(viewsets.GenericViewSet):
    """Only the confirmation: entries are read through their case."""

    queryset = LedgerEntry.objects.none()
    serializer_class = EntrySerializer

    @extend_schema(request=None, responses={200: EntrySerializer, **errors(400)})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """A different person from the recorder confirms the entry; it then counts in the balance."""
        entry = selectors.access_entry(request.user, pk)
        confirmed, error = _call(lambda: services.entry_confirm(entry=entry, by=request.user))
        if error is not None:
            return error
        confirmed.balance_after = None
        return Response(EntrySerializer(confirmed).data)


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("assistance/cases", CaseViewSet, basename="assistance-case")
    router.register("assistance/entries", EntryViewSet, basename="assistance-entry")
