from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Requests and micro-wishes")

    def ready(self):
        from django.db.models.signals import post_save

        from grids.models import Community, ResidentialArea
        from imports import kinds

        from .services import ledger_import
        from .services.catalogue import board_version_bump

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

        # The board shows community and area names: their saves (grids.services.place_save, the admin)
        # bump its version here, since grids never imports petitions.
        def place_saved(sender, **kwargs):
            board_version_bump()

        for model in (Community, ResidentialArea):
            post_save.connect(
                place_saved, sender=model, weak=False, dispatch_uid=f"petitions.board.{model.__name__}"
            )
