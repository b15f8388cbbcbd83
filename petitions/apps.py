from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Requests and micro-wishes")

    def ready(self):
        from imports import kinds

        from .services import ledger_import

        # The past requests ledger is one kind of import: the imports machinery runs it.
        kinds.register(
            kinds.ImportKind(
                key="ledger",
                label=_("Past requests ledger"),
                description=_(
                    "Requests, wishes and suggestions already handled, with their original dates, marked "
                    "imported so that the statistics start complete."
                ),
                fields=ledger_import.FIELDS,
                planner=ledger_import,
                key_field="description",
                duplicate_message=ledger_import.DUPLICATE_MESSAGE,
                row_labels=(_("Request"), _("Category"), _("Building code")),
            )
        )
