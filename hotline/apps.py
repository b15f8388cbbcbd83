from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "hotline"
    verbose_name = _("12345 hotline exchange")

    def ready(self):
        from django.urls import reverse

        from imports import kinds

        from . import columns, services

        def reply_link(job):
            label = _("Download the replies for the hotline (xlsx)")
            return [("replies", label, reverse("hotline:replies", args=[job.pk]))]

        # A 12345 work-order file is one kind of import: the imports machinery runs it.
        kinds.register(
            kinds.ImportKind(
                key="hotline",
                label=_("12345 work orders"),
                description=_(
                    "The work orders the city hotline sent, each one becoming a request of channel 12345 "
                    "with its number and deadline; an order imported before is left as it is."
                ),
                fields=columns.FIELDS,
                planner=services,
                key_field="order_no",
                duplicate_message=services.DUPLICATE_MESSAGE,
                row_labels=services.ROW_LABELS,
                done_links=reply_link,
            )
        )
