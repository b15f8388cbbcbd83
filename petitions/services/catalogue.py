"""Writes to the shared configuration: request categories and the holiday calendar.

Both are shared by every community; anyone who may write in some community edits them (the admin's
`SharedConfigMixin`), only the administrator deletes a calendar day.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import may_write

from ..models import Category, Holiday

SATURDAY = 5


def _require_may_write(by):
    if not may_write(by):
        raise PermissionDenied(_("You may look at the configuration but not change it."))


@transaction.atomic
def category_save(*, category, by) -> Category:
    """Create or change a category. Its deadlines are positive, and accepting comes before resolving."""
    _require_may_write(by)
    category.full_clean()
    errors = {}
    for field in ("contact_within_hours", "accept_within", "resolve_within"):
        if getattr(category, field) <= 0:
            errors[field] = _("A deadline must be at least 1.")
    both = "accept_within" not in errors and "resolve_within" not in errors
    if both and category.accept_within > category.resolve_within:
        errors["resolve_within"] = _("The deadline to resolve cannot be shorter than the one to accept.")
    if errors:
        raise ValidationError(errors)
    category.save()
    return category


@transaction.atomic
def holiday_save(*, holiday, by) -> Holiday:
    """Create or change a day of the calendar. Only a Saturday or a Sunday can be an adjusted workday."""
    _require_may_write(by)
    holiday.full_clean()
    if holiday.is_workday and holiday.date.weekday() < SATURDAY:
        raise ValidationError(
            {"is_workday": _("Only a Saturday or a Sunday can be made an adjusted workday.")}
        )
    holiday.save()
    return holiday


@transaction.atomic
def holiday_delete(*, holiday, by) -> None:
    if not by.is_superuser:
        raise PermissionDenied(_("Only an administrator may delete a day of the calendar."))
    holiday.delete()
