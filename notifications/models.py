"""The in-app inbox every user has, and the log of SMS the console backend sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.models import EncryptedPhone


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(user=user)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("Title"), max_length=200)
    body = models.TextField(_("Message"), blank=True)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    # What produced it (e.g. "petition.reminder:42"): a second delivery of the same event is a no-op.
    dedup_key = models.CharField(max_length=120, null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("Read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Notification")
        verbose_name_plural = _("Notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedup_key"], name="notification_once_per_event"),
        ]

    def __str__(self):
        return self.title


class SmsLog(EncryptedPhone):
    """What the console SMS backend sent. The idempotency key makes a resend a no-op; the phone is
    encrypted at rest like the resident's or requester's it came from."""

    phone_validators = []  # whatever number the sender was given
    template = models.CharField(_("Template"), max_length=64)
    params = models.JSONField(_("Parameters"), default=dict)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS log")
        verbose_name_plural = _("SMS log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.template} → {self.phone_masked}"
