"""Writes of the service map. The admin, the staff pages and the seed call these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of

from .models import BuildingLocation, Kind, MerchantLocation, ServicePoint


def _require_staff(community_id, by):
    if not is_staff_of(by, community_id):
        raise PermissionDenied(_("Only the community's staff may change its service map."))


def _require_unmoved(model, obj, community_of, by):
    """A changed row must have been the user's to change before the change too (no moving it in or out)."""
    if obj.pk and not by.is_superuser:
        old = model.objects.filter(pk=obj.pk).first()
        if old is not None:
            _require_staff(community_of(old), by)


@transaction.atomic
def service_point_save(*, point, by) -> ServicePoint:
    """Create or change a service point. Alliance merchants are not entered here: they come from the
    merchant register, with their position recorded as a merchant location."""
    _require_unmoved(ServicePoint, point, lambda p: p.community_id, by)
    if not point.community_id:
        raise ValidationError({"community": _("Choose the community the point serves.")})
    _require_staff(point.community_id, by)
    if point.kind == Kind.ALLIANCE_MERCHANT:
        raise ValidationError(
            {
                "kind": _(
                    "Alliance merchants appear on the map from the merchant register: record the shop's "
                    "position as a merchant location instead."
                )
            }
        )
    point.name = (point.name or "").strip()
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def merchant_location_save(*, location, by) -> MerchantLocation:
    _require_unmoved(MerchantLocation, location, lambda loc: loc.merchant.community_id, by)
    _require_staff(location.merchant.community_id, by)
    if not location.merchant.alliance_member:
        raise ValidationError({"merchant": _("Only alliance merchants are shown on the service map.")})
    location.full_clean()
    location.save()
    return location


@transaction.atomic
def building_location_save(*, location, by) -> BuildingLocation:
    _require_unmoved(BuildingLocation, location, lambda loc: loc.building.community_id, by)
    _require_staff(location.building.community_id, by)
    location.full_clean()
    location.save()
    return location
