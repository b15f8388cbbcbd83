"""Notifications and the SMS log, read-only in the admin."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from accounts.admin_mixins import ScopedAdminMixin, visible_users

from .models import Notification, SmsLog


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, ModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    search_fields = ["title"]
    list_select_related = ["user"]
    show_full_result_count = False
    read_only = True

    def scope_queryset(self, request, queryset, *, write=False):
        return queryset.filter(user__in=visible_users(request.user).values("pk"))


@admin.register(SmsLog)
class SmsLogAdmin(ScopedAdminMixin, ModelAdmin):
    """Only the administrator: a phone number alone does not tell which community a message belongs to."""

    list_display = ["created_at", "phone_display", "template"]
    fields = ["created_at", "phone_display", "template"]
    readonly_fields = fields
    read_only = True

    def get_fields(self, request, obj=None):
        # The parameters carry verification codes: shown only where the console backend shows them too.
        return [*self.fields, "params"] if settings.SMS_CONSOLE_SHOWS_CONTENT else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def scope_queryset(self, request, queryset, *, write=False):
        return queryset if request.user.is_superuser else queryset.none()

    def has_module_permission(self, request):
        return request.user.is_superuser

    @admin.display(description=_("Mobile phone"))
    def phone_display(self, obj):
        return obj.phone_masked
