"""Coordinates of the service map: decimal degrees, inside China's extent."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# China's extreme points: Zengmu Ansha 3.86°N, Mohe 53.56°N, the Pamirs 73.50°E, the Wusu Islands 135.09°E.
LATITUDE_RANGE = (Decimal("3.86"), Decimal("53.56"))
LONGITUDE_RANGE = (Decimal("73.50"), Decimal("135.09"))


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def china_coordinate_errors(latitude, longitude) -> dict:
    """The field errors of a (latitude, longitude) pair: both given and inside China's range."""
    errors = {}
    lat, lng = _decimal(latitude), _decimal(longitude)
    if latitude in (None, "") or lat is None:
        errors["latitude"] = _("Enter the latitude in decimal degrees, e.g. 30.274100.")
    elif not LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]:
        errors["latitude"] = _(
            "The latitude %(value)s is outside China (%(low)s°N to %(high)s°N): check that latitude and "
            "longitude are not swapped."
        ) % {"value": latitude, "low": LATITUDE_RANGE[0], "high": LATITUDE_RANGE[1]}
    if longitude in (None, "") or lng is None:
        errors["longitude"] = _("Enter the longitude in decimal degrees, e.g. 120.155100.")
    elif not LONGITUDE_RANGE[0] <= lng <= LONGITUDE_RANGE[1]:
        errors["longitude"] = _(
            "The longitude %(value)s is outside China (%(low)s°E to %(high)s°E): check that latitude and "
            "longitude are not swapped."
        ) % {"value": longitude, "low": LONGITUDE_RANGE[0], "high": LONGITUDE_RANGE[1]}
    return errors


def validate_in_china(latitude, longitude) -> None:
    errors = china_coordinate_errors(latitude, longitude)
    if errors:
        raise ValidationError(errors, code="outside_china")


def validate_work_phone(value: str) -> None:
    """A work phone: a landline with its area code (0571-88001234), a mobile, or a short service number."""
    digits = value.replace("-", "").replace(" ", "")
    if not digits.isdigit() or not 5 <= len(digits) <= 13:
        raise ValidationError(
            _("Enter a work phone: digits and hyphens, e.g. 0571-88001234 or 12345."), code="invalid_phone"
        )
