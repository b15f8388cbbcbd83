"""Celery entry points of the outbox: each task only calls the service that does the work
(petitions.services.sweep), so the logic runs the same from a worker, beat or a test."""

from celery import shared_task

from .services import sweep as outbox_sweep


@shared_task(name="petitions.sweep_outbox", acks_late=True)
def sweep_outbox():
    outbox_sweep.purge_counters()
    handled = outbox_sweep.sweep()
    if handled >= outbox_sweep.BATCH:
        # More to do: requeue rather than hold one long run. Bounded: each run takes distinct due rows,
        # and a failing row is pushed later and given up after MAX_ATTEMPTS.
        sweep_outbox.apply_async(retry=False)
    return handled


@shared_task(name="petitions.deliver_outbox", acks_late=True)
def deliver_outbox(outbox_id):
    return outbox_sweep.deliver(outbox_id)
