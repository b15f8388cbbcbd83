"""Writes to users and their role assignments. The admin and commands call these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RoleAssignment
from .roles import ROLE_LEVEL, Level


def _assignment_community(assignment):
    return assignment.place_community()


def _require_may_assign(assignment, by):
    """Community staff assign roles inside their own community; roles above it need an administrator."""
    if by.is_superuser:
        return
    level = ROLE_LEVEL.get(assignment.role)
    if level in (Level.DISTRICT, Level.STREET):
        raise PermissionDenied(_("Only an administrator may assign street or district roles."))
    community = _assignment_community(assignment)
    if community is None or community.pk not in by.scope.writable_community_ids:
        raise PermissionDenied(_("You may assign roles only inside your own community."))


@transaction.atomic
def role_assignment_save(*, assignment, by) -> RoleAssignment:
    """Create or change a role assignment after full validation (level, place, home community, dates)."""
    if assignment.pk:
        _require_may_assign(RoleAssignment.objects.get(pk=assignment.pk), by)
    assignment.full_clean()
    _require_may_assign(assignment, by)
    assignment.save()
    return assignment


def role_assignment_create(*, user, role, by, valid_from=None, valid_until=None, **place) -> RoleAssignment:
    assignment = RoleAssignment(
        user=user, role=role, valid_from=valid_from or timezone.localdate(), valid_until=valid_until, **place
    )
    return role_assignment_save(assignment=assignment, by=by)


@transaction.atomic
def role_assignment_end(*, assignment, on=None, by) -> RoleAssignment:
    """End an assignment (never deleted: who held which role when stays known)."""
    _require_may_assign(assignment, by)
    on = on or timezone.localdate()
    if on < assignment.valid_from:
        raise ValidationError({"valid_until": _("The end date cannot be before the start date.")})
    assignment.valid_until = on
    assignment.save(update_fields=["valid_until"])
    return assignment


@transaction.atomic
def user_save(*, user, by, password=None):
    """Create or change a login account. Non-administrators manage accounts of their own community only."""
    if not by.is_superuser:
        if user.is_superuser:
            raise PermissionDenied(_("Only an administrator may change an administrator."))
        if user.community_id not in by.scope.writable_community_ids:
            raise PermissionDenied(_("You may manage accounts only inside your own community."))
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    user.save()
    return user
