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


# The counts of a closed month's requests (received in that month, merged ones left out) that the figures,
# the league table and the rates are made of: the names of `petitions.selectors.petition_counts` and
# `kind_counts`, then the wishes claimed and by whom (`stats.selectors.claimed_by`). A test keeps the
# names equal to those definitions; the numbers are always computed by them.
COHORT_COUNTS = (
    "accepted",
    "response_counted",
    "responded_in_time",
    "resolved",
    "closed",
    "on_time",
    "followed_up",
    "solved",
    "rated",
    "satisfied",
    "unreachable",
    "wishes",
    "wishes_published",
    *(
        f"{kind}_{measure}"
        for kind in ("wish", "request", "suggestion")
        for measure in ("received", "accepted", "resolved", "closed")
    ),
)
CLAIM_COUNTS = (
    "wishes_claimed",
    "claimed_party_members",
    "claimed_volunteers",
    "claimed_units",
    "claimed_others",
)


class MonthlyArea(models.Model):
    """What every stored row of a closed month is kept by: the month and the finest areas a request
    carries (community, grid, building). Read per month and community (the index), summed per level."""

    month = models.DateField(_("Month"))
    community = models.ForeignKey("grids.Community", on_delete=models.CASCADE, related_name="+")
    grid = models.ForeignKey("grids.Grid", null=True, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey("grids.Building", null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
        # Named per concrete model from its table (as before the base existed): the names do not churn.
        indexes = [models.Index(fields=["month", "community"])]


class MonthlyCount(MonthlyArea):
    """A closed month per community, grid and building (the finest areas a request carries): the requests
    received then (`received`, and what has become of them, COHORT_COUNTS and CLAIM_COUNTS, as the
    figures count them) and those resolved then (`resolved_in_month`, the trend's). A district's
    figures over 12 months read 12 × its areas rows instead of a year of requests. Written only by
    `stats.services` (the month's refresh, or one community's catch-up); the current month is always
    counted live. Merged items are left out, as in the live figures."""

    received = models.PositiveIntegerField(default=0)
    resolved_in_month = models.PositiveIntegerField(default=0)

    class Meta(MonthlyArea.Meta):
        verbose_name = _("Monthly count")
        verbose_name_plural = _("Monthly counts")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.community_id}/{self.grid_id}/{self.building_id}"


for _name in (*COHORT_COUNTS, *CLAIM_COUNTS):
    MonthlyCount.add_to_class(_name, models.PositiveIntegerField(default=0))


class MonthlyCategoryCount(MonthlyArea):
    """A closed month's requests per category and area: received, and resolved since (the category table
    and the heat table of the statistics page)."""

    category = models.ForeignKey("petitions.Category", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta(MonthlyArea.Meta):
        verbose_name = _("Monthly count by category")
        verbose_name_plural = _("Monthly counts by category")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.community_id} {self.category_id}"


class MonthlyDuration(MonthlyArea):
    """How long a closed month's resolved requests took, per area, as a histogram in whole minutes
    (`minutes` is the duration rounded down): the median time to resolve over stored months is read
    from it, exact to the minute where the page shows tenths of an hour. A histogram rather than the
    durations themselves because requests resolve at a limited number of distinct minutes per area and
    month, and the median needs only the counts."""

    minutes = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta(MonthlyArea.Meta):
        verbose_name = _("Monthly time to resolve")
        verbose_name_plural = _("Monthly times to resolve")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.community_id} {self.minutes}′"


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


class MonthlyCommunityRefresh(models.Model):
    """When one community's rows of a closed month were counted again after a late change (the catch-up,
    `stats.services.monthly_counts_catch_up`). Without one, its rows are as old as the month's
    MonthlyRefresh; the month's refresh removes them."""

    month = models.DateField(_("Month"))
    community = models.ForeignKey("grids.Community", on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField(_("Counted at"))

    class Meta:
        verbose_name = _("Monthly count refresh of a community")
        verbose_name_plural = _("Monthly count refreshes of a community")
        constraints = [
            models.UniqueConstraint(fields=["month", "community"], name="stats_community_refresh_once")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.community_id}"


class MonthlyCatchUp(models.Model):
    """One row: the moment the last catch-up looked for late changes, so the next one reads only the
    requests changed since (an index range, however many requests there are)."""

    checked_at = models.DateTimeField(_("Checked at"))

    class Meta:
        verbose_name = _("Monthly count catch-up")
        verbose_name_plural = _("Monthly count catch-ups")

    def __str__(self):
        return f"{self.checked_at:%Y-%m-%d %H:%M}"
