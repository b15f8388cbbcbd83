"""The reply file sent back to the hotline (the template is the imports' one, from hotline.columns)."""

from django.utils import timezone
from django.utils.translation import pgettext

from imports.documents import rows_xlsx
from petitions.models import Petition

from .columns import BY_KEY, REPLY_FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
S = Petition.Status


def reply_status(petition) -> str:
    """The hotline's words for where an order stands."""
    if petition.status in (S.RESOLVED, S.REVIEW, S.CLOSED):
        return pgettext("hotline status", "Finished")
    if petition.status == S.DECLINED:
        return pgettext("hotline status", "Returned")
    if petition.status == S.SUBMITTED:
        return pgettext("hotline status", "Not accepted yet")
    return pgettext("hotline status", "In progress")


def reply_text(petition) -> str:
    if petition.status == S.DECLINED:
        return petition.decline_reason
    return petition.resolution


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def replies_xlsx(job, orders) -> bytes:
    """The reply file in the layout the city sent: its own headers for the number and the dates (the
    template's when the file had none), then the handling unit, the reply, the status and when it was
    finished."""
    header_of = {key: header for header, key in job.mapping.items()}
    own = [
        (key, header_of.get(key) or str(BY_KEY[key].label)) for key in ("order_no", "received_at", "deadline")
    ]
    rows = [[header for _key, header in own] + [str(label) for _key, label in REPLY_FIELDS]]
    for order in orders:
        p = order.petition
        rows.append(
            [
                order.order_no,
                _local(order.received_at),
                _local(order.deadline),
                p.assignee_org.name if p.assignee_org_id else order.community.name,
                reply_text(p),
                reply_status(p),
                _local(p.resolved_at or p.closed_at),
            ]
        )
    return rows_xlsx(rows)
