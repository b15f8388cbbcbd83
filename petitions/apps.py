from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Requests and micro-wishes")

    def ready(self):
        # The board shows community and area names: their saves (grids.services.place_save, the admin)
        # bump its version here, since grids never imports petitions.
        from django.db.models.signals import post_save

        from grids.models import Community, ResidentialArea

        from .services.catalogue import board_version_bump

        def place_saved(sender, **kwargs):
            board_version_bump()

        for model in (Community, ResidentialArea):
            post_save.connect(
                place_saved, sender=model, weak=False, dispatch_uid=f"petitions.board.{model.__name__}"
            )
