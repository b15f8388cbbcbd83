"""The seam between the dashboard and the petition loop: the dashboard reads `Petition` through its
querysets and changes it only through `petitions.services`. Nothing else in this app imports petitions.
"""

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _


def _petitions():
    from petitions import models, services

    return models, services


def my_open_items(user, now=None):
    """Open items assigned to the user or lying in their patch; overdue first, then by deadline."""
    models, _services = _petitions()
    Petition = models.Petition
    now = now or timezone.now()
    overdue = Q(status=Petition.Status.SUBMITTED, accept_due_at__lt=now) | Q(
        status__in=(Petition.Status.ACCEPTED, Petition.Status.DISPATCHED, Petition.Status.IN_PROGRESS),
        resolve_due_at__lt=now,
    )
    return (
        Petition.objects.visible_to(user)
        .open()
        .select_related("category", "building", "household__building")
        .annotate(
            is_overdue=Case(
                When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            due_at=Case(
                When(status=Petition.Status.SUBMITTED, then=Coalesce("accept_due_at", "resolve_due_at")),
                default=Coalesce("resolve_due_at", "accept_due_at"),
            ),
        )
        .order_by("-is_overdue", "due_at", "pk")
    )


def follow_ups_due(user, now=None):
    models, _services = _petitions()
    return (
        models.Petition.objects.visible_to(user)
        .follow_up_due(now or timezone.now())
        .select_related("category", "building", "household__building")
        .order_by("follow_up_due_at", "pk")
    )


def household_items(user, household):
    models, _services = _petitions()
    return (
        models.Petition.objects.visible_to(user)
        .filter(household=household)
        .select_related("category")
        .order_by("-created_at")
    )


def access_item(user, pk):
    _models, services = _petitions()
    return services.access_petition(user, pk)


def categories():
    models, _services = _petitions()
    return models.Category.objects.filter(active=True)


def kinds():
    models, _services = _petitions()
    return models.Petition.Kind


def satisfactions():
    models, _services = _petitions()
    return models.Petition.Satisfaction


def submit_on_behalf(*, household, by, category, description, kind="request", resident=None):
    """A request recorded by a grid leader for a resident (channel = visit), prefilled with the dwelling."""
    models, services = _petitions()
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the request.")})
    return services.petition_submit(
        kind=kind,
        category=category,
        description=description,
        channel=models.Petition.Channel.VISIT,
        building=household.building,
        household=household,
        phone=(resident.phone if resident is not None else ""),
        by=by,
    )


def raise_from_visit(*, visit, by, description, category, kind="request"):
    """Create the request and its link to the visit; runs inside visit_record's transaction."""
    from .models import VisitItem

    petition = submit_on_behalf(
        household=visit.household, by=by, category=category, description=description, kind=kind
    )
    VisitItem.objects.create(visit=visit, petition=petition)
    return petition


# The actions the phone offers, in the order its buttons appear.
# "annotate" is the update: a progress note on the item's history.
PHONE_ACTIONS = (
    "accept",
    "start",
    "annotate",
    "resolve_on_the_spot",
    "resolve",
    "follow_up",
    "follow_up_unreachable",
)


def phone_actions(user, item):
    _models, services = _petitions()
    allowed = set(services.allowed_actions(user, item))
    return [a for a in PHONE_ACTIONS if a in allowed]


def act(*, item, action, by, note="", photos=(), solved=None, satisfaction=""):
    """One of the phone's actions on an item; petitions.services checks state, role and scope."""
    _models, services = _petitions()
    if action not in PHONE_ACTIONS:
        raise ValidationError(_("Unknown action."))
    if action == "annotate" and not note.strip():
        raise ValidationError({"note": _("Write the progress note.")})
    if action in ("resolve", "resolve_on_the_spot"):
        if not note.strip():
            raise ValidationError({"note": _("Say what was done.")})
        return services.petition_transition(petition=item, action=action, by=by, note=note, photos=photos)
    if action == "follow_up":
        if solved is None or not satisfaction:
            raise ValidationError(_("Record whether it is solved and how satisfied the resident is."))
        return services.petition_follow_up(
            petition=item, by=by, solved=solved, satisfaction=satisfaction, note=note
        )
    return services.petition_transition(petition=item, action=action, by=by, note=note)
