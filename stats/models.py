"""A monthly report of an area, built by the worker: the row is the job and keeps the files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LEVEL_CHOICES = [
    ("district", _("District")),
    ("street", _("Street")),
    ("community", _("Community")),
    ("grid", _("Grid")),
    ("building", _("Building")),
]


def report_path(instance, filename):
    return f"stats/reports/{instance.pk}/{filename}"


class Report(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    level = models.CharField(_("Level"), max_length=10, choices=LEVEL_CHOICES)
    area_id = models.PositiveBigIntegerField(_("Area"))
    area_name = models.CharField(_("Area name"), max_length=100)
    month = models.DateField(_("Month"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Requested by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Private files: served by stats.views.report_file after the area's access check.
    xlsx = models.FileField(_("Spreadsheet"), upload_to=report_path, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_path, blank=True)
    error = models.CharField(_("Error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Monthly report")
        verbose_name_plural = _("Monthly reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["level", "area_id", "month"])]

    def __str__(self):
        return f"{self.area_name} {self.month:%Y-%m}"


class MonthlyCount(models.Model):
    """Requests received and resolved in a closed month, per community, grid and building (the finest
    areas a request carries): the 12-month trend of a district reads 12 × its areas rows instead of a
    year of requests. Written only by `stats.services.monthly_counts_refresh`; the current month is
    always counted live. Merged items are left out, as in the live figures."""

    month = models.DateField(_("Month"))
    community = models.ForeignKey("grids.Community", on_delete=models.CASCADE, related_name="+")
    grid = models.ForeignKey("grids.Grid", null=True, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey("grids.Building", null=True, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Monthly count")
        verbose_name_plural = _("Monthly counts")
        indexes = [models.Index(fields=["month", "community"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.community_id}/{self.grid_id}/{self.building_id}"


class MonthlyRefresh(models.Model):
    """A closed month whose MonthlyCount rows are complete, and when they were counted. A month without
    one is counted live."""

    month = models.DateField(_("Month"), unique=True)
    refreshed_at = models.DateTimeField(_("Counted at"))

    class Meta:
        verbose_name = _("Monthly count refresh")
        verbose_name_plural = _("Monthly count refreshes")

    def __str__(self):
        return f"{self.month:%Y-%m}"
