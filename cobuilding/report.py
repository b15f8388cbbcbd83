"""A unit's yearly report as an Excel workbook (a summary sheet, then agreements, projects, wishes and
events) and as an A4 PDF with the same content (Chinese font embedded, config.pdf)."""

import io
from xml.sax.saxutils import escape  # nosec B406 # escapes text we write, parses nothing

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from config.pdf import cjk_font
from config.xlsx import append_row


def summary_rows(unit, report):
    """The headline figures, the same on the page, in the workbook and in the PDF."""
    rows = [
        (_("Agreements"), len(report["agreements"])),
        (_("Projects"), len(report["projects"])),
        (_("Wishes claimed"), len(report["wishes"])),
        (_("Hours served"), float(unit.hours_served)),
        (_("Events held"), len(report["events"])),
    ]
    rows += [(f"　{kind}", count) for kind, count in report["events_by_kind"]]
    return rows


def unit_report_xlsx(unit, year, report) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    append_row(summary, [_("Unit"), unit.organisation.name])
    append_row(summary, [_("Year"), year])
    for label, value in summary_rows(unit, report):
        append_row(summary, [label, value])
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
    sheet = book.create_sheet(_("Events held"))
    append_row(sheet, [_("Activity"), _("Kind"), _("Date"), _("Place"), _("Part taken")])
    for e in report["events"]:
        a = e.activity
        append_row(
            sheet,
            [
                a.title,
                e.get_kind_display(),
                timezone.localtime(a.starts_at).date(),
                a.place,
                e.get_role_display(),
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unit_report_pdf(unit, year, report) -> bytes:
    font = cjk_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=17, spaceBefore=4 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    muted = ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#666666"))

    def p(text, style=body):
        return Paragraph(escape(str(text)), style)

    def table(header, rows, widths):
        data = [[p(h) for h in header]] + [
            [p(cell if cell is not None else "") for cell in row] for row in rows
        ]
        t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    def section(name, header, rows, widths, empty):
        story.append(p(name, heading))
        story.append(table(header, rows, widths) if rows else p(empty, muted))

    story = [
        p(_("%(name)s: report of %(year)s") % {"name": unit.organisation.name, "year": year}, title_style),
        p(unit.community.name, muted),
        Spacer(1, 3 * mm),
        table(
            [_("Item"), _("Figure")],
            [(label, value) for label, value in summary_rows(unit, report)],
            [60, 30],
        ),
    ]
    section(
        _("Co-building agreements"),
        [_("Agreement"), _("Signed on"), _("Ends on"), _("Joint projects")],
        [
            (a.title, a.signed_on, a.ends_on or "", "、".join(pr.name for pr in a.projects.all()))
            for a in report["agreements"]
        ],
        [55, 25, 25, 70],
        _("No agreements yet."),
    )
    section(
        _("Projects"),
        [_("Project"), _("Party organisation"), _("Starts on"), _("Status")],
        [(pr.name, pr.organisation.name, pr.starts_on, pr.get_status_display()) for pr in report["projects"]],
        [65, 55, 25, 30],
        _("No projects yet."),
    )
    section(
        _("Wishes claimed"),
        [_("Tracking code"), _("Status"), _("Received at")],
        [
            (w.tracking_code, w.get_status_display(), timezone.localtime(w.created_at).date())
            for w in report["wishes"]
        ],
        [60, 50, 40],
        _("No wishes claimed this year."),
    )
    section(
        _("Events held"),
        [_("Activity"), _("Kind"), _("Date"), _("Place"), _("Part taken")],
        [
            (
                e.activity.title,
                e.get_kind_display(),
                timezone.localtime(e.activity.starts_at).date(),
                e.activity.place,
                e.get_role_display(),
            )
            for e in report["events"]
        ],
        [55, 30, 25, 40, 25],
        _("No events held this year."),
    )
    story.append(Spacer(1, 4 * mm))
    story.append(p(_("Drawn up on %(date)s") % {"date": date_format(timezone.localdate())}, muted))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=17 * mm,
        rightMargin=17 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("%(name)s: report of %(year)s") % {"name": unit.organisation.name, "year": year},
    )
    doc.build(story)
    return out.getvalue()
