"""REST API of this app, registered on the /api/v1/ router by config.api_urls. Lists start from
`visible_to(request.user)`; writes go through the services, which answer 400 with a translated message."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api_errors import refused

from . import selectors, services
from .models import Activity, Coupon, Offer


class ActivitySerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "title", "team", "starts_at", "ends_at", "place", "capacity", "places_left"]


class OfferSerializer(serializers.ModelSerializer):
    # Points-shop goods are offered by the community itself: no merchant.
    merchant = serializers.CharField(
        source="merchant.shop_name", default=None, allow_null=True, read_only=True
    )
    left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Offer
        fields = ["id", "kind", "title", "merchant", "value", "points_cost", "left", "valid_until"]


class CouponSerializer(serializers.ModelSerializer):
    offer = serializers.CharField(source="offer.title", read_only=True)

    class Meta:
        model = Coupon
        fields = ["id", "offer", "token", "code", "status", "points", "valid_until", "redeemed_at"]


class RedeemInput(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="The QR code's token or the 8-digit code.")
    bill_amount = serializers.DecimalField(max_digits=9, decimal_places=2, required=False, allow_null=True)


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivitySerializer

    def get_queryset(self):
        return (
            Activity.objects.visible_to(self.request.user).select_related("team").order_by("starts_at", "pk")
        )

    @extend_schema(request=None, responses={201: None})
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        activity = selectors.access_activity(request.user, pk)
        profile = selectors.profile_of(request.user)
        if profile is None:
            return refused(ValidationError(_("Register as a volunteer first.")))
        try:
            services.activity_sign_up(activity=activity, volunteer=profile, by=request.user)
        except ValidationError as exc:
            return refused(exc)
        return Response(status=status.HTTP_201_CREATED)


class OfferViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfferSerializer

    def get_queryset(self):
        return (
            Offer.objects.visible_to(self.request.user)
            .available(timezone.now())
            .select_related("merchant")
            .order_by("valid_until", "pk")
        )

    @extend_schema(request=None, responses={201: CouponSerializer})
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        offer = selectors.access_offer(request.user, pk)
        try:
            coupon = services.coupon_take(offer=offer, by=request.user)
        except ValidationError as exc:
            return refused(exc)
        return Response(CouponSerializer(coupon).data, status=status.HTTP_201_CREATED)


class CouponViewSet(viewsets.ReadOnlyModelViewSet):
    """The coupons a user holds (the token and the code are shown to their holder only)."""

    serializer_class = CouponSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Coupon.objects.none()
        return (
            Coupon.objects.filter(holder=self.request.user)
            .select_related("offer")
            .order_by("-issued_at", "-pk")
        )

    @extend_schema(
        request=RedeemInput,
        responses={
            200: inline_serializer(
                "CouponRedeemed", {"id": serializers.IntegerField(), "status": serializers.CharField()}
            ),
        },
    )
    @action(detail=False, methods=["post"])
    def redeem(self, request):
        data = RedeemInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            coupon = services.coupon_redeem(by=request.user, **data.validated_data)
        except ValidationError as exc:
            return refused(exc)
        return Response({"id": coupon.pk, "status": coupon.status})


def register(router):
    """Add this app's viewsets to the shared router."""
    router.register("volunteer-activities", ActivityViewSet, basename="volunteer-activity")
    router.register("offers", OfferViewSet, basename="offer")
    router.register("coupons", CouponViewSet, basename="coupon")
