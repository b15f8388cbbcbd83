"""Revealing a resident's full mobile number to someone who must call them."""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import PetitionEvent
from .errors import PetitionError
from .rules import PHONE_READERS, relations

logger = logging.getLogger("linli.petitions")


def may_reveal_phone(user, petition) -> bool:
    """Whether the page offers the reveal: a number was left and the user is one who must call."""
    return bool(petition.phone_encrypted) and bool(relations(user, petition) & PHONE_READERS)


def petition_reveal_phone(*, petition, by, reason="") -> str:
    """The resident's full mobile number for someone who must call them; masked everywhere else. Each
    look is an internal event row (with the reason given, if any), so the history shows who saw the
    number, when and why."""
    if not petition.phone_encrypted:
        raise PetitionError(_("No phone number was left."), code="missing")
    if not may_reveal_phone(by, petition):
        raise PetitionError(_("You are not allowed to do this on this item."), code="forbidden")
    with transaction.atomic():
        PetitionEvent.objects.create(
            petition=petition,
            actor=by,
            action=PetitionEvent.Action.REVEAL_PHONE,
            from_status=petition.status,
            to_status=petition.status,
            note=(reason or "").strip(),
            public=False,
        )
    logger.info("petition=%s phone revealed to user=%s", petition.pk, by.pk)
    return petition.phone
