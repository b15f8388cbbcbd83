"""Imports (the registry, a past requests ledger, …: imports.kinds): a job per uploaded file (who, community, status, counts, progress, mapping) and one
row per line of the file with its outcome or its errors.

A job is a database row the worker resumes: `next_row` is the first line not yet committed, advanced in
the same transaction as the batch it covers, so a restarted worker neither skips nor repeats a batch.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(community="community"))

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(community="community", write=True))

    def running(self):
        return self.filter(status__in=ImportJob.WORKING_STATUSES)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        MAPPING = "mapping", _("Columns to match")
        VALIDATING = "validating", _("Checking")
        READY = "ready", _("Ready to confirm")
        REFUSED = "refused", _("Refused: rows with errors")
        APPLYING = "applying", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    WORKING_STATUSES = (Status.VALIDATING, Status.APPLYING)

    # Which kind of import (imports.kinds): the registry, a past requests ledger, …
    kind = models.CharField(_("Kind"), max_length=20, default="registry")
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Imported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)
    file = models.FileField(_("File"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("File name"), max_length=200)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.MAPPING)
    # Header in the file → field of the import (see imports.columns.FIELDS).
    mapping = models.JSONField(_("Column mapping"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("Rows"), default=0)
    next_row = models.PositiveIntegerField(_("Rows done"), default=0)
    new_count = models.PositiveIntegerField(_("New"), default=0)
    changed_count = models.PositiveIntegerField(_("Changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("Unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("Errors"), default=0)
    message = models.CharField(_("Message"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Finished at"), null=True, blank=True)
    # The worker holding the job renews this lease after each batch; a job whose lease ran out is resumed.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("Registry import")
        verbose_name_plural = _("Registry import")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "lease_until"])]

    def __str__(self):
        return self.original_name

    @property
    def kind_info(self):
        from .kinds import get

        return get(self.kind)

    @property
    def progress_percent(self):
        return int(100 * self.next_row / self.total_rows) if self.total_rows else 0

    @property
    def working(self):
        return self.status in self.WORKING_STATUSES


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        NEW = "new", _("New")
        CHANGED = "changed", _("Changed")
        UNCHANGED = "unchanged", _("Unchanged")
        ERROR = "error", _("Error")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("Line"))
    outcome = models.CharField(_("Outcome"), max_length=10, choices=Outcome.choices)
    # What a row shows without personal data in clear: name, masked ID number, dwelling.
    name = models.CharField(_("Name"), max_length=50, blank=True)
    id_number_masked = models.CharField(_("ID number"), max_length=32, blank=True)
    dwelling = models.CharField(_("Dwelling"), max_length=120, blank=True)
    # The row's natural key (imports.kinds): the blind index of the registry's ID number, a hotline
    # work-order number, …; it finds a key twice in the whole file with one query.
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    # {column header: [messages]} for an error row; [field labels] that differ for a changed one.
    errors = models.JSONField(_("Errors"), default=dict, blank=True)
    changes = models.JSONField(_("Changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("Import row")
        verbose_name_plural = _("Import row")
        ordering = ["job", "line"]
        constraints = [models.UniqueConstraint(fields=["job", "line"], name="import_row_unique_line")]

    def __str__(self):
        return f"{self.job_id}:{self.line}"


class ColumnMapping(models.Model):
    """The columns a community chose the last time a file of one kind had other headers: {header: field}.
    One per kind, since the same header can mean another field in another kind's file (诉求类型 is the
    ledger's kind and the hotline's category)."""

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("Kind"), max_length=20, default="registry")
    mapping = models.JSONField(_("Column mapping"), default=dict)

    class Meta:
        verbose_name = _("Remembered column mapping")
        verbose_name_plural = _("Remembered column mapping")
        constraints = [
            models.UniqueConstraint(fields=["community", "kind"], name="column_mapping_one_per_kind")
        ]

    def __str__(self):
        return str(self.community)


class ImportChunk(models.Model):
    """One checked batch of a preview, waiting for confirmation: the rows' parsed values, ID numbers
    included, encrypted as one token (one encryption a batch, not a row). Deleted once imported."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="chunks")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    payload = models.TextField()

    class Meta:
        ordering = ["job", "start"]
        constraints = [models.UniqueConstraint(fields=["job", "start"], name="import_chunk_unique_start")]

    def __str__(self):
        return f"{self.job_id}:{self.start}-{self.end}"
