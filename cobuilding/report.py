"""A unit's yearly report as an Excel workbook: a summary sheet, then agreements, projects and wishes."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from config.xlsx import append_row


def unit_report_xlsx(unit, year, report) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    append_row(summary, [_("Unit"), unit.organisation.name])
    append_row(summary, [_("Year"), year])
    append_row(summary, [_("Agreements"), len(report["agreements"])])
    append_row(summary, [_("Projects"), len(report["projects"])])
    append_row(summary, [_("Wishes claimed"), len(report["wishes"])])
    append_row(summary, [_("Hours served"), float(unit.hours_served)])
    sheet = book.create_sheet(_("Agreements"))
    append_row(sheet, [_("Agreement"), _("Signed on"), _("Ends on"), _("Joint projects")])
    for a in report["agreements"]:
        append_row(sheet, [a.title, a.signed_on, a.ends_on, "、".join(p.name for p in a.projects.all())])
    sheet = book.create_sheet(_("Projects"))
    append_row(sheet, [_("Project"), _("Party organisation"), _("Starts on"), _("Status")])
    for p in report["projects"]:
        append_row(sheet, [p.name, p.organisation.name, p.starts_on, p.get_status_display()])
    sheet = book.create_sheet(_("Wishes claimed"))
    append_row(sheet, [_("Tracking code"), _("Status"), _("Received at")])
    for w in report["wishes"]:
        append_row(sheet, [w.tracking_code, w.get_status_display(), w.created_at.date()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
