"""Writes to the configuration: request categories and the holiday calendar.

The holiday calendar and the shared categories (no community) move every community's deadlines: only the
district sets them (`may_edit_shared_config`). A community's staff add and change its own categories
beside the shared ones. Only the administrator deletes a calendar day.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.permissions import may_edit_category, may_edit_shared_config

from ..models import BoardVersion, Category, Holiday

SATURDAY = 5

# The usual request categories with their deadlines, for a new install, the demo and the public form's
# fallback. name, deadline unit, contact within (hours), accept within, resolve within, follow-up after
# (days), private (kept off the public board).
DEFAULT_CATEGORIES = [
    ("公共设施", "hours", 24, 24, 72, 3, False),
    ("环境卫生", "hours", 24, 24, 48, 3, False),
    ("物业管理", "workdays", 24, 1, 5, 5, False),
    ("为老服务", "hours", 12, 12, 72, 3, False),
    ("安全隐患", "hours", 2, 4, 24, 2, False),
    ("邻里纠纷", "workdays", 24, 1, 10, 5, True),
    ("政策咨询", "workdays", 24, 1, 3, 3, False),
    ("其他", "workdays", 24, 1, 5, 3, False),
]


def category_ensure_default(position) -> tuple[Category, bool]:
    """The default category at `position` of DEFAULT_CATEGORIES, created if missing (an existing one is
    left as staff set it). A system write with no user: the rows are fixed here and meet category_save's
    rules."""
    name, unit, contact, accept, resolve, follow_up, private = DEFAULT_CATEGORIES[position]
    category, created = Category.objects.get_or_create(
        name=name,
        community=None,
        defaults={
            "deadline_unit": unit,
            "contact_within_hours": contact,
            "accept_within": accept,
            "resolve_within": resolve,
            "follow_up_after_days": follow_up,
            "private": private,
            "position": position,
        },
    )
    if created:
        board_version_bump()
    return category, created


def _require_shared_config(by):
    if not may_edit_shared_config(by):
        raise PermissionDenied(_("Only the district may change the configuration shared by every community."))


@transaction.atomic
def category_save(*, category, by) -> Category:
    """Create or change a category, shared or of one community. Its deadlines are positive, accepting comes
    before resolving, and its name is unique among the categories its community offers."""
    if category.pk:
        # Checked on the stored row too: a community's category cannot be moved to another or made shared.
        stored = Category.objects.filter(pk=category.pk).only("community_id").first()
        if stored is not None and not may_edit_category(by, stored):
            raise PermissionDenied(_("You may not change this category."))
    if not may_edit_category(by, category):
        if category.community_id is None:
            _require_shared_config(by)
        raise PermissionDenied(_("You may only add categories for your own community."))
    category.full_clean()
    errors = {}
    if (
        category.community_id is not None
        and Category.objects.filter(community__isnull=True, name=category.name).exists()
    ):
        errors["name"] = _("A shared category of this name already exists.")
    for field in ("contact_within_hours", "accept_within", "resolve_within"):
        if getattr(category, field) <= 0:
            errors[field] = _("A deadline must be at least 1.")
    both = "accept_within" not in errors and "resolve_within" not in errors
    if both and category.accept_within > category.resolve_within:
        errors["resolve_within"] = _("The deadline to resolve cannot be shorter than the one to accept.")
    if errors:
        raise ValidationError(errors)
    category.save()
    board_version_bump()  # a name or "private" the board shows, outside any item's updated_at
    return category


def board_version_bump():
    """Count one more change the public board shows that leaves items' updated_at alone (its cached list
    is keyed on the count). In the caller's transaction: the new count is seen with the change, no
    earlier; the row is made on first use."""
    if not BoardVersion.objects.filter(pk=1).update(version=F("version") + 1):
        BoardVersion.objects.get_or_create(pk=1, defaults={"version": 1})


@transaction.atomic
def holiday_save(*, holiday, by) -> Holiday:
    """Create or change a day of the calendar. Only a Saturday or a Sunday can be an adjusted workday."""
    _require_shared_config(by)
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
