"""Targeted assistance in the scoped admin: cases are written through case_save; milestones and the money
ledger are shown here and kept on the case page (the ledger's two-person rule has no admin shortcut)."""

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from accounts.admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ServiceSaveMixin

from . import services
from .models import Case, CaseMilestone, LedgerEntry


class CaseMilestoneInline(ScopedInlineMixin, TabularInline):
    model = CaseMilestone
    read_only = True
    extra = 0
    fields = ["position", "title", "due_on", "done_on", "done_note", "done_by"]
    readonly_fields = fields


class LedgerEntryInline(ScopedInlineMixin, TabularInline):
    model = LedgerEntry
    read_only = True
    extra = 0
    fields = ["occurred_on", "direction", "amount", "note", "recorded_by", "confirmed_by", "reverses"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "community", "status", "companion", "published", "created_at"]
    list_filter = ["status", "published", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["community", "companion"]
    autocomplete_fields = [
        "resident",
        "household",
        "companion",
        "helpers",
        "team",
        "unit",
        "visits",
        "petitions",
    ]
    fields = [
        "title",
        "resident",
        "household",
        "community",
        "status",
        "situation",
        "plan",
        "companion",
        "helpers",
        "team",
        "unit",
        "visits",
        "petitions",
        "published",
        "public_summary",
    ]
    readonly_fields = ["community"]
    show_full_result_count = False
    service_saves_m2m = True
    inlines = [CaseMilestoneInline, LedgerEntryInline]

    def service_save(self, request, obj, form, change):
        data = form.cleaned_data
        services.case_save(
            case=obj,
            helpers=data.get("helpers"),
            visits=data.get("visits"),
            petitions=data.get("petitions"),
            by=request.user,
        )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ScopedAdminMixin, ModelAdmin):
    read_only = True
    list_display = ["case", "occurred_on", "direction", "amount", "recorded_by", "confirmed_by"]
    list_filter = ["direction"]
    list_select_related = ["case", "recorded_by", "confirmed_by"]
    search_fields = ["note", "case__title"]
    show_full_result_count = False
