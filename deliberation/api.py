"""REST API of deliberation, registered on the /api/v1/ router by config.api_urls.

Lists start from `visible_to(request.user)`; an id outside the caller's patch answers 404. The writes a
phone needs go through the same services and input mapping as the pages: a workflow step (the host's vote
count among them) and the host ticking someone present.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api_errors import refused

from . import inputs, selectors, services
from .models import Attendance, Meeting, ResolutionTask, Stage, Topic, TopicOption


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TopicOption
        fields = ["id", "text", "votes_for", "votes_against", "votes_abstain", "passed"]


class TopicSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)
    answer_count = serializers.IntegerField(read_only=True)
    petitions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="tracking_code")

    class Meta:
        model = Topic
        fields = [
            "id",
            "community",
            "area",
            "title",
            "description",
            "source",
            "petitions",
            "visit",
            "project",
            "stage",
            "call_question",
            "call_deadline",
            "answer_count",
            "proposal",
            "committee_opinion",
            "options",
            "vote_meeting",
            "entitled",
            "present",
            "quorum_percent",
            "majority_percent",
            "outcome",
            "resolution",
            "resolution_published_at",
            "result",
            "result_published_at",
            "created_at",
        ]


class VoteCountSerializer(serializers.Serializer):
    option = serializers.IntegerField()
    votes_for = serializers.IntegerField(min_value=0, source="for")
    against = serializers.IntegerField(min_value=0)
    abstain = serializers.IntegerField(min_value=0)


class StepInputSerializer(serializers.Serializer):
    """One step of 一征三议两公开; only the fields of that step are read."""

    stage = serializers.ChoiceField(choices=Stage.choices[1:])
    question = serializers.CharField(required=False, allow_blank=True)
    deadline = serializers.DateTimeField(required=False)
    proposal = serializers.CharField(required=False, allow_blank=True)
    options = serializers.ListField(child=serializers.CharField(), required=False)
    opinion = serializers.CharField(required=False, allow_blank=True)
    entitled = serializers.IntegerField(required=False, min_value=0)
    present = serializers.IntegerField(required=False, min_value=0)
    meeting = serializers.IntegerField(required=False, allow_null=True)
    counts = VoteCountSerializer(many=True, required=False)
    resolution = serializers.CharField(required=False, allow_blank=True)
    result = serializers.CharField(required=False, allow_blank=True)


class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Topic.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = TopicSerializer

    def get_queryset(self):
        return (
            Topic.objects.visible_to(self.request.user)
            .annotate(answer_count=Count("answers", distinct=True))
            .prefetch_related("options", "petitions")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=StepInputSerializer, responses=TopicSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        topic = selectors.access_topic(request.user, pk)
        data_in = StepInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = dict(data_in.validated_data)
        stage = data.pop("stage")
        try:
            services.topic_step(
                topic=topic,
                stage=stage,
                by=request.user,
                **inputs.step_kwargs(request.user, topic, stage, data),
            )
        except ValidationError as exc:
            return refused(exc)
        return Response(TopicSerializer(self.get_queryset().get(pk=topic.pk)).data)


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "name", "method", "created_at"]


class MeetingSerializer(serializers.ModelSerializer):
    host_name = serializers.CharField(source="host.display_name", read_only=True)
    attendance_count = serializers.IntegerField(read_only=True)
    invited = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "community",
            "kind",
            "title",
            "starts_at",
            "place",
            "host",
            "host_name",
            "topics",
            "invited",
            "attendance_count",
            "minutes",
            "minutes_internal",
        ]


class TickInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone_last4 = serializers.CharField(max_length=4, required=False, allow_blank=True)


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Meeting.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("host")
            .prefetch_related("topics")
            .annotate(attendance_count=Count("attendances", distinct=True))
            .order_by("-starts_at", "-pk")
        )

    @extend_schema(request=TickInputSerializer, responses={201: AttendanceSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """The host marks someone present (recorded once per person)."""
        meeting = selectors.access_meeting(request.user, pk)
        data_in = TickInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            row = services.attendance_tick(meeting=meeting, by=request.user, **data_in.validated_data)
        except ValidationError as exc:
            return refused(exc)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class TaskSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)

    class Meta:
        model = ResolutionTask
        fields = [
            "id",
            "topic",
            "title",
            "owner",
            "owner_name",
            "deadline",
            "escalation_level",
            "done_at",
            "done_note",
        ]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ResolutionTask.objects.none()  # for the schema; get_queryset scopes every request
    serializer_class = TaskSerializer

    def get_queryset(self):
        return (
            ResolutionTask.objects.visible_to(self.request.user)
            .select_related("owner")
            .order_by("deadline", "pk")
        )


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("deliberation/topics", TopicViewSet, basename="deliberation-topic")
    router.register("deliberation/meetings", MeetingViewSet, basename="deliberation-meeting")
    router.register("deliberation/tasks", TaskViewSet, basename="deliberation-task")
