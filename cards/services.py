"""Writes for the contact cards: a building's QR token (issue, replace) and the record of each print.

Only the community's staff may write (`accounts.permissions.is_staff_of`); officials above only look."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of
from grids.models import Building

from .models import CardPrint, RetiredQrToken

TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nosec B105 # no 0/o, 1/l/i: a token may be read out loud
TOKEN_LENGTH = 12


def _require_staff(community_id, by):
    if not is_staff_of(by, community_id):
        raise PermissionDenied(_("Only the community's staff may change contact cards and QR codes."))


def _new_tokens(count):
    """`count` fresh tokens that no building uses and none used before."""
    while True:
        tokens = {"".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH)) for _ in range(count)}
        taken = Building.objects.filter(qr_token__in=tokens).exists() or (
            RetiredQrToken.objects.filter(token__in=tokens).exists()
        )
        if len(tokens) == count and not taken:
            return sorted(tokens)


def _locked(building):
    return Building.objects.select_for_update().get(pk=building.pk)


@transaction.atomic
def qr_token_issue(*, building, by) -> str:
    """Give a building its first QR token."""
    _require_staff(building.community_id, by)
    locked = _locked(building)
    if locked.qr_token:
        raise ValidationError(
            _("This building already has a QR code. Replace it if the old one must stop working.")
        )
    (locked.qr_token,) = _new_tokens(1)
    locked.save(update_fields=["qr_token"])
    building.qr_token = locked.qr_token
    return locked.qr_token


@transaction.atomic
def qr_token_rotate(*, building, by) -> str:
    """Replace a building's QR token: the old one stops pre-filling the form and says it was replaced."""
    _require_staff(building.community_id, by)
    locked = _locked(building)
    if not locked.qr_token:
        raise ValidationError(_("This building has no QR code to replace yet: issue one first."))
    RetiredQrToken.objects.create(building=locked, token=locked.qr_token, retired_by=by)
    (locked.qr_token,) = _new_tokens(1)
    locked.save(update_fields=["qr_token"])
    building.qr_token = locked.qr_token
    return locked.qr_token


@transaction.atomic
def cards_print(*, community, cards, by):
    """Record the print of these cards of one community and return the ones that can be printed.

    A building without a QR token gets one now. A card with nobody on it is left out; when every card
    is empty nothing is printed and the error lists what is missing."""
    _require_staff(community.pk, by)
    if any(card.community.pk != community.pk for card in cards):
        raise PermissionDenied(_("A print holds the cards of one community only."))
    printable = [card for card in cards if card.contacts]
    if not printable:
        missing = [f"{card.heading}: {'；'.join(card.missing)}" for card in cards]
        raise ValidationError(
            _("No card can be printed: nobody with a title and phone is recorded yet. %(missing)s")
            % {"missing": " ".join(missing)}
        )
    untokened = [card.building for card in printable if card.building and not card.building.qr_token]
    if untokened:
        for building, token in zip(untokened, _new_tokens(len(untokened)), strict=True):
            building.qr_token = token
        Building.objects.bulk_update(untokened, ["qr_token"])
    CardPrint.objects.bulk_create(
        CardPrint(
            community=community,
            area=card.area,
            building=card.building,
            printed_by=by,
            fingerprint=card.fingerprint,
        )
        for card in printable
    )
    return printable
