"""Co-building units (共建单位 / 驻区单位) and the three lists: needs (需求清单), resources (资源清单) and the
projects that match them (项目清单, which are projects.Project rows linked from here).

A unit is a governance.Organisation (the thing work is dispatched to) with a profile here. The service its
in-service party members do for the community (双报到) is read from volunteer hours and claimed wishes,
never counted separately.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grids.validators import validate_work_phone

from .querysets import (
    CommunityScopedQuerySet,
    MatchQuerySet,
    NeedQuerySet,
    ResourceQuerySet,
    UnitPartQuerySet,
)


class Kind(models.TextChoices):
    """What a need asks for and a resource offers; matching pairs the same kind."""

    PEOPLE = "people", _("People")
    VENUE = "venue", _("Venue")
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    SKILL = "skill", _("Skill")


class CoBuildingUnit(models.Model):
    class UnitType(models.TextChoices):
        COMPANY = "company", _("Company")
        SCHOOL = "school", _("School")
        HOSPITAL = "hospital", _("Hospital")
        AGENCY = "agency", _("Government agency")
        PROPERTY = "property", _("Property company")
        OTHER = "other", _("Other")

    organisation = models.OneToOneField(
        "governance.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="cobuilding_unit",
    )
    # Copied from the organisation by the service: the scope every list filters on.
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    unit_type = models.CharField(_("Type of unit"), max_length=16, choices=UnitType.choices)
    party_organisation = models.ForeignKey(
        "governance.PartyOrganisation",
        verbose_name=_("Party organisation it belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cobuilding_units",
    )
    address = models.CharField(_("Address"), max_length=200, blank=True)
    joined_on = models.DateField(_("Joined the alliance on"), default=timezone.localdate)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Co-building unit")
        verbose_name_plural = _("Co-building units")
        ordering = ["community", "organisation__name"]

    def __str__(self):
        return self.organisation.name


class UnitContact(models.Model):
    unit = models.ForeignKey(
        CoBuildingUnit, verbose_name=_("Unit"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(pgettext_lazy("person", "Name"), max_length=50)
    title = models.CharField(_("Job title"), max_length=30, blank=True)
    phone = models.CharField(_("Work phone"), max_length=20, validators=[validate_work_phone])

    objects = UnitPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("Unit contact")
        verbose_name_plural = _("Unit contacts")
        ordering = ["unit", "pk"]

    def __str__(self):
        return self.name


class Agreement(models.Model):
    """A signed co-building agreement, with the joint projects it names."""

    unit = models.ForeignKey(
        CoBuildingUnit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("Title"), max_length=100)
    signed_on = models.DateField(_("Signed on"))
    ends_on = models.DateField(_("Ends on"), null=True, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("Joint projects"), blank=True, related_name="cobuilding_agreements"
    )
    note = models.TextField(_("Note"), blank=True)

    objects = UnitPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("Co-building agreement")
        verbose_name_plural = _("Co-building agreements")
        ordering = ["unit", "-signed_on", "pk"]

    def __str__(self):
        return self.title


class UnitEvent(models.Model):
    """An activity (volunteers.Activity) the unit organised or co-organised: its yearly report counts the
    events it held, by the kind of event (publicity, clean-up, visits to people in difficulty...)."""

    class Role(models.TextChoices):
        ORGANISED = "organised", _("Organised")
        CO_ORGANISED = "co_organised", _("Co-organised")

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", pgettext_lazy("unit event", "Publicity")
        CLEAN_UP = "clean_up", pgettext_lazy("unit event", "Clean-up")
        VISIT = "visit", pgettext_lazy("unit event", "Visits to people in difficulty")
        SERVICE = "service", pgettext_lazy("unit event", "Service to residents")
        OTHER = "other", pgettext_lazy("unit event", "Other")

    unit = models.ForeignKey(
        CoBuildingUnit, verbose_name=_("Unit"), on_delete=models.CASCADE, related_name="events"
    )
    activity = models.ForeignKey(
        "volunteers.Activity",
        verbose_name=_("Activity"),
        on_delete=models.PROTECT,
        related_name="cobuilding_events",
    )
    role = models.CharField(_("Part taken"), max_length=16, choices=Role.choices, default=Role.ORGANISED)
    kind = models.CharField(
        _("Kind of event"),
        max_length=16,
        choices=Kind.choices,
        blank=True,
        help_text=_("Left empty: publicity for an activity of a publicity team, otherwise other."),
    )

    objects = UnitPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("Event held by a unit")
        verbose_name_plural = _("Events held by units")
        ordering = ["unit", "activity__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "activity"], name="cobuilding_event_once_per_unit")
        ]

    def __str__(self):
        return f"{self.unit} · {self.activity}"


class ReportedMember(models.Model):
    """An in-service party member of the unit who reports to the community (双报到)."""

    unit = models.ForeignKey(
        CoBuildingUnit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="reported_members"
    )
    member = models.OneToOneField(
        "governance.PartyMember",
        verbose_name=_("Party member"),
        on_delete=models.PROTECT,
        related_name="cobuilding_report",
    )
    reported_on = models.DateField(_("Reported on"), default=timezone.localdate)

    objects = UnitPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("Reporting party member")
        verbose_name_plural = _("Reporting party members")
        ordering = ["unit", "pk"]

    def __str__(self):
        return str(self.member)


class Need(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("Title"), max_length=100)
    description = models.TextField(_("Description"), blank=True)
    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices)
    quantity = models.DecimalField(_("Quantity"), max_digits=12, decimal_places=2, default=1)
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    # The residents' wishes and requests this need was drawn from.
    petitions = models.ManyToManyField(
        "petitions.Petition", verbose_name=_("Requests"), blank=True, related_name="cobuilding_needs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Need")
        verbose_name_plural = _("Needs list")
        ordering = ["community", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="cobuilding_need_quantity",
                violation_error_message=_("The quantity cannot be below zero."),
            )
        ]

    def __str__(self):
        return self.title


class Resource(models.Model):
    unit = models.ForeignKey(
        CoBuildingUnit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="resources"
    )
    # Copied from the unit by the service.
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("Title"), max_length=100)
    description = models.TextField(_("Description"), blank=True)
    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices)
    quantity = models.DecimalField(_("Quantity"), max_digits=12, decimal_places=2, default=1)
    measure = models.CharField(
        _("Measured in"), max_length=12, blank=True, help_text=_("e.g. people, m², yuan")
    )
    available = models.BooleanField(_("Available"), default=True)
    available_from = models.DateField(_("Available from"), null=True, blank=True)
    available_until = models.DateField(_("Available until"), null=True, blank=True)
    availability_note = models.CharField(_("When"), max_length=100, blank=True, help_text=_("e.g. weekends"))

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Resource")
        verbose_name_plural = _("Resources list")
        ordering = ["community", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="cobuilding_resource_quantity",
                violation_error_message=_("The quantity cannot be below zero."),
            )
        ]

    def __str__(self):
        return self.title


class Match(models.Model):
    """A need met by a resource, confirmed by staff, carried out as a party-building project."""

    need = models.ForeignKey(Need, verbose_name=_("Need"), on_delete=models.PROTECT, related_name="matches")
    resource = models.ForeignKey(
        Resource, verbose_name=_("Resource"), on_delete=models.PROTECT, related_name="matches"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Project"),
        on_delete=models.PROTECT,
        related_name="cobuilding_matches",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), auto_now_add=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("Match")
        verbose_name_plural = _("Projects list")
        ordering = ["-confirmed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["need", "resource"], name="cobuilding_match_once")]

    def __str__(self):
        return f"{self.need} ← {self.resource}"
