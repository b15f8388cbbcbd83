"""Celery tasks of the statistics: thin, they hand a report's id to its service."""

from celery import shared_task

from .services import monthly_counts_refresh, report_build


@shared_task(name="stats.tasks.build_report")
def build_report(report_id):
    report_build(report_id=report_id)


@shared_task(name="stats.tasks.refresh_monthly_counts")
def refresh_monthly_counts(months=None):
    """Daily (beat) for the last 13 closed months, or the months a late change touched."""
    import datetime

    chosen = [datetime.date.fromisoformat(m) for m in months] if months else None
    return monthly_counts_refresh(months=chosen)
