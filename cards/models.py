"""Contact cards (连心卡): who printed which card when, and the QR tokens a building no longer answers to.

The card itself is never stored: it is drawn from the people's current data each time, so a change of
secretary or phone shows on the next print; each print records a fingerprint of what it carried."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.querysets import ScopedQuerySet


class CardPrintQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}


class CardPrint(models.Model):
    """One card printed (downloaded for printing): an area's card when `building` is empty."""

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        "grids.ResidentialArea",
        verbose_name=_("Residential area"),
        on_delete=models.CASCADE,
        related_name="card_prints",
    )
    building = models.ForeignKey(
        "grids.Building",
        verbose_name=_("Building"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="card_prints",
    )
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Printed by"), null=True, on_delete=models.SET_NULL
    )
    printed_at = models.DateTimeField(_("Printed at"), auto_now_add=True, db_index=True)
    # A hash of the names, titles, phones and QR link printed: a later card that differs needs a reprint.
    fingerprint = models.CharField(_("Fingerprint"), max_length=64, editable=False)

    objects = CardPrintQuerySet.as_manager()

    class Meta:
        verbose_name = _("Contact card print")
        verbose_name_plural = _("Contact card print")
        ordering = ["-printed_at", "-pk"]
        indexes = [models.Index(fields=["area", "building", "-printed_at"])]

    def __str__(self):
        return f"{self.building or self.area} · {self.printed_at:%Y-%m-%d}"


class RetiredQrTokenQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "building__community"}


class RetiredQrToken(models.Model):
    """A building's former QR token: scanning it says kindly that the card was replaced."""

    building = models.ForeignKey(
        "grids.Building",
        verbose_name=_("Building"),
        on_delete=models.CASCADE,
        related_name="retired_qr_tokens",
    )
    token = models.CharField(_("QR token"), max_length=16, unique=True)
    retired_at = models.DateTimeField(_("Replaced at"), auto_now_add=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Replaced by"), null=True, on_delete=models.SET_NULL
    )

    objects = RetiredQrTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("Replaced QR code")
        verbose_name_plural = _("Replaced QR code")
        ordering = ["-retired_at"]

    def __str__(self):
        return self.token
