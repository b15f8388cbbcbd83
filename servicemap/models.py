"""The 15-minute service circle (15分钟服务圈): service points of a community with their coordinates.

Alliance merchants are not copied here: `servicemap.selectors` reads them from `volunteers.Merchant`, with
the shop's map position kept in `MerchantLocation`. Buildings get a position in `BuildingLocation`, so a
resident's walking ring can start at their own door. Coordinates are decimal degrees in the system the
configured tiles use (see SERVICE_MAP_TILE_URL in settings).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.querysets import ScopedQuerySet
from volunteers.querysets import MemberScopedQuerySet

from .validators import validate_in_china, validate_work_phone


class Kind(models.TextChoices):
    CLINIC = "clinic", _("Clinic")
    PHARMACY = "pharmacy", _("Pharmacy")
    ELDERLY_CANTEEN = "elderly_canteen", _("Elderly canteen")
    DAY_CARE = "day_care", _("Day-care centre")
    CULTURE_ROOM = "culture_room", _("Culture room")
    LIBRARY = "library", _("Library")
    CONVENIENCE_STORE = "convenience_store", _("Convenience store")
    ALLIANCE_MERCHANT = "alliance_merchant", _("Alliance merchant")
    SERVICE_CENTRE = "service_centre", _("Service centre")
    PUBLIC_TOILET = "public_toilet", _("Public toilet")
    CHARGING_POINT = "charging_point", _("Charging point")


# One colour per kind, shared by the map markers, the list badges and the printed plan.
KIND_COLOURS = {
    Kind.CLINIC: "#d7263d",
    Kind.PHARMACY: "#f46036",
    Kind.ELDERLY_CANTEEN: "#c07f00",
    Kind.DAY_CARE: "#8e44ad",
    Kind.CULTURE_ROOM: "#2e86ab",
    Kind.LIBRARY: "#1b998b",
    Kind.CONVENIENCE_STORE: "#3d9140",
    Kind.ALLIANCE_MERCHANT: "#c8102e",
    Kind.SERVICE_CENTRE: "#b8860b",
    Kind.PUBLIC_TOILET: "#5c6b73",
    Kind.CHARGING_POINT: "#0b6e4f",
}


class Coordinates(models.Model):
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        validate_in_china(self.latitude, self.longitude)


class ServicePointQuerySet(MemberScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def active(self):
        return self.filter(active=True)


class ServicePoint(Coordinates):
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=100)
    address = models.CharField(_("Address"), max_length=200, blank=True)
    opening_hours = models.CharField(
        _("Opening hours"), max_length=100, blank=True, help_text=_("E.g. Mon-Fri 8:00-17:00")
    )
    # The point's own work phone, never a person's private number.
    phone = models.CharField(_("Work phone"), max_length=20, blank=True, validators=[validate_work_phone])
    note = models.CharField(_("Note"), max_length=300, blank=True)
    active = models.BooleanField(_("Shown on the map"), default=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = ServicePointQuerySet.as_manager()

    class Meta:
        verbose_name = _("Service point")
        verbose_name_plural = _("Service point")
        ordering = ["community", "kind", "name", "pk"]
        indexes = [models.Index(fields=["community", "kind"], name="servicepoint_community_kind")]

    def __str__(self):
        return self.name


class MerchantLocationQuerySet(MemberScopedQuerySet):
    SCOPE_PATHS = {"community": "merchant__community"}
    MEMBER_PATH = "merchant__community"


class MerchantLocation(Coordinates):
    """Where an alliance merchant's shop is on the map; the shop itself stays in volunteers.Merchant."""

    merchant = models.OneToOneField(
        "volunteers.Merchant",
        verbose_name=_("Merchant"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="map_location",
    )
    opening_hours = models.CharField(_("Opening hours"), max_length=100, blank=True)
    # The shop's counter phone for the public map; the owner's mobile on the merchant stays masked.
    phone = models.CharField(_("Work phone"), max_length=20, blank=True, validators=[validate_work_phone])

    objects = MerchantLocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Merchant location")
        verbose_name_plural = _("Merchant location")

    def __str__(self):
        return str(self.merchant)


class BuildingLocationQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "building__community", "grid": "building__grid"}


class BuildingLocation(Coordinates):
    """A building's entrance on the map: where a resident's walking ring starts."""

    building = models.OneToOneField(
        "grids.Building",
        verbose_name=_("Building"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="map_location",
    )

    objects = BuildingLocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Building location")
        verbose_name_plural = _("Building location")

    def __str__(self):
        return str(self.building)
