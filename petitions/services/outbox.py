"""Scheduling outbox rows (reminders, overdue notices, SMS) and asking a worker to deliver them."""

import datetime

from django.db import transaction
from django.utils import timezone

from config.celery_app import send_task_or_skip

from .. import calendar
from ..models import Outbox

K = Outbox.Kind

# The name the Celery task is registered under in petitions.tasks (sent by name: tasks import services,
# never the other way round).
SWEEP_TASK = "petitions.sweep_outbox"


def schedule(p, kind, deadline, due_at):
    Outbox.objects.bulk_create(
        [Outbox(petition_id=p.pk, kind=kind, deadline=deadline, due_at=due_at)], ignore_conflicts=True
    )


def schedule_sms(p, kind, now):
    if p.phone_encrypted:
        schedule(p, kind, now, now)


def schedule_resolve(p):
    lead = datetime.timedelta(hours=p.category.remind_before_hours)
    # A reminder that would be due at once (the lead is as long as the deadline) only repeats the notice
    # people get now; the overdue notice still comes.
    if p.resolve_due_at - lead > timezone.now():
        schedule(p, K.RESOLVE_REMINDER, p.resolve_due_at, p.resolve_due_at - lead)
    schedule(p, K.RESOLVE_OVERDUE, p.resolve_due_at, p.resolve_due_at)


def set_resolve_deadline(p, now):
    c = p.category
    p.resolve_due_at = p.hotline_due_at or calendar.deadline(now, c.resolve_within, c.deadline_unit)
    schedule_resolve(p)


def schedule_submitted(p, now):
    """The rows of a new item: acceptance reminder and overdue notice, first-contact overdue, new-item."""
    category = p.category
    lead = datetime.timedelta(hours=category.remind_before_hours)
    # No reminder due at once: the new-item notice goes to the same people now.
    reminders = (
        [Outbox(petition=p, kind=K.ACCEPT_REMINDER, deadline=p.accept_due_at, due_at=p.accept_due_at - lead)]
        if p.accept_due_at - lead > now
        else []
    )
    Outbox.objects.bulk_create(
        [
            *reminders,
            Outbox(petition=p, kind=K.ACCEPT_OVERDUE, deadline=p.accept_due_at, due_at=p.accept_due_at),
            Outbox(petition=p, kind=K.CONTACT_OVERDUE, deadline=p.contact_due_at, due_at=p.contact_due_at),
            Outbox(petition=p, kind=K.NEW_ITEM, deadline=now, due_at=now),
        ],
        ignore_conflicts=True,
    )


def queue_delivery(task=SWEEP_TASK):
    """After commit, ask a worker to deliver what is due now (another app's outbox may name its own sweep
    task). If the broker is down this logs and moves on (and the next writes do not wait for it:
    config.celery_app.send_task_or_skip): the beat sweep finds the rows later."""

    def send_sweep():
        send_task_or_skip(task)

    transaction.on_commit(send_sweep, robust=True)
