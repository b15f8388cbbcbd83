"""The party-building project ledger (党建项目台账): projects, their milestones and the evidence of each.

A project belongs to one community and the party organisation that owns it. Its progress is derived from
its milestones, never typed. Other features link to a project from their side (topics, resolutions,
co-building units); a project links to the residents' petitions it answers.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from petitions.models import OutboxRow

from .querysets import EvidenceQuerySet, MilestoneQuerySet, ProjectQuerySet


class Project(models.Model):
    class Kind(models.TextChoices):
        POSITION = "position", _("Position building")
        SYSTEM = "system", _("Putting systems into practice")
        ALLIANCE = "alliance", _("Regional party-building alliance")
        SERVICE = "service", _("Serving the people")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("project", "In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(pgettext_lazy("thing", "Name"), max_length=100)
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        "governance.PartyOrganisation",
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    # Copied from the organisation by the service: the scope every list filters on.
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="projects"
    )
    area = models.ForeignKey(
        "grids.ResidentialArea",
        verbose_name=_("Residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for a project of the whole community."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_projects",
    )
    description = models.TextField(_("Description"), blank=True)
    starts_on = models.DateField(_("Starts on"))
    due_on = models.DateField(_("Due on"))
    budget = models.DecimalField(_("Budget (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(_("Funding source"), max_length=100, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(_("Completed on"), null=True, blank=True)
    status_note = models.CharField(_("Status note"), max_length=200, blank=True)
    petitions = models.ManyToManyField(
        "petitions.Petition", verbose_name=_("Requests"), blank=True, related_name="projects"
    )
    published = models.BooleanField(
        _("Published"), default=False, help_text=_("Shown on the community's public project page.")
    )
    public_summary = models.TextField(
        _("Public summary"), blank=True, help_text=_("What the public page says; no names or phone numbers.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party-building project")
        verbose_name_plural = _("Party-building projects")
        ordering = ["community", "-starts_on", "pk"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return self.name

    @property
    def progress(self) -> int:
        """Percent of milestones done, from the with_progress() annotation when there is one."""
        if hasattr(self, "milestone_total"):
            total, done = self.milestone_total, self.milestone_done
        else:
            milestones = list(self.milestones.all())
            total, done = len(milestones), sum(1 for m in milestones if m.done_on)
        return round(100 * done / total) if total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("Project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("Milestone"), max_length=100)
    due_on = models.DateField(_("Due on"))
    done_on = models.DateField(_("Done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Marked done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("Evidence note"), blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("Milestone")
        verbose_name_plural = _("Milestones")
        ordering = ["project", "due_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


def evidence_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"projects/{secrets.token_hex(16)}.{suffix[:8]}"


class Evidence(models.Model):
    """A photo or file showing a milestone was met. Private: served only after an access check."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        FILE = "file", _("File")

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("Milestone"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("File"), upload_to=evidence_path)
    original_name = models.CharField(_("File name"), max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Evidence")
        verbose_name_plural = _("Evidence")
        ordering = ["milestone", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name or self.get_kind_display()


class ProjectReminder(OutboxRow):
    """A milestone reminder as an outbox row, swept by the petitions outbox sweep: unique per (milestone,
    kind, deadline), so a second sweep or a redelivered task finds nothing new to do."""

    class Kind(models.TextChoices):
        MILESTONE_DUE = "milestone_due", _("Milestone due soon")
        MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("Kind"), max_length=24, choices=Kind.choices)
    deadline = models.DateTimeField(_("Deadline or event time"))

    class Meta:
        verbose_name = _("Milestone reminder")
        verbose_name_plural = _("Milestone reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "kind", "deadline"], name="project_reminder_once_per_deadline"
            ),
        ]
        # The sweep's claim reads only pending rows (as petitions.Outbox).
        indexes = [
            models.Index(
                fields=["due_at", "id"],
                condition=Q(sent_at__isnull=True),
                name="project_reminder_pending_due",
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.milestone_id} @ {self.due_at:%Y-%m-%d %H:%M}"
