"""Celery entry point of the task outbox: it only calls the service (petitions' sweep loop on TaskOutbox)."""

from celery import shared_task

from .services import sweep_tasks


@shared_task(name="deliberation.sweep_outbox", acks_late=True)
def sweep_outbox():
    return sweep_tasks()
