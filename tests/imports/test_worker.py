"""A real Celery worker against Redis: a large file is checked and imported in the worker, and a worker
that dies mid-import leaves a job that the next worker resumes from its last committed batch."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery_app import app
from grids.models import Residence, Resident
from imports import services, tasks
from imports.models import ImportJob
from imports.services import jobs
from tests.helpers import wait_for

from .conftest import person, xlsx_file


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_restart_mid_import_resumes_without_duplicates(world, settings, monkeypatch):
    settings.IMPORTS_INLINE_MAX_BYTES = 0  # every file goes to the worker
    monkeypatch.setattr(jobs, "BATCH_SIZE", 5)
    rows = [person(world, 100 + i, 姓名=f"居民{i}", 房号=f"1{i:02d}") for i in range(23)]
    real_apply = jobs._apply
    crash = {"at": 3, "calls": 0, "crashed": False}

    def dying_apply(ctx, batch):
        crash["calls"] += 1
        real_apply(ctx, batch)  # the third batch is written, then the worker dies before commit
        if crash["calls"] == crash["at"]:
            crash["crashed"] = True
            raise RuntimeError("worker lost")

    monkeypatch.setattr(jobs, "_apply", dying_apply)
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        job = services.job_create(community=world.c1, file=xlsx_file(rows), by=world.alice)
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.READY)
        services.job_confirm(job=job, by=world.alice)
        assert wait_for(lambda: crash["crashed"])
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).lease_until is not None)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLYING and job.next_row == 10
    assert Resident.objects.filter(name__startswith="居民").count() == 10  # two batches committed

    crash["at"] = None
    # The dead worker's lease runs out; beat's sweep sends the job again to the new worker.
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        tasks.resume_stale.delay()
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE, timeout=30)
    job.refresh_from_db()
    imported = Resident.objects.filter(name__startswith="居民")
    assert imported.count() == 23 == job.new_count
    assert imported.values("id_number_index").distinct().count() == 23
    assert Residence.objects.filter(resident__in=imported).count() == 23
    assert not job.chunks.exists()
