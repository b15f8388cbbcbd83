"""New items: petition_submit (every channel), the public form's submission and the fallback category."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import calendar
from ..models import Petition, PetitionEvent
from ..photos import clean_photos
from .catalogue import DEFAULT_CATEGORIES, category_ensure_default
from .errors import PetitionError
from .files import delete_files, store_photos
from .outbox import queue_delivery, schedule_submitted
from .pending import pending_photos_claim, pending_photos_clean

logger = logging.getLogger("linli.petitions")

DESCRIPTION_MAX_LENGTH = 2000


def petition_submit(
    *,
    kind,
    category,
    description,
    channel,
    building=None,
    household=None,
    location_text="",
    submitter=None,
    phone="",
    photos=(),
    by=None,
    community=None,
    submitter_name="",
    hotline_order_no="",
    hotline_due_at=None,
    phone_verified=False,
    is_xinfang=False,
    photo_key="",
) -> Petition:
    """Create the item with its tracking code and deadlines (accept, first contact), an event row and the
    outbox rows of its reminders. `photos` are uploaded files (checked and re-encoded here), and with
    `photo_key` the photos the public form kept under it are claimed too. `by` is the user recording it
    (a grid leader on a visit, staff at the desk); None for the public."""
    if category is None:
        # A fresh install without categories yet: the resident's request still gets in.
        category = category_fallback()
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Please describe what you need.")})
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError({"description": _("Please keep it under 2000 characters.")})
    if kind not in Petition.Kind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    if channel not in Petition.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    if channel == Petition.Channel.HOTLINE and not hotline_order_no.strip():
        raise ValidationError(
            {"hotline_order_no": _("Items from the 12345 hotline keep their work-order number.")}
        )
    if not category.active:
        raise ValidationError({"category": _("This category is no longer used.")})
    if household is not None:
        if building is not None and household.building_id != building.pk:
            raise ValidationError({"household": _("The dwelling is not in this building.")})
        building = household.building
    if building is not None:
        community = building.community
    if community is None:
        raise ValidationError({"building": _("Tell us the building or the community it concerns.")})
    if category.community_id is not None and category.community_id != community.pk:
        # Another community's own category: its deadlines and staff are not this community's.
        raise ValidationError({"category": _("This category is not offered in this community.")})
    if by is not None and channel != Petition.Channel.PUBLIC:
        rel_ok = (
            by.is_superuser
            or community.pk in by.scope.writable_community_ids
            or (building is not None and building.grid_id in by.scope.grid_ids)
            or (household is not None and household.microgrid_id in by.scope.microgrid_ids)
        )
        if not rel_ok:
            raise PetitionError(_("You can only record items for your own patch."), code="forbidden")
    # Decoded only now that every cheap check has passed, one photo at a time.
    cleaned = clean_photos(photos)
    kept = pending_photos_clean(photo_key) if photo_key else []
    written = []
    try:
        return _submit_locked(
            cleaned=cleaned,
            kept=kept,
            written=written,
            kind=kind,
            category=category,
            description=description,
            channel=channel,
            community=community,
            building=building,
            household=household,
            location_text=location_text,
            submitter=submitter,
            submitter_name=submitter_name,
            phone=phone,
            phone_verified=phone_verified,
            by=by,
            hotline_order_no=hotline_order_no,
            hotline_due_at=hotline_due_at if channel == Petition.Channel.HOTLINE else None,
            is_xinfang=is_xinfang,
        )
    except BaseException:
        delete_files(written)
        raise


def _submit_locked(*, cleaned, kept, written, category, by, channel, **fields) -> Petition:
    now = timezone.now()
    building, household, submitter = fields["building"], fields["household"], fields["submitter"]
    with transaction.atomic():
        p = Petition(
            kind=fields["kind"],
            category=category,
            description=fields["description"],
            channel=channel,
            community=fields["community"],
            building=building,
            household=household,
            grid=building.grid if building is not None else None,
            microgrid=household.microgrid if household is not None else None,
            location_text=(fields["location_text"] or "").strip()[:200],
            submitter=submitter if submitter is not None and submitter.is_authenticated else None,
            submitter_name=(fields["submitter_name"] or "").strip()[:50],
            phone=fields["phone"] or "",
            phone_verified=fields["phone_verified"],
            recorded_by=by,
            hotline_order_no=fields["hotline_order_no"].strip()[:40],
            hotline_due_at=fields["hotline_due_at"],
            is_xinfang=fields["is_xinfang"],
            accept_due_at=_accept_due(now, category, fields["hotline_due_at"]),
            contact_due_at=now + datetime.timedelta(hours=category.contact_within_hours),
        )
        p.save()
        PetitionEvent.objects.create(
            petition=p,
            actor=by or p.submitter,
            action=PetitionEvent.Action.SUBMIT,
            from_status="",
            to_status=p.status,
            data={"channel": channel},
            public=True,
        )
        if kept:
            claimed = pending_photos_claim([pk for pk, _photo in kept])
            cleaned = [*cleaned, *(photo for pk, photo in kept if pk in claimed)]
        store_photos(p, cleaned, written)
        schedule_submitted(p, now)
        # The grid leader hears of it now; if the broker is down this only logs, and beat's sweep finds
        # the row later. The resident's answer does not wait for Redis beyond the 2 s timeout.
        queue_delivery()
        logger.info("petition=%s submitted channel=%s code=%s", p.pk, channel, p.tracking_code)
    return p


def _accept_due(now, category, hotline_due_at):
    """The category's acceptance time, never later than a hotline deadline that comes first."""
    due = calendar.deadline(now, category.accept_within, category.deadline_unit)
    return min(due, hotline_due_at) if hotline_due_at else due


def petition_submit_for_household(
    *, household, by, category, description, kind=Petition.Kind.REQUEST, phone="", submitter_name=""
):
    """A request recorded by a grid leader or staff for a household they stand in (channel = visit),
    from the dashboard or during a visit: the place comes from the household, the checks from
    petition_submit."""
    return petition_submit(
        kind=kind,
        category=category,
        description=description,
        channel=Petition.Channel.VISIT,
        building=household.building,
        household=household,
        phone=phone,
        submitter_name=submitter_name,
        by=by,
    )


def petition_record_by_staff(*, data, by) -> Petition:
    """An item staff record for a resident from a StaffEntryForm's cleaned data: a request, a wish or a
    suggestion, from the desk, the phone, a meeting, a visit or the hotline (never "the public page")."""
    if data["channel"] == Petition.Channel.PUBLIC:
        raise ValidationError({"channel": _("Staff record items from a channel other than the public page.")})
    building = data.get("building")
    community = data["community"]
    if building is not None and building.community_id != community.pk:
        raise ValidationError({"building": _("The building is not in the chosen community.")})
    return petition_submit(
        kind=data["kind"],
        category=data["category"],
        description=data["description"],
        channel=data["channel"],
        community=community,
        building=building,
        location_text=data.get("location_text", ""),
        submitter_name=data.get("submitter_name", ""),
        phone=data.get("phone", ""),
        hotline_order_no=data.get("hotline_order_no", ""),
        by=by,
    )


def petition_submit_public(*, data, user, photo_key="") -> Petition:
    """What the public page and the API do with a valid PublicPetitionForm's cleaned data. The page
    passes its form's photo key (this post's photos were kept under it first); the API sends its photos
    with the request."""
    return petition_submit(
        kind=data["kind"],
        category=data["category"],
        description=data["description"],
        channel=Petition.Channel.PUBLIC,
        building=data["building"],
        community=data["community"],
        location_text=data["location_text"],
        submitter=user if user is not None and user.is_authenticated else None,
        submitter_name=data["name"],
        phone=data["phone"] or "",
        phone_verified=bool(data["phone"]),
        photos=() if photo_key else data["photos"],
        photo_key=photo_key,
    )


def category_fallback():
    """The "other" category (其他) with the default deadlines, created when the public form is used before
    `manage.py petitions_default_categories` has run."""
    category, _created = category_ensure_default(len(DEFAULT_CATEGORIES) - 1)
    if not category.active:
        category.active = True
        category.save(update_fields=["active"])
    return category
