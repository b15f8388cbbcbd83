"""The in-app inbox every user has, and the log of SMS the console backend sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import EncryptedPhone
from petitions.models import OutboxRow


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


class WeChatAccessToken(models.Model):
    """The account's access token, shared by every worker (WeChat allows a few thousand fetches a day and
    a new one invalidates the last after a few minutes), refreshed shortly before it expires."""

    app_id = models.CharField(max_length=64, primary_key=True)
    token = models.CharField(max_length=600)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("WeChat access token")
        verbose_name_plural = _("WeChat access tokens")

    def __str__(self):
        return self.app_id


class WeChatBinding(models.Model):
    """A user who chose to get their notices on WeChat: the openid of the Official Account (or of the
    mini-program) they opened the binding page from. Deleted when they unbind."""

    class App(models.TextChoices):
        OFFICIAL_ACCOUNT = "oa", _("Official Account")
        MINI_PROGRAM = "mini", _("Mini-program")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE, related_name="wechat"
    )
    app = models.CharField(_("WeChat app"), max_length=4, choices=App.choices, default=App.OFFICIAL_ACCOUNT)
    openid = models.CharField(_("OpenID"), max_length=64)
    created_at = models.DateTimeField(_("Bound at"), auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat binding")
        verbose_name_plural = _("WeChat bindings")
        constraints = [models.UniqueConstraint(fields=["app", "openid"], name="wechat_openid_once")]

    def __str__(self):
        return f"{self.user_id} {self.app}"


class WeChatFollow(models.Model):
    """A resident who opened "follow on WeChat" from their request's tracking page: the request's public
    status changes go to that openid (the tracking code is what they hold; no account is needed)."""

    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("Request"),
        on_delete=models.CASCADE,
        related_name="wechat_follows",
    )
    openid = models.CharField(_("OpenID"), max_length=64)
    created_at = models.DateTimeField(_("Bound at"), auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat follower of a request")
        verbose_name_plural = _("WeChat followers of requests")
        constraints = [models.UniqueConstraint(fields=["petition", "openid"], name="wechat_follow_once")]

    def __str__(self):
        return f"{self.petition_id}"


class WeChatMessage(OutboxRow):
    """A template (or subscribe) message as an outbox row, swept with the petitions outbox: retried on a
    passing error, given up on a permanent one; `dedup_key` makes a second notice of one event a no-op."""

    app = models.CharField(
        _("WeChat app"),
        max_length=4,
        choices=WeChatBinding.App.choices,
        default=WeChatBinding.App.OFFICIAL_ACCOUNT,
    )
    openid = models.CharField(_("OpenID"), max_length=64)
    kind = models.CharField(_("Kind"), max_length=24)
    data = models.JSONField(_("Content"), default=dict)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    dedup_key = models.CharField(max_length=160, unique=True)

    class Meta:
        verbose_name = _("WeChat message")
        verbose_name_plural = _("WeChat messages")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["due_at", "id"], condition=Q(sent_at__isnull=True), name="wechat_pending_due"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.app}"
