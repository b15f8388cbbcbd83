"""Admin for categories, the holiday calendar and requests. Requests are read-only here: every change goes
through petitions.services (the workbench pages), so the history stays complete."""

from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from accounts.admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ServiceSaveMixin
from accounts.permissions import may_edit_shared_config, may_write
from config.paging import CappedPaginator

from . import services
from .models import Category, Holiday, Outbox, Petition, PetitionEvent


class SharedConfigMixin(ServiceSaveMixin, ScopedAdminMixin):
    """The calendar is shared by every community: all admin users see it, the district edits it."""

    def scope_queryset(self, request, queryset, *, write=False):
        if write and not may_edit_shared_config(request.user):
            return queryset.none()
        return queryset

    def has_add_permission(self, request, *args):
        return may_edit_shared_config(request.user)

    def has_change_permission(self, request, obj=None):
        return may_edit_shared_config(request.user)


@admin.register(Category)
class CategoryAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    """The shared categories (the district's) and each community's own, beside them."""

    list_display = [
        "name",
        "community",
        "deadline_unit",
        "contact_within_hours",
        "accept_within",
        "resolve_within",
        "follow_up_after_days",
        "private",
        "active",
    ]
    list_editable = ["active"]
    list_select_related = ["community"]
    search_fields = ["name"]

    def scope_queryset(self, request, queryset, *, write=False):
        user = request.user
        if user.is_superuser:
            return queryset
        if not write:
            return queryset.shared_or_in(user.scope.community_ids)
        own = queryset.filter(community_id__in=user.scope.writable_community_ids)
        return (
            queryset.shared_or_in(user.scope.writable_community_ids) if may_edit_shared_config(user) else own
        )

    def has_add_permission(self, request, *args):
        return may_write(request.user) or may_edit_shared_config(request.user)

    def has_change_permission(self, request, obj=None):
        if not (may_write(request.user) or may_edit_shared_config(request.user)):
            return False
        if isinstance(obj, str | int) and not self._in_scope(request, obj, write=False):
            return True  # as ScopedAdminMixin: unseen looks nonexistent, not forbidden
        return self._in_scope(request, obj, write=True)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "community" in form.base_fields and not may_edit_shared_config(request.user):
            # Community staff add categories for their community only; "shared" is not theirs to choose.
            form.base_fields["community"].required = True
        return form

    def service_save(self, request, obj, form, change):
        services.category_save(category=obj, by=request.user)


@admin.register(Holiday)
class HolidayAdmin(SharedConfigMixin, ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    allow_delete = True

    def service_save(self, request, obj, form, change):
        services.holiday_save(holiday=obj, by=request.user)

    def delete_model(self, request, obj):
        services.holiday_delete(holiday=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for holiday in queryset:
            services.holiday_delete(holiday=holiday, by=request.user)


class EventInline(ScopedInlineMixin, TabularInline):
    model = PetitionEvent
    read_only = True
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note", "public"]
    readonly_fields = fields


class OutboxInline(ScopedInlineMixin, TabularInline):
    model = Outbox
    read_only = True
    extra = 0
    can_delete = False
    fields = ["kind", "deadline", "due_at", "sent_at", "skipped"]
    readonly_fields = fields


@admin.register(Petition)
class PetitionAdmin(ScopedAdminMixin, ModelAdmin):
    read_only = True
    list_display = [
        "tracking_code",
        "kind",
        "category",
        "community",
        "grid",
        "status",
        "created_at",
        "resolve_due_at",
    ]
    list_filter = ["status", "kind", "channel", "category"]
    # A code or a 12345 number is found whole (get_search_results): an equality reads an index, where a
    # substring match scanned every request of the district.
    search_fields = ["tracking_code", "hotline_order_no"]
    search_help_text = _("Search by the whole tracking code or 12345 work-order number.")
    list_select_related = ["category", "community", "grid"]
    # Twenty rows, and no second count of everything in scope: at district scale each count read the area.
    list_per_page = 20
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A district's million requests: count no further than the page asked for ("1000+").
        return CappedPaginator(
            queryset, per_page, orphans, allow_empty_first_page, asked=request.GET.get(PAGE_VAR)
        )

    readonly_fields = ["phone_masked"]
    inlines = [EventInline, OutboxInline]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        codes = {term, term.upper()}
        return queryset.filter(Q(tracking_code__in=codes) | Q(hotline_order_no__in=codes)), False

    @admin.display(description=_("Mobile phone"))
    def phone_masked(self, obj):
        return obj.phone_masked
