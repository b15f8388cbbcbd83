"""The 12345 hotline exchange: the work orders a community imported from the city hotline's files (each
one a petition of channel 12345, kept with the hotline's own deadline). The files themselves are import
jobs of the kind "hotline" (imports.ImportJob, its rows and the community's saved column mapping)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HotlineOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(community="community"))


class HotlineOrder(models.Model):
    """A 12345 work order as the city sent it: its number (unique, so a second import of the same file
    changes nothing), dates and the petition it became."""

    order_no = models.CharField(_("12345 work-order number"), max_length=40, unique=True)
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    petition = models.OneToOneField(
        "petitions.Petition",
        verbose_name=_("Request"),
        on_delete=models.PROTECT,
        related_name="hotline_order",
    )
    job = models.ForeignKey(
        "imports.ImportJob", verbose_name=_("Imported from"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("Received by the hotline"), null=True, blank=True)
    deadline = models.DateTimeField(_("12345 deadline"), null=True, blank=True)
    hotline_category = models.CharField(_("Hotline category"), max_length=100, blank=True)

    objects = HotlineOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("12345 work order")
        verbose_name_plural = _("12345 work orders")
        ordering = ["job", "pk"]

    def __str__(self):
        return self.order_no
