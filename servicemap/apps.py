from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicemapConfig(AppConfig):
    name = "servicemap"
    verbose_name = _("15-minute service circle")
