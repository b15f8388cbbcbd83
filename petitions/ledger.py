"""The request ledger (诉求台账) of a period and area as an Excel workbook, for the level above.

Built from a queryset the caller already scoped and filtered. No phone or ID number is written; rows are
read in one query (the related names joined) and streamed with `iterator`, so the number of queries does
not grow with the rows, and every row goes through `config.xlsx.append_row`."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from config.xlsx import append_row


def _local(moment):
    # Excel has no time zones: the local (Asia/Shanghai) wall-clock time, as staff read it on the pages.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _follow_up(p):
    if p.unreachable:
        return _("Resident unreachable")
    return {True: _("Solved"), False: _("Not solved")}.get(p.solved, "")


def _place(p):
    return " ".join(part for part in (p.building.name if p.building_id else "", p.location_text) if part)


def headers():
    return [
        _("Tracking code"),
        _("Accepted at"),
        _("Kind"),
        _("Category"),
        _("Description"),
        pgettext("petition", "Place"),
        _("Status"),
        _("Assigned to"),
        pgettext("ledger", "Time limit"),
        _("Resolved at"),
        _("Follow-up result"),
        _("Satisfaction"),
    ]


def petition_ledger_xlsx(petitions) -> bytes:
    """One row per item of `petitions`, oldest first."""
    rows = petitions.select_related("category", "building", "assignee", "assignee_org").order_by(
        "created_at", "pk"
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Request ledger"))
    append_row(sheet, headers())
    for p in rows.iterator(chunk_size=500):
        append_row(
            sheet,
            [
                p.tracking_code,
                _local(p.accepted_at),
                p.get_kind_display(),
                p.category.name,
                p.description,
                _place(p),
                p.get_status_display(),
                p.assignee_org.name if p.assignee_org_id else str(p.assignee or ""),
                _local(p.resolve_due_at),
                _local(p.resolved_at),
                _follow_up(p),
                p.get_satisfaction_display() if p.satisfaction else "",
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
