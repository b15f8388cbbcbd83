"""REST API for the registry. Every view starts from `visible_to(request.user)`."""

from rest_framework import serializers, viewsets

from .models import Household


class HouseholdSerializer(serializers.ModelSerializer):
    building = serializers.CharField(source="building.name", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "code", "building", "unit", "floor", "room", "use"]


class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = HouseholdSerializer

    def get_queryset(self):
        return Household.objects.visible_to(self.request.user).select_related("building").order_by("code")


def register(router):
    router.register("households", HouseholdViewSet, basename="household")
