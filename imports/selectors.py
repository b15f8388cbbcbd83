from accounts.scoping import get_in_scope_or_404

from .models import ImportJob


def access_import_job(user, pk):
    return get_in_scope_or_404(ImportJob.objects.visible_to(user).select_related("community"), pk)


def import_jobs(user, kind=None):
    """The imports a user sees, newest first; of one kind when `kind` is given."""
    jobs = ImportJob.objects.visible_to(user).select_related("community", "created_by")
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.order_by("-created_at", "-pk")
