"""Escalation of overdue items one level up (grid → community → street), under the row lock."""

import datetime
import logging

from django.conf import settings
from django.db import transaction

from ..models import Outbox, Petition, PetitionEvent
from .actions import MAX_ESCALATION

logger = logging.getLogger("linli.petitions")


def escalate_again_after() -> datetime.timedelta:
    """How long an escalated item that is still overdue waits before it goes one more level up."""
    return datetime.timedelta(hours=settings.PETITION_ESCALATE_AGAIN_HOURS)


def petition_escalate(*, petition=None, petition_id=None, now, reason) -> Petition:
    """Raise the item one level (not past the street) and record it. The row is locked and re-read, so a
    report-up at the same moment is counted too instead of being overwritten. A caller's instance gets
    the fresh level."""
    pk = petition.pk if petition is not None else petition_id
    with transaction.atomic():
        p = Petition.objects.select_for_update(of=("self",)).get(pk=pk)
        if p.escalation_level < MAX_ESCALATION:
            p.escalation_level += 1
            # update(), as before: an escalation is not an edit, it leaves `updated_at` alone.
            Petition.objects.filter(pk=p.pk).update(escalation_level=p.escalation_level)
            PetitionEvent.objects.create(
                petition=p,
                action=PetitionEvent.Action.ESCALATE,
                from_status=p.status,
                to_status=p.status,
                note=reason,
                data={"level": p.escalation_level},
                public=False,
            )
            logger.info("petition=%s escalated to level=%s at=%s", p.pk, p.escalation_level, now.isoformat())
    if petition is not None:
        petition.escalation_level = p.escalation_level
    return p


def still_overdue(p, row, field, statuses):
    """The row is the overdue notice of the item's current deadline, or one of the re-escalations that
    follow it (deadline + n × the period); a new deadline (extension, redispatch) ends the old chain."""
    due = getattr(p, field)
    if p.status not in statuses or due is None or row.deadline < due:
        return False
    return (row.deadline - due) % escalate_again_after() == datetime.timedelta(0)


def escalate_again_later(p, row, now):
    """Still overdue one level below the street: the next level hears of it after a further period,
    once (the outbox row is unique per item, kind and deadline)."""
    if p.escalation_level < MAX_ESCALATION:
        period = escalate_again_after()
        Outbox.objects.bulk_create(
            [Outbox(petition_id=p.pk, kind=row.kind, deadline=row.deadline + period, due_at=now + period)],
            ignore_conflicts=True,
        )
