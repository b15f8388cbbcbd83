from accounts.scoping import get_in_scope_or_404

from .models import HotlineImport, HotlineOrder


def access_hotline_import(user, pk):
    return get_in_scope_or_404(HotlineImport.objects.visible_to(user).select_related("community"), pk)


def hotline_imports(user):
    return (
        HotlineImport.objects.visible_to(user)
        .select_related("community", "created_by")
        .order_by("-created_at", "-pk")
    )


def reply_orders(job):
    """The orders of a file, imported by it or before it, in the file's order, with what the reply needs."""
    lines = dict(job.rows.exclude(order_no="").values_list("order_no", "line"))
    orders = HotlineOrder.objects.filter(community=job.community, order_no__in=list(lines)).select_related(
        "community", "petition__assignee_org"
    )
    return sorted(orders, key=lambda o: lines[o.order_no])
