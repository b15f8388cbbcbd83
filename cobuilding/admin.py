"""The co-building lists in the scoped admin; every save goes through the services. Matches are confirmed
on the need's page or through the API (they create a project), so here they are only shown."""

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from accounts.admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ServiceSaveMixin

from . import services
from .models import (
    Agreement,
    CoBuildingUnit,
    Match,
    Need,
    ReportedMember,
    Resource,
    UnitContact,
    UnitEvent,
)


class ContactInline(ScopedInlineMixin, TabularInline):
    model = UnitContact
    read_only = True
    extra = 0
    fields = ["name", "title", "phone"]
    readonly_fields = fields
    show_change_link = True


@admin.register(CoBuildingUnit)
class UnitAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["__str__", "unit_type", "community", "party_organisation", "joined_on"]
    list_filter = ["unit_type", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "community", "party_organisation"]
    autocomplete_fields = ["organisation", "party_organisation"]
    fields = ["organisation", "community", "unit_type", "party_organisation", "address", "joined_on"]
    readonly_fields = ["community"]
    show_full_result_count = False
    inlines = [ContactInline]

    def service_save(self, request, obj, form, change):
        services.unit_save(unit=obj, by=request.user)


@admin.register(UnitContact)
class ContactAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "title", "phone", "unit"]
    search_fields = ["name", "unit__organisation__name"]
    list_select_related = ["unit__organisation"]
    autocomplete_fields = ["unit"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.contact_save(contact=obj, by=request.user)


@admin.register(Agreement)
class AgreementAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "unit", "signed_on", "ends_on"]
    search_fields = ["title", "unit__organisation__name"]
    list_select_related = ["unit__organisation"]
    autocomplete_fields = ["unit", "projects"]
    show_full_result_count = False
    service_saves_m2m = True

    def service_save(self, request, obj, form, change):
        services.agreement_save(agreement=obj, projects=form.cleaned_data.get("projects"), by=request.user)


@admin.register(ReportedMember)
class ReportedMemberAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["member", "unit", "reported_on"]
    search_fields = ["member__resident__name", "unit__organisation__name"]
    list_select_related = ["unit__organisation", "member__resident"]
    autocomplete_fields = ["unit", "member"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.reported_member_save(report=obj, by=request.user)


@admin.register(UnitEvent)
class UnitEventAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["activity", "unit", "kind", "role"]
    list_filter = ["kind", "role"]
    search_fields = ["activity__title", "unit__organisation__name"]
    list_select_related = ["unit__organisation", "activity"]
    autocomplete_fields = ["unit", "activity"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.unit_event_save(event=obj, by=request.user)

    def delete_model(self, request, obj):
        services.unit_event_remove(event=obj, by=request.user)


@admin.register(Need)
class NeedAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "kind", "quantity", "status", "community", "created_at"]
    list_filter = ["status", "kind", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["community"]
    autocomplete_fields = ["community", "petitions"]
    fields = ["community", "title", "description", "kind", "quantity", "status", "petitions"]
    show_full_result_count = False
    service_saves_m2m = True

    def service_save(self, request, obj, form, change):
        services.need_save(need=obj, petitions=form.cleaned_data.get("petitions"), by=request.user)


@admin.register(Resource)
class ResourceAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "kind", "quantity", "measure", "unit", "available", "available_until"]
    list_filter = ["kind", "available", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "unit__organisation__name"]
    list_select_related = ["unit__organisation"]
    autocomplete_fields = ["unit"]
    exclude = ["community"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.resource_save(resource=obj, by=request.user)


@admin.register(Match)
class MatchAdmin(ScopedAdminMixin, ModelAdmin):
    read_only = True
    list_display = ["need", "resource", "project", "confirmed_by", "confirmed_at"]
    list_select_related = ["need", "resource", "project", "confirmed_by"]
    show_full_result_count = False
