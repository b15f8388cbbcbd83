from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Systems and integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the key's security scheme with drf-spectacular (found by import).
        from . import schema  # noqa: F401
