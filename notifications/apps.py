from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # WeChat messages are swept by the petitions outbox sweep, with its claim-once and retry rules.
        from petitions.services import sweep

        from .models import WeChatMessage
        from .services import wechat_message_send

        sweep.register_source(WeChatMessage, wechat_message_send)
