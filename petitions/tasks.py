"""Celery entry points of the outbox: each task only calls the service that does the work
(petitions.services.sweep), so the logic runs the same from a worker, beat or a test."""

from celery import shared_task

from .services import sweep as outbox_sweep

# A full batch requeues the sweep at most this many times in a row; beat starts a fresh chain every
# minute, so a backlog larger than this waits a minute instead of keeping a worker busy without end.
MAX_REQUEUES = 20


@shared_task(name="petitions.sweep_outbox", acks_late=True)
def sweep_outbox(requeued=0):
    outbox_sweep.purge_counters()
    handled = outbox_sweep.sweep()
    if handled >= outbox_sweep.BATCH and requeued < MAX_REQUEUES:
        # More to do: requeue rather than hold one long run. A failing row never loops: it is pushed
        # later and given up after outbox_sweep.MAX_ATTEMPTS.
        sweep_outbox.apply_async(kwargs={"requeued": requeued + 1}, retry=False)
    return handled


@shared_task(name="petitions.deliver_outbox", acks_late=True)
def deliver_outbox(outbox_id):
    return outbox_sweep.deliver(outbox_id)
