from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # WeChat messages and SMS notices are swept by the petitions outbox sweep, with its claim-once and
        # retry rules. Daily digests use the same loop from their own beat task (notifications.tasks); the
        # claim reads each digest's user and preference with it.
        from petitions.services import sweep

        from .models import NotificationDigest, SmsMessage, WeChatMessage
        from .services import DIGEST_RELATED, SMS_RELATED, sms_message_send, wechat_message_send

        sweep.register_source(WeChatMessage, wechat_message_send)
        sweep.register_source(SmsMessage, sms_message_send, related=SMS_RELATED)
        sweep.RELATED[NotificationDigest] = DIGEST_RELATED
