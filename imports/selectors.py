from accounts.scoping import get_in_scope_or_404

from .models import ImportJob


def access_import_job(user, pk):
    return get_in_scope_or_404(ImportJob.objects.visible_to(user).select_related("community"), pk)


def import_jobs(user):
    return (
        ImportJob.objects.visible_to(user)
        .select_related("community", "created_by")
        .order_by("-created_at", "-pk")
    )
