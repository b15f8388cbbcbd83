"""REST API of the contact cards, registered on the /api/v1/ router by config.api_urls.

A building's card (who is on it, what is missing, the QR link, the last print) and its PDF; a
community's cards in one PDF. Printing records the print, as on the staff pages."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api_errors import refused
from grids.models import Building, Community

from . import pdf, selectors
from .links import absolute
from .views import pdf_response


class ContactSerializer(serializers.Serializer):
    post = serializers.CharField()
    title = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="The work phone printed; empty when none is recorded.")
    organisation = serializers.CharField()


class CardSerializer(serializers.Serializer):
    area = serializers.IntegerField(source="area.pk")
    building = serializers.IntegerField(source="building.pk", allow_null=True)
    heading = serializers.CharField()
    contacts = ContactSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    qr_url = serializers.SerializerMethodField()
    last_printed_at = serializers.DateTimeField(source="last_print.printed_at", allow_null=True, default=None)
    changed_since_print = serializers.BooleanField()

    def get_qr_url(self, card) -> str:
        return absolute(self.context["request"], card.path)


PrintRequest = inline_serializer(
    "CardPrintRequest", {"layout": serializers.ChoiceField(choices=pdf.LAYOUTS, default=pdf.LAYOUT_A6)}
)
PDF_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The cards, ready to print."),
    400: OpenApiResponse(description="No card can be printed: the message lists what is missing."),
}


def _print(request, community, cards, filename, title):
    try:
        return pdf_response(request, community=community, cards=cards, filename=filename, title=title)
    except ValidationError as error:
        return refused(error)


class BuildingCardViewSet(viewsets.GenericViewSet):
    """A building's contact card: community staff and the officials above (who may not print)."""

    serializer_class = CardSerializer
    # Only for the schema (the id's type): every read goes through selectors.access_building.
    queryset = Building.objects.none()

    def retrieve(self, request, pk=None):
        card = selectors.building_card(selectors.access_building(request.user, pk))
        return Response(CardSerializer(card, context={"request": request}).data)

    @extend_schema(request=PrintRequest, responses=PDF_RESPONSES)
    @action(detail=True, methods=["post"], url_path="print")
    def print_card(self, request, pk=None):
        card = selectors.building_card(selectors.access_building(request.user, pk))
        return _print(request, card.community, [card], f"contact-card-{card.building.code}.pdf", card.heading)


class CommunityCardViewSet(viewsets.GenericViewSet):
    """Every card of a community in one PDF."""

    serializer_class = CardSerializer
    queryset = Community.objects.none()

    @extend_schema(request=PrintRequest, responses=PDF_RESPONSES)
    @action(detail=True, methods=["post"], url_path="print")
    def print_cards(self, request, pk=None):
        community = selectors.access_community(request.user, pk)
        cards = selectors.all_community_cards(community)
        return _print(request, community, cards, f"contact-cards-{community.code}.pdf", community.name)


def register(router):
    router.register("cards/buildings", BuildingCardViewSet, basename="building-card")
    router.register("cards/communities", CommunityCardViewSet, basename="community-card")
