"""The party organisation and the handling organisations, in the scoped admin. Saves go through services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from accounts.admin_mixins import MaskedPhoneAdminMixin, ScopedAdminMixin, ServiceSaveMixin

from . import services
from .models import Organisation, PartyMember, PartyOrganisation


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "level", "org_type", "parent", "community", "building", "outside_territory"]
    list_filter = ["level", "org_type", "outside_territory", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["parent", "community", "building"]
    autocomplete_fields = ["parent", "area", "grid", "building", "household", "secretary"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.party_organisation_save(organisation=obj, by=request.user)


@admin.register(PartyMember)
class PartyMemberAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["resident", "organisation", "joined_party_on", "shows_identity", "in_service"]
    list_filter = ["shows_identity", "in_service", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["resident__name", "work_unit"]
    list_select_related = ["resident", "organisation"]
    autocomplete_fields = ["resident", "user", "organisation"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.party_member_save(member=obj, by=request.user)


@admin.register(Organisation)
class OrganisationAdmin(MaskedPhoneAdminMixin, ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    masked_phones = ("contact_phone",)
    list_display = ["name", "kind", "community", "street", "contact_name", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "contact_name"]
    list_select_related = ["community", "street"]
    filter_horizontal = ["members", "areas"]
    # The members go through organisation_save, not through form.save_m2m().
    service_saves_m2m = True
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "kind", "community", "street", "active"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_title", "contact_phone", "members", "areas"]}),
    ]

    def service_save(self, request, obj, form, change):
        services.organisation_save(
            organisation=obj,
            members=form.cleaned_data.get("members"),
            areas=form.cleaned_data.get("areas"),
            by=request.user,
        )
