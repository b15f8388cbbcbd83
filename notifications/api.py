"""REST API of this app, registered on the /api/v1/ router by config.api_urls."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Notification, NotificationPreference, WeChatBinding
from .services import notification_mark_read, notification_preference_update


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at"]


class PreferenceSerializer(serializers.ModelSerializer):
    """One's own channels, with what each needs on the account (an address, a bound WeChat, a phone)."""

    has_email = serializers.SerializerMethodField()
    wechat_bound = serializers.SerializerMethodField()
    has_phone = serializers.SerializerMethodField()

    class Meta:
        model = NotificationPreference
        fields = ["email", "wechat", "sms", "has_email", "wechat_bound", "has_phone"]

    def get_has_email(self, obj) -> bool:
        return bool(obj.user.email)

    def get_wechat_bound(self, obj) -> bool:
        return WeChatBinding.objects.filter(user_id=obj.user_id).exists()

    def get_has_phone(self, obj) -> bool:
        return bool(obj.user.phone_encrypted)


class PreferenceInputSerializer(serializers.Serializer):
    """Only what is sent changes; the inbox cannot be turned off."""

    email = serializers.ChoiceField(NotificationPreference.Delivery.choices, required=False)
    wechat = serializers.ChoiceField(NotificationPreference.Delivery.choices, required=False)
    sms = serializers.ChoiceField(NotificationPreference.Sms.choices, required=False)


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

    @extend_schema(methods=["GET"], responses={200: PreferenceSerializer})
    @extend_schema(
        methods=["PATCH"], request=PreferenceInputSerializer, responses={200: PreferenceSerializer}
    )
    @action(
        detail=False,
        methods=["get", "patch"],
        url_path="preferences",
        serializer_class=PreferenceInputSerializer,
        pagination_class=None,
    )
    def preferences(self, request):
        """The requesting user's own notification channels (nobody else's can be read or changed here)."""
        if request.method == "PATCH":
            data = PreferenceInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                preference = notification_preference_update(user=request.user, **data.validated_data)
            except ValidationError as error:
                raise serializers.ValidationError(error.message_dict) from error
        else:
            preference = NotificationPreference.for_user(request.user)
        preference.user = request.user
        return Response(PreferenceSerializer(preference).data)


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("notifications", NotificationViewSet, basename="notification")
