"""Every write of visits and campaigns. The dashboard's pages, the API, the seed command and tests call
these only; they raise ValidationError, never Http404 (the access helpers live in selectors)."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from accounts.permissions import may_record_visits
from accounts.roles import Role
from grids.models import Household
from petitions import services as petition_services
from petitions.models import Petition
from petitions.photos import clean_photo

from .models import Campaign, Visit, VisitItem
from .selectors import co_visitor_choices, residents_of

logger = logging.getLogger("linli.visits")

# Roles that start campaigns for a grid or a community (a district-wide one needs a district official).
CAMPAIGN_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY})


def visit_record(
    *,
    household,
    visited_on,
    by,
    outcome=Visit.Outcome.MET,
    visitors=(),
    residents_met=(),
    others_met=0,
    topics=(),
    situation="",
    follow_up_needed=False,
    photo=None,
    latitude=None,
    longitude=None,
    client_key=None,
    raise_item=None,
) -> tuple[Visit, bool]:
    """Record a visit; returns (visit, created).

    A resubmitted draft (same client_key from the same user) returns the visit already written, so a
    phone that lost its connection after sending may send again without making a second row.
    `raise_item` ({"description", "category", "kind"}) creates a request (channel = visit) linked to the
    visit in the same transaction.
    """
    if client_key:
        replay = _replayed(client_key, by)
        if replay is not None:
            return replay, False
    if not may_record_visits(by):
        raise ValidationError(_("Your role cannot record visits."))
    if not Household.objects.editable_by(by).filter(pk=household.pk).exists():
        raise ValidationError(_("This dwelling is not in your patch."))
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be dated in the future.")})
    if outcome not in Visit.Outcome.values:
        raise ValidationError({"outcome": _("Choose what you found.")})
    residents_met = list(residents_met)
    if residents_met and outcome != Visit.Outcome.MET:
        raise ValidationError({"residents_met": _("Nobody can be met in a dwelling found empty.")})
    allowed = set(residents_of(household, visited_on).values_list("pk", flat=True))
    if any(r.pk not in allowed for r in residents_met):
        raise ValidationError({"residents_met": _("Only residents of this dwelling can be chosen.")})
    visitors = list(visitors)
    if visitors:
        allowed_visitors = set(co_visitor_choices(household, by).values_list("pk", flat=True))
        if any(u.pk not in allowed_visitors and u.pk != by.pk for u in visitors):
            raise ValidationError(
                {"co_visitors": _("Only the grid's and community's workers can be chosen.")}
            )
    unknown_topics = set(topics) - set(Visit.Topic.values)
    if unknown_topics:
        raise ValidationError({"topics": _("Unknown topic.")})
    if others_met < 0 or others_met > 50:
        raise ValidationError({"others_met": _("Enter a number between 0 and 50.")})
    if outcome == Visit.Outcome.MET and not residents_met and not others_met:
        raise ValidationError(
            {
                "residents_met": _(
                    "Tick whom you met, or choose that nobody was at home or the dwelling is vacant."
                )
            }
        )
    if raise_item and not (raise_item.get("description") or "").strip():
        raise ValidationError({"item_description": _("Describe the request to raise.")})

    if photo:
        # Re-encoded without metadata (a phone photo carries the GPS of the resident's home).
        photo = clean_photo(photo)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                household=household,
                visited_on=visited_on,
                recorded_by=by,
                outcome=outcome,
                others_met=others_met if outcome == Visit.Outcome.MET else 0,
                persons_met=(len(residents_met) + others_met) if outcome == Visit.Outcome.MET else 0,
                topics=list(dict.fromkeys(topics)),
                situation=situation.strip(),
                follow_up_needed=follow_up_needed,
                latitude=latitude,
                longitude=longitude,
                client_key=client_key,
            )
            if photo:
                visit.photo.save(f"visit-{visit.pk}.jpg", photo, save=True)
            visit.visitors.set({by.pk, *(u.pk for u in visitors)})
            visit.residents_met.set(residents_met)
            if raise_item:
                _raise_item(visit=visit, by=by, **raise_item)
    except IntegrityError:
        # Two copies of one draft arrived at once: the other one won; answer with its visit.
        replay = _replayed(client_key, by) if client_key else None
        if replay is None:
            raise
        return replay, False
    logger.info("visit recorded visit=%s household=%s by=%s", visit.pk, household.pk, by.pk)
    return visit, True


def _replayed(client_key, by):
    visit = Visit.objects.filter(client_key=client_key).first()
    if visit is None:
        return None
    if visit.recorded_by_id != by.pk:
        # Someone else's key: never hand their visit out, never write over it.
        raise ValidationError(_("This draft key is already used."))
    return visit


def _raise_item(*, visit, by, description, category, kind=Petition.Kind.REQUEST):
    """The request raised during a visit (channel = visit) and its link; inside visit_record's
    transaction."""
    petition = petition_services.petition_submit_for_household(
        household=visit.household, by=by, category=category, description=description, kind=kind
    )
    VisitItem.objects.create(visit=visit, petition=petition)
    return petition


def campaign_start(*, name, starts_on, ends_on, by, grid=None, community=None, district=None, note=""):
    """Start a visiting campaign over one patch and period."""
    patches = [p for p in (grid, community, district) if p is not None]
    if len(patches) != 1:
        raise ValidationError(_("Choose exactly one patch: a grid, a community or a district."))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the campaign a name.")})
    scope = by.scope
    if not by.is_superuser:
        if district is not None:
            if Role.DISTRICT_OFFICIAL not in scope.roles:
                raise ValidationError(_("Only the district may start a district-wide campaign."))
            if (
                not RoleAssignment.objects.active()
                .filter(user=by, role=Role.DISTRICT_OFFICIAL, district=district)
                .exists()
            ):
                raise ValidationError(_("This district is not yours."))
        else:
            target = community.pk if community is not None else grid.community_id
            if not (scope.roles & CAMPAIGN_ROLES) or target not in scope.writable_community_ids:
                raise ValidationError(_("Only the community staff of this patch may start a campaign."))
    with transaction.atomic():
        campaign = Campaign(
            name=name.strip(),
            grid=grid,
            community=community,
            district=district,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
            created_by=by,
        )
        campaign.full_clean()
        campaign.save()
    return campaign
