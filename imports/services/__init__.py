from .jobs import job_confirm, job_create, job_headers, job_run, job_set_mapping, resume_stale

__all__ = ["job_confirm", "job_create", "job_headers", "job_run", "job_set_mapping", "resume_stale"]
