"""The party organisation, in parallel to the territory, and the organisations work is dispatched to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grids.querysets import ScopedQuerySet
from grids.validators import validate_work_phone


class PartyOrganisationQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community", "grid": "grid", "microgrid": "building__households__microgrid"}
    SCOPE_DISTINCT = True


class PartyOrganisation(models.Model):
    """One node of the four levels: community committee → area branch → building group → central household."""

    class Level(models.IntegerChoices):
        COMMUNITY_COMMITTEE = 1, _("Community party committee")
        AREA_BRANCH = 2, _("Residential-area party branch")
        BUILDING_GROUP = 3, _("Building party group")
        CENTRAL_HOUSEHOLD = 4, _("Party-member central household")

    class OrgType(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General party branch")
        BRANCH = "branch", _("Party branch")
        GROUP = "group", _("Party group")
        HOUSEHOLD = "household", _("Party-member central household")

    name = models.CharField(pgettext_lazy("thing", "Name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("Level"), choices=Level.choices)
    org_type = models.CharField(_("Organisation type"), max_length=16, choices=OrgType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    community = models.ForeignKey(
        "grids.Community",
        verbose_name=_("Community"),
        on_delete=models.PROTECT,
        related_name="party_organisations",
    )
    area = models.ForeignKey(
        "grids.ResidentialArea",
        verbose_name=_("Residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("Grid"), null=True, blank=True, on_delete=models.PROTECT
    )
    building = models.ForeignKey(
        "grids.Building",
        verbose_name=_("Building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_organisations",
    )
    household = models.ForeignKey(
        "grids.Household",
        verbose_name=_("Central household dwelling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # e.g. the merchant alliance's branch or the property company's: attached to the community, no place.
    outside_territory = models.BooleanField(_("Outside the territory"), default=False)
    secretary = models.ForeignKey(
        "PartyMember",
        verbose_name=_("Secretary / group leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PartyOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisation")
        ordering = ["community", "level", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.parent_id:
            if self.parent.level >= self.level:
                raise ValidationError(
                    {"parent": _("The parent organisation must be at a higher level than this one.")}
                )
            if self.parent.community_id != self.community_id:
                raise ValidationError(
                    {"parent": _("The parent organisation must belong to the same community.")}
                )
        elif self.level != self.Level.COMMUNITY_COMMITTEE:
            raise ValidationError(
                {
                    "parent": _(
                        "Every organisation except the community party committee needs a parent organisation."
                    )
                }
            )
        for place in ("area", "building", "grid"):
            obj = getattr(self, place)
            if obj is not None and obj.community_id != self.community_id:
                raise ValidationError({place: _("The chosen place is not in this organisation's community.")})
        if self.level == self.Level.BUILDING_GROUP and not self.building_id and not self.outside_territory:
            raise ValidationError({"building": _("A building party group needs a building.")})
        if self.level == self.Level.CENTRAL_HOUSEHOLD and not self.household_id:
            raise ValidationError({"household": _("A party-member central household needs a dwelling.")})


class PartyMemberQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {
        "community": "organisation__community",
        "grid": "resident__household__building__grid",
        "microgrid": "resident__household__microgrid",
    }

    def showing_identity(self):
        return self.filter(shows_identity=True)


class PartyMember(models.Model):
    resident = models.OneToOneField(
        "grids.Resident", verbose_name=_("Resident"), on_delete=models.PROTECT, related_name="party_member"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
    )
    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("Organisation"), on_delete=models.PROTECT, related_name="members"
    )
    joined_party_on = models.DateField(_("Joined the party on"), null=True, blank=True)
    shows_identity = models.BooleanField(_("Shows identity publicly"), default=True)
    # In-service members (在职党员) register with the community where they live (双报到).
    in_service = models.BooleanField(_("In-service member"), default=False)
    work_unit = models.CharField(_("Work unit"), max_length=100, blank=True)
    registered_on = models.DateField(_("Registered on"), default=timezone.localdate)

    objects = PartyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party member")
        ordering = ["organisation", "resident__name"]

    def __str__(self):
        return str(self.resident)


class OrganisationQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def dispatchable_for(self, community):
        from django.db.models import Q

        return self.filter(Q(community=community) | Q(community__isnull=True, street=community.street_id))


class Organisation(models.Model):
    """Somewhere a request can be dispatched to: a department, a team, a unit, a company."""

    class Kind(models.TextChoices):
        COMMUNITY_DEPARTMENT = "community_department", _("Community department")
        VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
        CO_BUILDING_UNIT = "co_building_unit", _("Co-building unit")
        PROPERTY_COMPANY = "property_company", _("Property company")
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        STREET_OFFICE = "street_office", _("Street office department")
        DISTRICT_DEPARTMENT = "district_department", _("District department")
        UTILITY = "utility", _("Utility company")

    name = models.CharField(pgettext_lazy("thing", "Name"), max_length=100)
    kind = models.CharField(_("Kind"), max_length=32, choices=Kind.choices)
    community = models.ForeignKey(
        "grids.Community",
        verbose_name=_("Community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    street = models.ForeignKey(
        "grids.Street", verbose_name=_("Street"), null=True, blank=True, on_delete=models.PROTECT
    )
    contact_name = models.CharField(_("Contact person"), max_length=50, blank=True)
    # e.g. 主任, 项目经理: printed beside the contact's name on the contact cards of the areas served.
    contact_title = models.CharField(_("Contact's title"), max_length=30, blank=True)
    contact_phone = models.CharField(
        _("Contact phone"),
        max_length=20,
        blank=True,
        validators=[validate_work_phone],
        help_text=_("The organisation's work number, printed on contact cards."),
    )
    # The residential areas a property company manages or an owners' committee represents.
    areas = models.ManyToManyField(
        "grids.ResidentialArea",
        verbose_name=_("Residential areas served"),
        blank=True,
        related_name="organisations",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Member accounts"), blank=True, related_name="organisations"
    )
    active = models.BooleanField(_("Active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Handling organisation")
        verbose_name_plural = _("Handling organisation")
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def clean(self):
        super().clean()
        if not self.community_id and not self.street_id:
            raise ValidationError(_("Choose the community or the street it belongs to."))
