"""A case's cash statement as an Excel workbook: every entry with who recorded and confirmed it, and the
running balance of confirmed entries. Rows go through config.xlsx.append_row."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from config.xlsx import append_row

from .selectors import ledger


def headers():
    return [
        _("No."),
        _("Date"),
        _("Direction"),
        _("Amount (yuan)"),
        _("Note"),
        _("Recorded by"),
        _("Confirmed by"),
        _("Confirmed at"),
        _("Reverses entry no."),
        _("Balance (confirmed)"),
    ]


def statement_xlsx(case) -> bytes:
    entries, balance = ledger(case)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Statement"))
    append_row(sheet, [case.title])
    append_row(sheet, headers())
    for e in entries:
        append_row(
            sheet,
            [
                e.pk,
                e.occurred_on,
                e.get_direction_display(),
                e.amount,
                e.note,
                str(e.recorded_by),
                str(e.confirmed_by or _("Not confirmed yet")),
                timezone.localtime(e.confirmed_at).replace(tzinfo=None) if e.confirmed_at else None,
                e.reverses_id,
                e.balance_after,
            ],
        )
    append_row(sheet, [_("Balance"), None, None, balance])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
