from celery import shared_task

from . import services


@shared_task(name="imports.run_job")
def run_job(job_id):
    services.job_run(job_id=job_id)


@shared_task(name="imports.resume_stale")
def resume_stale():
    return services.resume_stale()
