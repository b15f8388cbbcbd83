"""Contact cards in the admin: the building admin's QR and card actions (a mixin grids.admin uses), and
read-only lists of prints and replaced QR codes."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action

from accounts.admin_mixins import ScopedAdminMixin
from grids.models import Building

from . import selectors, services
from .models import CardPrint, RetiredQrToken
from .views import pdf_response


class BuildingCardAdminMixin:
    """Show a building's QR code, issue or replace it, open its card, print the selected buildings' cards."""

    card_actions = ["issue_qr_tokens", "print_cards"]
    card_actions_detail = ["replace_qr_token", "contact_card"]

    @admin.display(description=_("QR code"))
    def qr_code(self, obj):
        if obj is None or not obj.pk or not obj.qr_token:
            return _("No QR code issued yet.")
        return format_html(
            '<code id="qr-token">{}</code> · <a href="{}">{}</a>',
            obj.qr_token,
            reverse("cards:building", args=[obj.pk]),
            _("Show the QR code and the contact card"),
        )

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "qr_code"]

    @admin.action(description=_("Issue QR codes for the selected buildings"))
    def issue_qr_tokens(self, request, queryset):
        issued = 0
        for building in queryset.filter(qr_token__isnull=True):
            try:
                services.qr_token_issue(building=building, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, f"{building}: {' '.join(getattr(error, 'messages', [str(error)]))}")
            else:
                issued += 1
        messages.success(request, _("QR codes issued: %(count)s.") % {"count": issued})

    @admin.action(description=_("Print the contact cards of the selected buildings (PDF)"))
    def print_cards(self, request, queryset):
        community_ids = set(queryset.values_list("community_id", flat=True))
        if len(community_ids) != 1:
            messages.error(request, _("Choose buildings of one community to print their cards together."))
            return None
        buildings = selectors.buildings_for_cards(
            Building.objects.filter(pk__in=queryset.values("pk")).select_related("community")
        )
        buildings = list(buildings)
        community = buildings[0].community
        cards = selectors.build_cards(community, areas=[], buildings=buildings)
        try:
            return pdf_response(
                request,
                community=community,
                cards=cards,
                filename=f"contact-cards-{community.code}.pdf",
                title=_("Contact cards of %(community)s") % {"community": community.name},
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return None

    @action(
        description=_("Replace the QR code"), url_path="replace-qr", icon="qr_code", permissions=["change"]
    )
    def replace_qr_token(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        back = reverse("admin:grids_building_change", args=[obj.pk])
        if request.method == "POST":
            try:
                if obj.qr_token:
                    services.qr_token_rotate(building=obj, by=request.user)
                else:
                    services.qr_token_issue(building=obj, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("The QR code was replaced: the old one no longer fills in this building.")
                )
            return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Replace the QR code of %(building)s") % {"building": obj},
            "intro": _(
                "Cards already on the doors will stop filling in this building and say the code was "
                "replaced. Print the new card afterwards."
            ),
            "form": None,
            "submit_label": _("Replace the QR code") if obj.qr_token else _("Issue a QR code"),
            "back_url": back,
        }
        return TemplateResponse(request, "grids/admin/action_form.html", context)

    @action(description=_("Contact card"), url_path="contact-card", icon="badge")
    def contact_card(self, request, object_id):
        return redirect("cards:building", pk=unquote(object_id))


class _ReadOnly:
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CardPrint)
class CardPrintAdmin(_ReadOnly, ScopedAdminMixin, ModelAdmin):
    list_display = ["printed_at", "area", "building", "printed_by"]
    list_select_related = ["area", "building", "printed_by"]
    list_filter = [("community", admin.RelatedOnlyFieldListFilter)]
    show_full_result_count = False


@admin.register(RetiredQrToken)
class RetiredQrTokenAdmin(_ReadOnly, ScopedAdminMixin, ModelAdmin):
    list_display = ["token", "building", "retired_at", "retired_by"]
    list_select_related = ["building", "retired_by"]
    search_fields = ["token", "building__name", "building__code"]
    show_full_result_count = False
