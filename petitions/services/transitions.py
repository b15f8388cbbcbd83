"""The one place a state changes: petition_transition, and the named actions other apps call."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import wechat_queue_status

from ..models import Petition, PetitionEvent
from .errors import PetitionError
from .files import delete_files, store_photos
from .outbox import queue_delivery
from .rules import PUBLIC_ACTIONS, RULES, relations

logger = logging.getLogger("linli.petitions")

S = Petition.Status

# Notes are history rows shown to people: the same limit as the forms, whoever calls.
NOTE_MAX_LENGTH = 2000


def petition_transition(*, petition, action, by, note="", **data) -> Petition:
    """Lock the row, check the action is legal from its state and that `by` may do it (role, scope and the
    rule's own check), apply the handler, write a PetitionEvent and queue delivery of the outbox on commit.
    Raises PetitionError and changes nothing when refused."""
    rule = RULES.get(action)
    if rule is None:
        raise PetitionError(_("Unknown action."), code="unknown_action")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise PetitionError(_("Please keep it under 2000 characters."), code="too_long")
    written = []
    try:
        p = _transition_locked(petition, action, rule, by, note, data, written)
    except BaseException:
        delete_files(written)
        raise
    # The caller's instance reflects the new state too (fields and the related objects loaded with it).
    if petition is not p:
        for field in p._meta.concrete_fields:
            setattr(petition, field.attname, getattr(p, field.attname))
        petition._state.fields_cache = dict(p._state.fields_cache)
    return p


def _transition_locked(petition, action, rule, by, note, data, written) -> Petition:
    with transaction.atomic():
        if action == PetitionEvent.Action.MERGE and data.get("into") is not None:
            # Both rows, lowest id first: two merges crossing each other wait instead of deadlocking.
            list(
                Petition.objects.select_for_update(of=("self",))
                .filter(pk__in=[petition.pk, data["into"].pk])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        # Lock the row: a second actor waits here, then sees the new state and is refused.
        p = Petition.objects.select_for_update(of=("self",)).select_related("category").get(pk=petition.pk)
        rel = {"resident"} if data.pop("as_resident", False) else relations(by, p)
        if p.status not in rule.sources:
            raise PetitionError(
                _("This cannot be done now: the item is “%(status)s”.") % {"status": p.get_status_display()},
                code="illegal_transition",
            )
        if not rel & rule.who:
            raise PetitionError(_("You are not allowed to do this on this item."), code="forbidden")
        problem = rule.check(p, by, rel)
        if problem:
            raise PetitionError(problem, code="refused")
        if rule.needs_note and not note:
            raise PetitionError(_("Please give a reason or describe what was done."), code="note_required")
        now = timezone.now()
        from_status = p.status
        extra = rule.handler(p, by=by, note=note, now=now, **data) or {}
        event = PetitionEvent.objects.create(
            petition=p,
            actor=by if by is not None and by.is_authenticated else None,
            action=action,
            from_status=from_status,
            to_status=p.status,
            note=note,
            data=extra.get("event_data", {}),
            public=action in PUBLIC_ACTIONS,
        )
        store_photos(p, extra.get("photos", ()), written, event=event)
        p.save()
        wechat_queue_status(petition=p, event=event)
        logger.info(
            "petition=%s action=%s %s->%s by=%s", p.pk, action, from_status, p.status, getattr(by, "pk", None)
        )
        queue_delivery()
    return p


# --- Named actions ------------------------------------------------------------------------------------


def petition_accept(*, petition, by, note=""):
    return petition_transition(petition=petition, action="accept", by=by, note=note)


def petition_decline(*, petition, by, note):
    return petition_transition(petition=petition, action="decline", by=by, note=note)


def petition_dispatch(*, petition, by, assignee=None, organisation=None, grid=None, note=""):
    """Hand the item to a person (party member, grid leader...), an organisation (department, volunteer
    team, co-building unit, property company...) and/or a grid."""
    return petition_transition(
        petition=petition,
        action="dispatch",
        by=by,
        note=note,
        assignee=assignee,
        organisation=organisation,
        grid=grid,
    )


def petition_reassign(*, petition, by, assignee=None, organisation=None, grid=None, note=""):
    return petition_transition(
        petition=petition,
        action="reassign",
        by=by,
        note=note,
        assignee=assignee,
        organisation=organisation,
        grid=grid,
    )


def petition_start(*, petition, by, note=""):
    return petition_transition(petition=petition, action="start", by=by, note=note)


def petition_resolve(*, petition, by, note, photos=()):
    return petition_transition(petition=petition, action="resolve", by=by, note=note, photos=photos)


def petition_resolve_on_the_spot(*, petition, by, note, photos=()):
    return petition_transition(
        petition=petition, action="resolve_on_the_spot", by=by, note=note, photos=photos
    )


def petition_follow_up(*, petition, by, solved, satisfaction, note=""):
    return petition_transition(
        petition=petition, action="follow_up", by=by, note=note, solved=solved, satisfaction=satisfaction
    )


def petition_follow_up_unreachable(*, petition, by, note=""):
    return petition_transition(petition=petition, action="follow_up_unreachable", by=by, note=note)


def petition_claim(*, petition, by):
    return petition_transition(petition=petition, action="claim", by=by)


def petition_merge(*, petition, into, by, note=""):
    return petition_transition(petition=petition, action="merge", by=by, note=note, into=into)


def petition_rate(*, petition, solved, satisfaction, note=""):
    """The resident's own follow-up from the tracking page (they hold the unguessable code)."""
    return petition_transition(
        petition=petition,
        action="rate",
        by=None,
        note=note,
        solved=solved,
        satisfaction=satisfaction,
        as_resident=True,
    )


def petition_bulk_dispatch(*, petitions, by, assignee=None, organisation=None, grid=None) -> tuple[int, list]:
    done, errors = 0, []
    for p in petitions:
        try:
            if p.status == S.SUBMITTED:
                petition_accept(petition=p, by=by)
            petition_dispatch(petition=p, by=by, assignee=assignee, organisation=organisation, grid=grid)
            done += 1
        except ValidationError as exc:
            errors.append((p, exc))
    return done, errors
