"""Entries another app writes into an item's history (the item's status does not change)."""

from django.db import transaction

from ..models import Petition, PetitionEvent


def petition_record_deliberation(*, petition: Petition, topic_id: int, title: str, by) -> PetitionEvent:
    """The item was taken to deliberation as topic `topic_id`: a public step of its history, once per topic."""
    with transaction.atomic():
        existing = petition.events.filter(
            action=PetitionEvent.Action.DELIBERATE, data__topic=topic_id
        ).first()
        if existing:
            return existing
        return PetitionEvent.objects.create(
            petition=petition,
            actor=by,
            action=PetitionEvent.Action.DELIBERATE,
            from_status=petition.status,
            to_status=petition.status,
            note=title,
            data={"topic": topic_id},
            public=True,
        )
