"""A real Celery worker builds the report the page asked for."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery_app import app
from stats.models import Report
from tests.helpers import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_report(transactional_db, stats_world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = stats_world.world
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        client_for(w.alice).post(
            f"/stats/community/{w.c1.pk}/reports/", {"month": timezone.localdate().strftime("%Y-%m")}
        )
        assert wait_for(lambda: Report.objects.get().status == Report.Status.DONE)
    report = Report.objects.get()
    assert report.xlsx.name.endswith(".xlsx") and report.pdf.name.endswith(".pdf")
