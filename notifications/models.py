"""The in-app inbox every user has, each user's choice of channels, the outboxes of SMS notices and daily
digests, and the log of SMS the console backend sent."""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import EncryptedPhone
from petitions.models import OutboxRow
from petitions.querysets import OutboxQuerySet

from . import quiet_hours


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
    created_at = models.DateTimeField(_("Created at"), default=timezone.now, db_index=True)
    # An overdue item or an escalation: it skips the digest and SMS quiet hours.
    urgent = models.BooleanField(_("Urgent"), default=False)
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


class Channel(models.TextChoices):
    """Where a notice can reach a user. The inbox always gets it; the others follow the user's choice."""

    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    WECHAT = "wechat", _("WeChat")
    SMS = "sms", _("SMS")


class Route(NamedTuple):
    """Which channels one notice goes to at once, and which will carry it in the day's digest."""

    now: frozenset
    digest: frozenset


class NotificationPreference(models.Model):
    """How a user wants their notices. No row means the defaults (the inbox, e-mail and WeChat at once, no
    SMS), which are what every user got before preferences existed; `route` is the one place that
    decides which channels a notice goes to."""

    class Delivery(models.TextChoices):
        EACH = "each", _("Each notice at once")
        DAILY = "daily", _("One daily digest")
        OFF = "off", _("Off")

    class Sms(models.TextChoices):
        OFF = "off", _("Off")
        URGENT = "urgent", _("Urgent notices only")
        ALL = "all", _("Every notice")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email = models.CharField(_("E-mail"), max_length=5, choices=Delivery.choices, default=Delivery.EACH)
    wechat = models.CharField(_("WeChat"), max_length=5, choices=Delivery.choices, default=Delivery.EACH)
    sms = models.CharField(_("SMS"), max_length=6, choices=Sms.choices, default=Sms.OFF)
    updated_at = models.DateTimeField(_("Changed at"), auto_now=True)

    class Meta:
        verbose_name = _("Notification preference")
        verbose_name_plural = _("Notification preferences")

    def __str__(self):
        return f"{self.user_id}"

    @classmethod
    def for_user(cls, user) -> "NotificationPreference":
        """The user's saved preference, or the defaults (unsaved: reading never writes a row)."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    def route(self, *, urgent=False) -> Route:
        """An urgent notice (an overdue item, an escalation) skips the digest and SMS quiet hours; a
        channel turned off stays off."""
        now, digest = {Channel.INBOX}, set()
        for channel, choice in ((Channel.EMAIL, self.email), (Channel.WECHAT, self.wechat)):
            if choice == self.Delivery.EACH or (choice == self.Delivery.DAILY and urgent):
                now.add(channel)
            elif choice == self.Delivery.DAILY:
                digest.add(channel)
        if self.sms == self.Sms.ALL or (self.sms == self.Sms.URGENT and urgent):
            now.add(Channel.SMS)
        return Route(frozenset(now), frozenset(digest))

    def digest_channels(self) -> frozenset:
        return frozenset(
            channel
            for channel, choice in ((Channel.EMAIL, self.email), (Channel.WECHAT, self.wechat))
            if choice == self.Delivery.DAILY
        )


class SmsMessageQuerySet(OutboxQuerySet):
    def due(self, now=None):
        """During quiet hours only urgent messages are due; the others wait until the hours end."""
        now = now or timezone.now()
        qs = super().due(now)
        return qs.filter(urgent=True) if quiet_hours.is_quiet(now) else qs


class SmsMessage(OutboxRow):
    """A notice sent to a user's own mobile phone, as an outbox row: written with the notice (nothing is
    lost while the broker is down), due at once or, outside an urgent notice, when SMS quiet hours end.
    The phone is read from the account when it is sent, never copied here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recipient"), on_delete=models.CASCADE, related_name="+"
    )
    notification = models.OneToOneField(
        Notification, verbose_name=_("Notification"), on_delete=models.CASCADE, related_name="sms"
    )
    urgent = models.BooleanField(_("Urgent"), default=False)

    objects = SmsMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("SMS notice")
        verbose_name_plural = _("SMS notices")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at", "id"], condition=Q(sent_at__isnull=True), name="sms_pending_due"),
        ]

    def __str__(self):
        return f"{self.notification_id} @ {self.due_at:%Y-%m-%d %H:%M}"


class NotificationDigest(OutboxRow):
    """One user's digest of one day (Asia/Shanghai), written by the first notice of that day that waits
    for it and due the next morning when SMS quiet hours end; unique per user and day, so the digest
    sweep sends each one once however often or wherever it runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Recipient"),
        on_delete=models.CASCADE,
        related_name="notification_digests",
    )
    day = models.DateField(_("Day"))
    notice_count = models.PositiveIntegerField(_("Notices"), default=0)

    class Meta:
        verbose_name = _("Daily digest")
        verbose_name_plural = _("Daily digests")
        ordering = ["-day", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_day")]
        indexes = [
            models.Index(
                fields=["due_at", "id"], condition=Q(sent_at__isnull=True), name="digest_pending_due"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}"
