"""Notifications, preferences, the SMS, WeChat and digest outboxes and the SMS log, read-only in the admin
(a user changes their own channels on their settings page; outbox rows are the sweeps' to change)."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from accounts.admin_mixins import ScopedAdminMixin, visible_users

from .models import (
    Notification,
    NotificationDigest,
    NotificationPreference,
    SmsLog,
    SmsMessage,
    WeChatMessage,
)


class _VisibleUsersMixin(ScopedAdminMixin):
    """Rows of users the staff member may see (their community's), read-only."""

    read_only = True
    show_full_result_count = False

    def scope_queryset(self, request, queryset, *, write=False):
        return queryset.filter(user__in=visible_users(request.user).values("pk"))


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


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(_VisibleUsersMixin, ModelAdmin):
    list_display = ["user", "email", "wechat", "sms", "updated_at"]
    list_filter = ["email", "wechat", "sms"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name"]
    fields = ["user", "email", "wechat", "sms", "updated_at"]
    readonly_fields = fields


@admin.register(SmsMessage)
class SmsMessageAdmin(_VisibleUsersMixin, ModelAdmin):
    """Held and sent SMS notices (no phone: it is read from the account when sent)."""

    list_display = ["due_at", "user", "notification", "urgent", "sent_at", "skipped", "attempts"]
    list_filter = ["urgent", "skipped"]
    list_select_related = ["user", "notification"]
    fields = [*list_display, "last_error"]
    readonly_fields = fields


@admin.register(NotificationDigest)
class NotificationDigestAdmin(_VisibleUsersMixin, ModelAdmin):
    list_display = ["day", "user", "notice_count", "due_at", "sent_at", "skipped", "attempts"]
    list_filter = ["skipped"]
    list_select_related = ["user"]
    fields = [*list_display, "last_error"]
    readonly_fields = fields


@admin.register(WeChatMessage)
class WeChatMessageAdmin(ScopedAdminMixin, ModelAdmin):
    """Whether WeChat messages went out, for the administrator: the kind and the delivery, never the
    openid, the content or the link (a resident's request code, a staff member's notice)."""

    list_display = ["due_at", "kind", "app", "sent_at", "skipped", "attempts"]
    list_filter = ["kind", "app", "skipped"]
    fields = [*list_display, "last_error"]
    readonly_fields = fields
    read_only = True
    show_full_result_count = False

    def scope_queryset(self, request, queryset, *, write=False):
        # An openid does not tell which community a message belongs to.
        return queryset if request.user.is_superuser else queryset.none()

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
