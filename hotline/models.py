"""The 12345 hotline exchange: the city hotline's work-order files a community imports (one job per file,
a row per line with its outcome or errors), the work orders themselves (each one a petition of channel
12345, kept with the hotline's own deadline) and the column layout each community's city uses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HotlineImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(community="community"))


class HotlineImport(models.Model):
    class Status(models.TextChoices):
        MAPPING = "mapping", _("Columns to match")
        READY = "ready", _("Ready to confirm")
        REFUSED = "refused", _("Refused: rows with errors")
        DONE = "done", _("Imported")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Imported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)
    file = models.FileField(_("File"), upload_to="hotline/%Y/%m/")
    original_name = models.CharField(_("File name"), max_length=200)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.MAPPING)
    # Header in the file → field of a work order (hotline.columns.FIELDS).
    mapping = models.JSONField(_("Column mapping"), default=dict, blank=True)
    new_count = models.PositiveIntegerField(_("New"), default=0)
    known_count = models.PositiveIntegerField(_("Already imported"), default=0)
    error_count = models.PositiveIntegerField(_("Errors"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)

    objects = HotlineImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("12345 work-order import")
        verbose_name_plural = _("12345 work-order imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name


class HotlineImportRow(models.Model):
    class Outcome(models.TextChoices):
        NEW = "new", _("New")
        KNOWN = "known", _("Already imported")
        ERROR = "error", _("Error")

    job = models.ForeignKey(HotlineImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("Line"))
    order_no = models.CharField(_("12345 work-order number"), max_length=40, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=10, choices=Outcome.choices)
    # A short line of the order's text, without the caller's name or phone.
    summary = models.CharField(_("Summary"), max_length=80, blank=True)
    # {column header: [messages]} for an error row.
    errors = models.JSONField(_("Errors"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Work-order import row")
        verbose_name_plural = _("Work-order import rows")
        ordering = ["job", "line"]
        constraints = [models.UniqueConstraint(fields=["job", "line"], name="hotline_row_unique_line")]

    def __str__(self):
        return f"{self.job_id}:{self.line}"


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
        HotlineImport, verbose_name=_("Imported from"), on_delete=models.PROTECT, related_name="orders"
    )
    received_at = models.DateTimeField(_("Received by the hotline"), null=True, blank=True)
    deadline = models.DateTimeField(_("12345 deadline"), null=True, blank=True)
    hotline_category = models.CharField(_("Hotline category"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("12345 work order")
        verbose_name_plural = _("12345 work orders")
        ordering = ["job", "pk"]

    def __str__(self):
        return self.order_no


class HotlineMapping(models.Model):
    """The columns a community chose the last time its city's headers differed: {header: field}."""

    community = models.OneToOneField(
        "grids.Community", verbose_name=_("Community"), on_delete=models.CASCADE, related_name="+"
    )
    mapping = models.JSONField(_("Column mapping"), default=dict)

    class Meta:
        verbose_name = _("12345 column mapping")
        verbose_name_plural = _("12345 column mappings")

    def __str__(self):
        return str(self.community)
