"""The territory: district → street → community → residential area → building → household → resident,
with grids and micro-grids cutting across it.

Official codes are hierarchical (a child's code starts with its parent's) and change only through
`grids.services.place_recode`, which keeps their history; the internal id never changes.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import pii
from .querysets import (
    AreaQuerySet,
    BuildingQuerySet,
    CommunityQuerySet,
    DistrictQuerySet,
    GridQuerySet,
    HouseholdQuerySet,
    MicroGridQuerySet,
    ResidenceQuerySet,
    ResidentQuerySet,
    StreetQuerySet,
)
from .validators import validate_phone


def digits(n):
    return RegexValidator(
        rf"^\d{{{n}}}$", _("The code must be %(n)s digits.") % {"n": n}, code="invalid_code"
    )


class EncryptedPhone(models.Model):
    """A person's mobile phone, encrypted at rest like an ID number. `phone` reads and writes the clear
    number in Python, for the services that send to it or reveal it (and log); the columns hold the
    ciphertext, a blind index for exact look-ups (`pii.phone_index`), the last 4 digits for "the number
    ending 5678" and the mask every page shows, so no list, search or count needs the clear number."""

    phone_encrypted = models.TextField(_("Mobile phone (encrypted)"), blank=True, editable=False)
    phone_index = models.CharField(max_length=64, null=True, blank=True, editable=False, db_index=True)
    phone_last4 = models.CharField(
        _("Last 4 digits of the mobile phone"), max_length=4, blank=True, editable=False, db_index=True
    )
    phone_masked = models.CharField(_("Mobile phone"), max_length=11, blank=True, editable=False)

    # Checked by full_clean on a newly set number (a model with a looser rule sets its own).
    phone_validators = [validate_phone]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, *pii.PHONE_COLUMNS} - {"phone"}
        super().save(*args, **kwargs)

    @property
    def phone(self) -> str:
        if "_phone" not in self.__dict__:
            self._phone = pii.decrypt(self.phone_encrypted) if self.phone_encrypted else ""
        return self._phone

    @phone.setter
    def phone(self, value):
        self._phone = (value or "").strip()
        self._phone_changed = True
        for name, column in pii.phone_columns(self._phone).items():
            setattr(self, name, column)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if getattr(self, "_phone_changed", False) and self._phone and "phone" not in (exclude or ()):
            for validator in self.phone_validators:
                try:
                    validator(self._phone)
                except ValidationError as error:
                    errors.setdefault("phone", []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_phone", None)
        super().refresh_from_db(*args, **kwargs)


class Place(models.Model):
    """Common to every level of the territory: a name and an official code."""

    name = models.CharField(pgettext_lazy("place", "Name"), max_length=100)
    code = models.CharField(_("Code"), max_length=32, unique=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name

    # The parent whose code must prefix this one's, or None.
    def code_parent(self):
        return None

    def clean(self):
        super().clean()
        parent = self.code_parent()
        if parent is not None and self.code and not self.code.startswith(parent.code):
            raise ValidationError(
                {
                    "code": _("The code must start with the parent's code %(parent)s.")
                    % {"parent": parent.code}
                }
            )


class District(Place):
    code = models.CharField(
        _("Administrative division code"), max_length=6, unique=True, validators=[digits(6)]
    )

    objects = DistrictQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("District")
        verbose_name_plural = _("District")


class Street(Place):
    code = models.CharField(_("Street code"), max_length=9, unique=True, validators=[digits(9)])
    district = models.ForeignKey(
        District, verbose_name=_("District"), on_delete=models.PROTECT, related_name="streets"
    )

    objects = StreetQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("Street")
        verbose_name_plural = _("Street")

    def code_parent(self):
        return self.district if self.district_id else None


class Community(Place):
    code = models.CharField(
        _("Statistical division code"), max_length=12, unique=True, validators=[digits(12)]
    )
    street = models.ForeignKey(
        Street, verbose_name=_("Street"), on_delete=models.PROTECT, related_name="communities"
    )
    address = models.CharField(_("Address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("Community")
        verbose_name_plural = _("Community")

    def code_parent(self):
        return self.street if self.street_id else None


class ResidentialArea(Place):
    code = models.CharField(_("Residential area code"), max_length=15, unique=True, validators=[digits(15)])
    community = models.ForeignKey(
        Community, verbose_name=_("Community"), on_delete=models.PROTECT, related_name="areas"
    )
    address = models.CharField(_("Address"), max_length=200, blank=True)
    property_company = models.CharField(_("Property company"), max_length=100, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("Residential area")
        verbose_name_plural = _("Residential area")

    def code_parent(self):
        return self.community if self.community_id else None


class Grid(Place):
    """A grid (网格) of a community. Its 20-digit code follows CJ/T 349: object class "01", the 12-digit
    community code (GB/T 2260 county + street + community), the grid number and "000"."""

    code = models.CharField(_("Grid code"), max_length=20, unique=True, validators=[digits(20)])
    community = models.ForeignKey(
        Community, verbose_name=_("Community"), on_delete=models.PROTECT, related_name="grids"
    )

    objects = GridQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("Grid")
        verbose_name_plural = _("Grid")

    def clean(self):
        super().clean()
        if self.code and self.community_id and self.code[2:14] != self.community.code:
            raise ValidationError(
                {"code": _("Digits 3 to 14 of a grid code must be its community's 12-digit code.")}
            )


class MicroGrid(Place):
    """A micro-grid (微网格): usually one building or part of one, led by a volunteer."""

    code = models.CharField(_("Micro-grid code"), max_length=20, unique=True, validators=[digits(20)])
    grid = models.ForeignKey(
        Grid, verbose_name=_("Grid"), on_delete=models.PROTECT, related_name="microgrids"
    )

    objects = MicroGridQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("Micro-grid")
        verbose_name_plural = _("Micro-grid")

    def clean(self):
        super().clean()
        if self.code and self.grid_id and self.code[:17] != self.grid.code[:17]:
            raise ValidationError(
                {"code": _("The first 17 digits of a micro-grid code must match its grid's.")}
            )


class Building(Place):
    code = models.CharField(_("Building code"), max_length=18, unique=True, validators=[digits(18)])
    community = models.ForeignKey(
        Community, verbose_name=_("Community"), on_delete=models.PROTECT, related_name="buildings"
    )
    area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("Residential area"),
        on_delete=models.PROTECT,
        related_name="buildings",
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("Grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
    )
    unit_count = models.PositiveSmallIntegerField(_("Number of units"), default=1)
    floor_count = models.PositiveSmallIntegerField(_("Number of floors"), default=6)
    # The building leader (楼栋长) is a resident, usually living in the building.
    leader = models.ForeignKey(
        "Resident",
        verbose_name=_("Building leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A short random token used in the building's QR code link (petition form, contact card).
    qr_token = models.CharField(_("QR token"), max_length=16, unique=True, null=True, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("Building")
        verbose_name_plural = _("Building")

    def code_parent(self):
        return self.area if self.area_id else None

    def clean(self):
        super().clean()
        if self.area_id and self.community_id and self.area.community_id != self.community_id:
            raise ValidationError(
                {"area": _("The chosen residential area is not in the building's community.")}
            )
        if self.grid_id and self.community_id and self.grid.community_id != self.community_id:
            raise ValidationError({"grid": _("The chosen grid is not in the building's community.")})


class Household(models.Model):
    """A dwelling (实有房屋): one room of a building, with its use. People are linked by Residence rows."""

    class Use(models.TextChoices):
        OWNER = "owner", _("Owner-occupied")
        RENTED = "rented", _("Rented")
        VACANT = "vacant", _("Vacant")

    code = models.CharField(_("Dwelling code"), max_length=24, unique=True)
    building = models.ForeignKey(
        Building, verbose_name=_("Building"), on_delete=models.PROTECT, related_name="households"
    )
    unit = models.PositiveSmallIntegerField(_("Unit"), default=1)
    floor = models.SmallIntegerField(_("Floor"), default=1)
    room = models.CharField(_("Room"), max_length=10)
    use = models.CharField(_("Use"), max_length=10, choices=Use.choices, default=Use.OWNER)
    microgrid = models.ForeignKey(
        MicroGrid,
        verbose_name=_("Micro-grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    # The hukou head (户主) is optional: many dwellings are rented or hold no registered household.
    head = models.ForeignKey(
        "Resident",
        verbose_name=_("Head of household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Registered at"), auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dwelling (household)")
        verbose_name_plural = _("Dwelling (household)")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["building", "unit", "room"], name="household_unique_room"),
        ]

    def __str__(self):
        return f"{self.building.name}{self.unit}{_('Unit')}{self.room}"

    @property
    def address(self):
        return self.format_address(self.building.area.name, self.building.name, self.unit, self.room)

    @staticmethod
    def format_address(area, building, unit, room, *, words=None):
        """桂花苑1栋2单元301室. `words`: the translated ("Unit", "Room") when the caller writes many rows."""
        unit_word, room_word = words or (_("Unit"), _("Room"))
        return f"{area}{building}{unit}{unit_word}{room}{room_word}"

    def clean(self):
        super().clean()
        if self.building_id and self.unit and self.unit > self.building.unit_count:
            raise ValidationError(
                {"unit": _("This building has only %(n)s units.") % {"n": self.building.unit_count}}
            )
        if self.code and self.building_id and not self.code.startswith(self.building.code):
            raise ValidationError(
                {
                    "code": _("The dwelling code must start with the building code %(code)s.")
                    % {"code": self.building.code}
                }
            )
        if self.microgrid_id and self.building_id and self.microgrid.grid_id != self.building.grid_id:
            raise ValidationError({"microgrid": _("The micro-grid must belong to the building's grid.")})


class ResidentTag(models.Model):
    """A tag on a resident, e.g. elderly living alone. Sensitive tags are hidden from volunteers."""

    code = models.SlugField(_("Code"), max_length=32, unique=True)
    name = models.CharField(pgettext_lazy("thing", "Name"), max_length=50)
    needs_attention = models.BooleanField(_("Needs attention"), default=True)
    sensitive = models.BooleanField(
        _("Sensitive"),
        default=False,
        help_text=_(
            "Sensitive tags (health, disability, community correction) are hidden from volunteer roles."
        ),
    )

    class Meta:
        verbose_name = _("Resident tag")
        verbose_name_plural = _("Resident tag")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Resident(EncryptedPhone):
    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident ID card")
        PERMANENT_RESIDENCE = "permanent_residence", _("Foreigner's permanent residence ID card")
        PASSPORT = "passport", _("Passport")
        OTHER = "other", _("Other")

    name = models.CharField(pgettext_lazy("person", "Name"), max_length=50, db_index=True)
    gender = models.CharField(_("Gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("Birth date"), null=True, blank=True)
    id_type = models.CharField(
        _("ID type"), max_length=24, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    # The ID number is stored encrypted; the blind index lets us find and deduplicate it; the masked
    # form is kept for display so a list never needs to decrypt.
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=32, blank=True, editable=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("Current dwelling"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        help_text=_("Kept by move-in and move-out records; see the residence history."),
    )
    tags = models.ManyToManyField(ResidentTag, verbose_name=_("Tags"), blank=True, related_name="residents")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident",
    )
    notes = models.TextField(_("Notes"), blank=True)
    created_at = models.DateTimeField(_("Registered at"), auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Resident")
        verbose_name_plural = _("Resident")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def set_id_number(self, number: str):
        number = (number or "").strip().upper()
        if not number:
            self.id_number_encrypted, self.id_number_index, self.id_number_masked = "", None, ""
            return
        self.id_number_encrypted = pii.encrypt(number)
        self.id_number_index = pii.blind_index(number)
        self.id_number_masked = pii.mask_id_number(number)

    def reveal_id_number(self) -> str:
        """Only `grids.services.resident_reveal` should call this: it checks and logs."""
        return pii.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    @cached_property
    def age(self):
        from django.utils import timezone

        if not self.birth_date:
            return None
        today = timezone.localdate()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )


class Residence(models.Model):
    """A resident's link to a dwelling for a period. Moving closes one row and opens another."""

    class Kind(models.TextChoices):
        HUKOU = "hukou", _("Registered (hukou)")
        PERMANENT = "permanent", _("Permanent resident")
        FLOATING = "floating", _("Floating population")

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        TENANT = "tenant", _("Tenant")
        OTHER = "other", _("Other")

    resident = models.ForeignKey(
        Resident, verbose_name=_("Resident"), on_delete=models.CASCADE, related_name="residences"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("Dwelling"), on_delete=models.PROTECT, related_name="residences"
    )
    kind = models.CharField(_("Population type"), max_length=12, choices=Kind.choices, default=Kind.HUKOU)
    relation = models.CharField(
        _("Relation to head"), max_length=12, choices=Relation.choices, default=Relation.OTHER
    )
    moved_in = models.DateField(_("Moved in"))
    moved_out = models.DateField(_("Moved out"), null=True, blank=True)

    objects = ResidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Residence record")
        verbose_name_plural = _("Residence record")
        ordering = ["-moved_in"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(moved_out__isnull=True),
                name="residence_one_current_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(moved_out__isnull=True) | Q(moved_out__gte=models.F("moved_in")),
                name="residence_out_after_in",
            ),
        ]

    def __str__(self):
        return f"{self.resident} @ {self.household}"


class CodeChange(models.Model):
    """History of an official code: boundaries are redrawn, codes change, the id stays."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    place = GenericForeignKey("content_type", "object_id")
    old_code = models.CharField(_("Old code"), max_length=32)
    new_code = models.CharField(_("New code"), max_length=32)
    reason = models.CharField(_("Reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Changed by"), null=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(_("Changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Code change")
        verbose_name_plural = _("Code change")
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.old_code} → {self.new_code}"
