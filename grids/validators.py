"""Validation of Chinese phone numbers and ID numbers (GB 11643 check digit)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
# A work or duty number: a landline with its area code and extension, or a mobile.
WORK_PHONE_RE = re.compile(r"^(?=(?:\D*\d){5})\+?[\d][\d\- ]{3,18}\d(?:\s*(?:转|ext\.?|x)\s*\d{1,6})?$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(value or ""):
        raise ValidationError(_("Enter an 11-digit mobile number, e.g. 13812345678."), code="invalid_phone")


def validate_work_phone(value: str) -> None:
    if not WORK_PHONE_RE.match((value or "").strip()):
        raise ValidationError(
            _("Enter a work phone in digits, with the area code and a hyphen if needed, e.g. 0571-88886666."),
            code="invalid_work_phone",
        )


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(value: str) -> tuple[datetime.date, str]:
    """Check an 18-digit resident ID (or permanent-residence ID) and return (birth date, gender).

    Gender is "M" or "F" from the 17th digit. Raises ValidationError on any defect.
    """
    value = (value or "").strip().upper()
    if not ID_RE.match(value):
        raise ValidationError(
            _("An ID number has 18 characters; the last one may be a digit or X."), code="invalid_id_format"
        )
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong; please check it."), code="invalid_id_checksum"
        )
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside the ID number is not valid."), code="invalid_id_birth")
    if birth.year < 1890 or birth > datetime.date.today():  # noqa: DTZ011 - a calendar date, no time zone
        raise ValidationError(_("The birth date inside the ID number is not valid."), code="invalid_id_birth")
    return birth, ("M" if int(value[16]) % 2 else "F")
