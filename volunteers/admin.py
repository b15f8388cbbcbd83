"""Volunteers, the alliance, the ledger and coupons in the scoped admin. Saves go through services; the
ledger, hours, sign-ups and coupons are read-only here (their history is the record)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from accounts.admin_mixins import MaskedPhoneAdminMixin, ScopedAdminMixin, ScopedInlineMixin, ServiceSaveMixin
from accounts.roles import Role

from . import services
from .models import (
    Account,
    Activity,
    Coupon,
    DutyInspection,
    Entry,
    HourRecord,
    Merchant,
    Offer,
    PartyPointRecord,
    PointRule,
    Team,
    Transaction,
    VolunteerProfile,
)


class ReadOnlyAdmin(ScopedAdminMixin, ModelAdmin):
    read_only = True
    show_full_result_count = False


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "community", "confirmed_hours", "stars", "skills"]
    list_select_related = ["user", "community"]
    search_fields = ["user__display_name", "user__username", "skills"]


@admin.register(Team)
class TeamAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "kind", "community", "leader"]
    list_filter = ["kind"]
    list_select_related = ["community", "leader"]
    search_fields = ["name"]
    fields = ["name", "kind", "community", "area", "leader"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.team_save(team=obj, by=request.user)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "starts_at", "place", "capacity", "signed_up", "recorded_afterwards"]
    list_filter = ["recorded_afterwards"]
    list_select_related = ["team"]
    search_fields = ["title", "place"]


@admin.register(HourRecord)
class HourRecordAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "activity", "kind", "status", "hours", "confirmed_by", "confirmed_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["volunteer__user", "activity", "confirmed_by"]


class DutyInspectionInline(ScopedInlineMixin, TabularInline):
    model = DutyInspection
    read_only = True
    extra = 0
    fields = ["month", "inspector", "cleanliness", "order", "greening", "safety", "facilities", "note"]
    readonly_fields = fields


@admin.register(Merchant)
class MerchantAdmin(MaskedPhoneAdminMixin, ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = [
        "shop_name",
        "owner_name",
        "phone_masked",
        "category",
        "alliance_member",
        "duties_signed_on",
    ]
    list_filter = ["category", "alliance_member"]
    list_select_related = ["community"]
    search_fields = ["shop_name", "owner_name", "address"]
    inlines = [DutyInspectionInline]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.merchant_save(merchant=obj, by=request.user)


@admin.register(PointRule)
class PointRuleAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["name", "kind", "points", "active", "community"]
    list_filter = ["kind", "active"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.point_rule_save(rule=obj, by=request.user)


@admin.register(Offer)
class OfferAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = [
        "title",
        "kind",
        "merchant",
        "value",
        "points_cost",
        "quantity",
        "issued",
        "valid_until",
        "active",
    ]
    list_filter = ["kind", "active"]
    list_select_related = ["merchant"]
    search_fields = ["title"]
    readonly_fields = ["issued"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.offer_save(offer=obj, by=request.user)


@admin.register(Coupon)
class CouponAdmin(ReadOnlyAdmin):
    list_display = ["offer", "holder", "status", "points", "valid_until", "redeemed_at", "bill_amount"]
    list_filter = ["status"]
    list_select_related = ["offer", "holder"]
    exclude = ["token", "code"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "community", "balance"]
    list_filter = ["kind"]
    list_select_related = ["community", "user", "merchant"]


class EntryInline(ScopedInlineMixin, TabularInline):
    model = Entry
    read_only = True
    extra = 0
    fields = ["account", "amount"]
    readonly_fields = fields


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "memo", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["created_by"]
    inlines = [EntryInline]


class PartyPointForm(forms.ModelForm):
    class Meta:
        model = PartyPointRecord
        fields = ["community", "member", "points", "reason"]

    def clean_member(self):
        member = self.cleaned_data["member"]
        if not member.has_role(Role.PARTY_MEMBER):
            raise ValidationError(_("This person is not a party member."))
        return member


@admin.register(PartyPointRecord)
class PartyPointRecordAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    """党员积分 are recorded here and never change; they are a score, not points that can be spent."""

    form = PartyPointForm
    list_display = ["member", "points", "reason", "recorded_by", "recorded_at"]
    list_select_related = ["member", "recorded_by"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def service_save(self, request, obj, form, change):
        created = services.party_points_record(
            community=obj.community, member=obj.member, points=obj.points, reason=obj.reason, by=request.user
        )
        obj.pk = created.pk
        obj._state.adding = False
