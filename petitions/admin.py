"""Admin for categories, the holiday calendar and requests. Requests are read-only here: every change goes
through petitions.services (the workbench pages), so the history stays complete."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from accounts.admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ServiceSaveMixin

from . import services
from .models import Category, Holiday, Outbox, Petition, PetitionEvent


class SharedConfigMixin(ServiceSaveMixin, ScopedAdminMixin):
    """Categories and the calendar are shared by every community: all admin users see them, those who may
    write in some community edit them."""

    def scope_queryset(self, request, queryset, *, write=False):
        return queryset


@admin.register(Category)
class CategoryAdmin(SharedConfigMixin, ModelAdmin):
    list_display = [
        "name",
        "deadline_unit",
        "contact_within_hours",
        "accept_within",
        "resolve_within",
        "follow_up_after_days",
        "private",
        "active",
    ]
    list_editable = ["active"]
    search_fields = ["name"]

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
    search_fields = ["tracking_code", "hotline_order_no"]
    list_select_related = ["category", "community", "grid"]
    exclude = ["phone"]
    readonly_fields = ["phone_masked"]
    inlines = [EventInline, OutboxInline]

    @admin.display(description=_("Mobile phone"))
    def phone_masked(self, obj):
        return obj.phone_masked
