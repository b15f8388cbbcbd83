"""Visits (民情日记, the visit diary) and visiting campaigns (走访).

Coverage is computed from visits by household and date, never from a campaign link on the visit: a visit
counts for every campaign whose patch and period contain it, so a household visited once serves a grid
campaign and the district-wide one at the same time.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import CampaignQuerySet, VisitQuerySet


class Visit(models.Model):
    """One visit to one household: who went, when, whom they met, what was raised."""

    class Outcome(models.TextChoices):
        MET = "met", _("Met the residents")
        NOT_HOME = "not_home", _("Nobody at home")
        VACANT = "vacant", _("Dwelling vacant")

    class Topic(models.TextChoices):
        LIVELIHOOD = "livelihood", pgettext_lazy("visit topic", "Livelihood and assistance")
        ELDERLY = "elderly", pgettext_lazy("visit topic", "Elderly care")
        HEALTH = "health", pgettext_lazy("visit topic", "Health")
        HOUSING = "housing", pgettext_lazy("visit topic", "Housing and repairs")
        ENVIRONMENT = "environment", pgettext_lazy("visit topic", "Environment and sanitation")
        SAFETY = "safety", pgettext_lazy("visit topic", "Safety")
        PARKING = "parking", pgettext_lazy("visit topic", "Parking and traffic")
        DISPUTE = "dispute", pgettext_lazy("visit topic", "Neighbour dispute")
        POLICY = "policy", pgettext_lazy("visit topic", "Policy questions")
        OTHER = "other", pgettext_lazy("visit topic", "Other")

    household = models.ForeignKey(
        "grids.Household", verbose_name=_("Dwelling"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("Visit date"), db_index=True)
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Visitors"), related_name="visits_made"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Recorded by"),
        on_delete=models.PROTECT,
        related_name="visits_recorded",
    )
    outcome = models.CharField(_("Outcome"), max_length=10, choices=Outcome.choices, default=Outcome.MET)
    residents_met = models.ManyToManyField(
        "grids.Resident", verbose_name=_("Residents met"), blank=True, related_name="visits"
    )
    others_met = models.PositiveSmallIntegerField(
        _("Other people met"), default=0, help_text=_("People met who are not in the register.")
    )
    # Persons met (人次) for this visit: the residents met plus the others, kept so that statistics
    # are one aggregate query.
    persons_met = models.PositiveSmallIntegerField(_("Persons met"), default=0, editable=False)
    topics = models.JSONField(_("Topics raised"), default=list, blank=True)
    situation = models.TextField(_("Situation found"), blank=True, max_length=2000)
    follow_up_needed = models.BooleanField(_("Follow-up needed"), default=False)
    photo = models.ImageField(_("Photo"), upload_to="visits/%Y/%m/", blank=True)
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The UUID a phone gives its draft: a resubmitted draft finds this visit instead of writing another.
    client_key = models.UUIDField(_("Draft key"), unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("Visit")
        verbose_name_plural = _("Visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"])]

    def __str__(self):
        return f"{self.household} · {self.visited_on}"

    def topic_labels(self):
        labels = dict(self.Topic.choices)
        return [labels.get(code, code) for code in self.topics]


class Campaign(models.Model):
    """A time-boxed visiting campaign (e.g. 百日大走访) over one patch: a grid, a community or a district."""

    name = models.CharField(_("Name"), max_length=100)
    district = models.ForeignKey(
        "grids.District", verbose_name=_("District"), null=True, blank=True, on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), null=True, blank=True, on_delete=models.PROTECT
    )
    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("Grid"), null=True, blank=True, on_delete=models.PROTECT
    )
    starts_on = models.DateField(_("Starts on"))
    ends_on = models.DateField(_("Ends on"))
    note = models.TextField(_("Note"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("Visiting campaign")
        verbose_name_plural = _("Visiting campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(grid__isnull=False, community__isnull=True, district__isnull=True)
                    | Q(grid__isnull=True, community__isnull=False, district__isnull=True)
                    | Q(grid__isnull=True, community__isnull=True, district__isnull=False)
                ),
                name="campaign_one_patch",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def patch(self):
        return self.grid or self.community or self.district

    @property
    def is_district_wide(self):
        return self.district_id is not None

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
        if sum(bool(x) for x in (self.grid_id, self.community_id, self.district_id)) != 1:
            raise ValidationError(_("Choose exactly one patch: a grid, a community or a district."))

    def household_filter(self, prefix=""):
        """The Q that selects this campaign's households (prefix leads from another model to Household)."""
        if self.grid_id:
            return Q(**{f"{prefix}building__grid_id": self.grid_id})
        if self.community_id:
            return Q(**{f"{prefix}building__community_id": self.community_id})
        return Q(**{f"{prefix}building__community__street__district_id": self.district_id})


class VisitItem(models.Model):
    """A request raised during a visit. The link lives here so that petitions never depend on visits."""

    visit = models.ForeignKey(Visit, verbose_name=_("Visit"), on_delete=models.CASCADE, related_name="items")
    petition = models.OneToOneField(
        "petitions.Petition",
        verbose_name=_("Request"),
        on_delete=models.CASCADE,
        related_name="raised_in_visit",
    )

    class Meta:
        verbose_name = _("Request raised in a visit")
        verbose_name_plural = _("Requests raised in visits")

    def __str__(self):
        return f"{self.visit} → {self.petition_id}"
