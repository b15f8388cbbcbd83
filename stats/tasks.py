"""Celery tasks of the statistics: thin, they hand a report's id to its service."""

from celery import shared_task

from .services import report_build


@shared_task(name="stats.tasks.build_report")
def build_report(report_id):
    report_build(report_id=report_id)
