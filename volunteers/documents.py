"""Generated files: QR codes (segno), the hours certificate (PDF) and the hours ledger export (xlsx)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from config.pdf import cjk_font
from config.qr import qr_png, qr_svg
from config.xlsx import append_row

__all__ = ["qr_png", "qr_svg", "certificate_pdf", "hours_xlsx"]


def certificate_pdf(profile, records) -> bytes:
    """A certificate of confirmed service hours, issued free by the organiser, in the project's PDF font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = cjk_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Volunteer service certificate"))
    width, height = A4
    y = height - 90
    pdf.setFont(font, 22)
    pdf.drawCentredString(width / 2, y, _("Volunteer service certificate"))
    y -= 50
    pdf.setFont(font, 13)
    lines = [
        _("Volunteer: %(name)s") % {"name": profile.user},
        _("Community: %(community)s") % {"community": profile.community},
        _("Confirmed service hours (travel excluded): %(hours)s") % {"hours": profile.confirmed_hours},
        _("Reference star level: %(stars)s (apply to the national system for the official level)")
        % {"stars": "★" * profile.star_level or "-"},
    ]
    for line in lines:
        pdf.drawString(70, y, line)
        y -= 24
    y -= 10
    pdf.setFont(font, 11)
    for record in records:
        if y < 90:
            pdf.showPage()
            pdf.setFont(font, 11)
            y = height - 70
        started = timezone.localtime(record.started_at)
        pdf.drawString(70, y, f"{started:%Y-%m-%d}  {record.activity.title}  {record.hours}")
        y -= 18
    y -= 20
    pdf.drawString(70, max(y, 60), _("Issued free of charge on %(date)s") % {"date": timezone.localdate()})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# Column headings of the national volunteer service information system's hours import sheet
# (服务时长导入模板; see the README on what could be checked). Masked by default; the audited export
# (`reveal=True`, logged by services.hours_export_audited) carries the clear ID number and phone the
# national system matches its registered volunteers by.
NATIONAL_IMPORT_HEADINGS = [
    "志愿者姓名",
    "证件类型",
    "证件号码",
    "手机号码",
    "项目名称",
    "服务开始时间",
    "服务结束时间",
    "服务时长（小时）",
    "备注",
]


def hours_xlsx(records, *, reveal=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "服务时长"
    append_row(sheet, NATIONAL_IMPORT_HEADINGS)
    for record in records:
        resident = record.volunteer.resident
        user = record.volunteer.user
        if reveal:
            id_number = resident.reveal_id_number() if resident else ""
            phone = (resident.phone if resident else "") or user.phone
        else:  # the stored masks: nothing is decrypted for the masked sheet
            id_number = resident.id_number_masked if resident else ""
            phone = (resident.phone_masked if resident else "") or user.phone_masked
        append_row(
            sheet,
            [
                resident.name if resident else str(user),
                resident.get_id_type_display() if resident else "",
                id_number,
                phone,
                record.activity.title,
                timezone.localtime(record.started_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(record.ended_at).strftime("%Y-%m-%d %H:%M"),
                float(record.hours),
                record.note,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
