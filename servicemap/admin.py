"""The service map in the scoped admin. Saves go through services."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from accounts.admin_mixins import ScopedAdminMixin, ServiceSaveMixin

from . import services
from .models import BuildingLocation, MerchantLocation, ServicePoint


@admin.register(ServicePoint)
class ServicePointAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "kind", "community", "opening_hours", "phone", "active"]
    list_filter = ["kind", "active", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "address"]
    list_select_related = ["community"]
    show_full_result_count = False
    allow_delete = True  # a point entered by mistake loses nothing when removed
    fields = [
        "community",
        "kind",
        "name",
        "address",
        ("latitude", "longitude"),
        "opening_hours",
        "phone",
        "note",
        "active",
    ]

    def service_save(self, request, obj, form, change):
        services.service_point_save(point=obj, by=request.user)


@admin.register(MerchantLocation)
class MerchantLocationAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["merchant", "latitude", "longitude", "opening_hours", "phone"]
    search_fields = ["merchant__shop_name"]
    list_select_related = ["merchant"]
    autocomplete_fields = ["merchant"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.merchant_location_save(location=obj, by=request.user)


@admin.register(BuildingLocation)
class BuildingLocationAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["building", "latitude", "longitude"]
    search_fields = ["building__name", "building__area__name"]
    list_select_related = ["building__area"]
    autocomplete_fields = ["building"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.building_location_save(location=obj, by=request.user)
