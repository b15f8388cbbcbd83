"""Imports in the admin: a read-only, scoped list; each import and a new one open on the staff page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from accounts.admin_mixins import ScopedAdminMixin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ScopedAdminMixin, ModelAdmin):
    read_only = True
    list_display = [
        "original_name",
        "community",
        "created_by",
        "created_at",
        "status",
        "new_count",
        "changed_count",
        "unchanged_count",
        "error_count",
        "staff_page",
    ]
    list_filter = ["status"]
    list_select_related = ["community", "created_by"]
    exclude = ["file", "mapping"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": _("Registry import")}
        extra_context["subtitle"] = format_html(
            '<a href="{}">{}</a>', reverse("imports:list"), _("Import a file on the staff page")
        )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("Staff page"))
    def staff_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("imports:detail", args=[obj.pk]), _("Open"))
