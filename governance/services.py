"""Writes to the party organisation and the handling organisations. The admin and pages call these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Organisation, PartyMember, PartyOrganisation


def _require_community(community_id, by):
    if by.is_superuser:
        return
    if community_id not in by.scope.writable_community_ids:
        if community_id in by.scope.community_ids:
            raise PermissionDenied(_("You may look at this record but not change it."))
        raise Http404


def _require_existing(model, obj, by):
    """A changed object must have been writable before the change too (no moving things in or out)."""
    if obj.pk and not by.is_superuser and not model.objects.editable_by(by).filter(pk=obj.pk).exists():
        raise Http404


@transaction.atomic
def party_organisation_save(*, organisation, by) -> PartyOrganisation:
    _require_existing(PartyOrganisation, organisation, by)
    _require_community(organisation.community_id, by)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def party_member_save(*, member, by) -> PartyMember:
    _require_existing(PartyMember, member, by)
    _require_community(member.organisation.community_id, by)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def organisation_save(*, organisation, by, members=None, areas=None) -> Organisation:
    """Create or change a handling organisation; `members` (login accounts), when given, replaces its
    member accounts. Only active accounts can be members: a disabled account cannot handle requests.
    `areas`, when given, replaces the residential areas it serves, all in its own community."""
    if not by.is_superuser and not organisation.community_id:
        raise PermissionDenied(_("Only an administrator may add organisations of the street."))
    _require_existing(Organisation, organisation, by)
    if organisation.community_id:
        _require_community(organisation.community_id, by)
    organisation.full_clean()
    if members is not None:
        inactive = [str(user) for user in members if not user.is_active]
        if inactive:
            raise ValidationError(
                {
                    "members": _("A disabled account cannot be a member: %(names)s.")
                    % {"names": "、".join(inactive)}
                }
            )
    if areas is not None:
        outside = [str(area) for area in areas if area.community_id != organisation.community_id]
        if outside:
            raise ValidationError(
                {
                    "areas": _("These residential areas are not in the organisation's community: %(names)s.")
                    % {"names": "、".join(outside)}
                }
            )
    organisation.save()
    if members is not None:
        organisation.members.set(members)
    if areas is not None:
        organisation.areas.set(areas)
    return organisation
