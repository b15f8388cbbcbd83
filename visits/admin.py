"""Visits and campaigns in the admin: read-only lists for staff. They are written by visits.services
(from the phone, the dashboard's campaign page and the API), never edited here."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from accounts.admin_mixins import ScopedAdminMixin

from .models import Campaign, Visit


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["visited_on", "household", "outcome", "persons_met", "follow_up_needed", "recorded_by"]
    list_filter = ["outcome", "follow_up_needed", "visited_on"]
    list_select_related = ["household__building", "recorded_by"]
    search_fields = ["household__code", "household__room", "household__building__name"]
    date_hierarchy = "visited_on"
    show_full_result_count = False
    read_only = True
    fields = [
        "household",
        "visited_on",
        "outcome",
        "visitors",
        "residents_met",
        "others_met",
        "persons_met",
        "topics",
        "situation",
        "follow_up_needed",
        "latitude",
        "longitude",
        "recorded_by",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "grid", "community", "district", "starts_on", "ends_on", "created_by"]
    list_select_related = ["grid", "community", "district", "created_by"]
    show_full_result_count = False
    read_only = True
    fields = [
        "name",
        "grid",
        "community",
        "district",
        "starts_on",
        "ends_on",
        "note",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields

    def scope_queryset(self, request, queryset, *, write=False):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=Campaign.objects.visible_to(request.user).values("pk"))
