"""Celery tasks of the statistics: thin, they hand a report's id (or nothing) to its service."""

from celery import shared_task

from .services import monthly_counts_catch_up, monthly_counts_refresh, report_build


@shared_task(name="stats.tasks.build_report")
def build_report(report_id):
    report_build(report_id=report_id)


@shared_task(name="stats.tasks.refresh_monthly_counts")
def refresh_monthly_counts(months=None):
    """Daily (beat) for the last 13 closed months, or the months a late change touched."""
    import datetime

    chosen = [datetime.date.fromisoformat(m) for m in months] if months else None
    return monthly_counts_refresh(months=chosen)


@shared_task(name="stats.tasks.catch_up_monthly_counts")
def catch_up_monthly_counts():
    """Every two minutes (beat): the communities and closed months a late change touched."""
    return monthly_counts_catch_up()
