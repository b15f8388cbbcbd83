"""Revealing a resident's full mobile number to someone who must call them."""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import PetitionEvent
from .errors import PetitionError
from .rules import PHONE_READERS, relations

logger = logging.getLogger("linli.petitions")


def petition_reveal_phone(*, petition, by) -> str:
    """The resident's full mobile number for someone who must call them; masked everywhere else. Each
    look is an internal event row, so the history shows who saw the number and when."""
    if not petition.phone:
        raise PetitionError(_("No phone number was left."), code="missing")
    if not relations(by, petition) & PHONE_READERS:
        raise PetitionError(_("You are not allowed to do this on this item."), code="forbidden")
    with transaction.atomic():
        PetitionEvent.objects.create(
            petition=petition,
            actor=by,
            action=PetitionEvent.Action.REVEAL_PHONE,
            from_status=petition.status,
            to_status=petition.status,
            public=False,
        )
    logger.info("petition=%s phone revealed to user=%s", petition.pk, by.pk)
    return petition.phone
