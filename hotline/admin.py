"""The 12345 work orders in the admin: a read-only list to find an order by its number and reach the
request it became (orders come in only through an import of the hotline's file)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from accounts.admin_mixins import ScopedAdminMixin

from .models import HotlineOrder


@admin.register(HotlineOrder)
class HotlineOrderAdmin(ScopedAdminMixin, ModelAdmin):
    read_only = True
    list_display = ["order_no", "community", "request_link", "hotline_category", "received_at", "deadline"]
    list_select_related = ["community", "petition"]
    # The number as the hotline prints it, or its beginning: a prefix match reads the unique index.
    search_fields = ["order_no__istartswith"]
    search_help_text = _("Search by the work-order number or its beginning.")
    date_hierarchy = "received_at"
    ordering = ["-received_at", "-pk"]
    show_full_result_count = False
    fields = [
        "order_no",
        "community",
        "request_link",
        "job_link",
        "hotline_category",
        "received_at",
        "deadline",
    ]
    readonly_fields = fields

    @admin.display(description=_("Request"), ordering="petition__tracking_code")
    def request_link(self, order):
        url = reverse("admin:petitions_petition_change", args=[order.petition_id])
        return format_html('<a href="{}">{}</a>', url, order.petition.tracking_code)

    @admin.display(description=_("Imported from"))
    def job_link(self, order):
        url = reverse("imports:detail", args=[order.job_id])
        return format_html('<a href="{}">{}</a>', url, order.job)
