from django.http import Http404

from imports.selectors import access_import_job

from .models import HotlineOrder

KIND = "hotline"


def access_hotline_job(user, pk):
    """A work-order file (an import job of the hotline kind) the user sees, or 404."""
    job = access_import_job(user, pk)
    if job.kind != KIND:
        raise Http404
    return job


def reply_orders(job):
    """The orders of a file, imported by it or before it, in the file's order, with what the reply needs.
    A hotline row's natural key (ImportRow.id_number_index) is its work-order number."""
    lines = dict(job.rows.exclude(id_number_index="").values_list("id_number_index", "line"))
    orders = HotlineOrder.objects.filter(community=job.community, order_no__in=list(lines)).select_related(
        "community", "petition__assignee_org"
    )
    return sorted(orders, key=lambda o: lines[o.order_no])
