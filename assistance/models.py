"""Targeted assistance (精准帮扶): a case for one resident or household in difficulty, its plan and ordered
milestones, the people responsible, the visits and requests linked to it, and a cash ledger kept under
the two-person rule (one records, another confirms)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The points ledger's write-once base: an entry is never edited or deleted, a mistake is reversed.
# Its Account/Transaction double entry does not fit cash of one case (integer points between owners'
# accounts, no pending state), so the cash ledger is a single-entry book with a confirmation step.
from volunteers.models import ImmutableModel

from .querysets import CaseQuerySet, EntryQuerySet


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("assistance case", "Open")
        CLOSED = "closed", pgettext_lazy("assistance case", "Closed")

    title = models.CharField(_("Title"), max_length=100)
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "grids.Resident",
        verbose_name=_("Resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_cases",
    )
    household = models.ForeignKey(
        "grids.Household",
        verbose_name=_("Dwelling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_cases",
    )
    situation = models.TextField(_("Situation"), blank=True)
    plan = models.TextField(_("Assistance plan"), blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    companion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Companion (party member)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_companion_cases",
    )
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Other people assigned"),
        blank=True,
        related_name="assistance_cases",
    )
    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("Volunteer team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("Co-building unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visits = models.ManyToManyField("visits.Visit", verbose_name=_("Visits"), blank=True, related_name="+")
    petitions = models.ManyToManyField(
        "petitions.Petition", verbose_name=_("Wishes and requests"), blank=True, related_name="+"
    )
    published = models.BooleanField(
        _("Published"), default=False, help_text=_("Show the public summary on the community's public page.")
    )
    public_summary = models.TextField(
        _("Public summary"), blank=True, help_text=_("What the public page says: no names, rooms or phones.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("Assistance case")
        verbose_name_plural = _("Assistance cases")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | Q(household__isnull=False), name="case_has_subject"
            )
        ]

    def __str__(self):
        return self.title


class CaseMilestone(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("Order"))
    title = models.CharField(_("Milestone"), max_length=100)
    due_on = models.DateField(_("Planned date"), null=True, blank=True)
    done_on = models.DateField(_("Done on"), null=True, blank=True)
    done_note = models.CharField(_("Note on reaching it"), max_length=200, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Marked reached by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Case milestone")
        verbose_name_plural = _("Case milestones")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="case_milestone_order")]

    def __str__(self):
        return self.title


class LedgerEntry(ImmutableModel):
    """One movement of cash. Written once by its recorder; a different person confirms it (a queryset
    update under a row lock, the only change ever made); a mistake is corrected by a reversing entry."""

    class Direction(models.TextChoices):
        IN = "in", _("Money in")
        OUT = "out", _("Money out")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries")
    direction = models.CharField(_("Direction"), max_length=3, choices=Direction.choices)
    amount = models.DecimalField(_("Amount (yuan)"), max_digits=12, decimal_places=2)
    occurred_on = models.DateField(_("Date"))
    note = models.CharField(_("Note"), max_length=200)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("Reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ledger entry")
        verbose_name_plural = _("Ledger entries")
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="assistance_entry_positive"),
            # The two-person rule, also in the database.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("recorded_by")),
                name="assistance_entry_two_people",
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.amount}"

    @property
    def signed_amount(self):
        return self.amount if self.direction == self.Direction.IN else -self.amount
