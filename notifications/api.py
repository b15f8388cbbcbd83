"""REST API of this app, registered on the /api/v1/ router by config.api_urls."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Notification
from .services import notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return Notification.objects.for_user(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        request=None,
        responses={200: inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read")
    def mark_read(self, request):
        return Response({"marked": notification_mark_read(user=request.user)})

    @extend_schema(
        responses={200: inline_serializer("NotificationsUnread", {"unread": serializers.IntegerField()})}
    )
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": self.get_queryset().unread().count()})


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("notifications", NotificationViewSet, basename="notification")
