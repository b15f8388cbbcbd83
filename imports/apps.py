from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Registry import")

    def ready(self):
        from . import columns, kinds
        from .documents import registry_example
        from .services import plan

        kinds.register(
            kinds.ImportKind(
                key="registry",
                label=_("Registry"),
                description=_(
                    "Residential areas, buildings, dwellings and residents, matched by the ID number."
                ),
                fields=columns.FIELDS,
                planner=plan,
                key_field="id_number",
                duplicate_message=_("The same ID number is also on line %(lines)s of the file."),
                example=registry_example(),
            )
        )
