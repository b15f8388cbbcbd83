"""The printable A4 guide of a community's 15-minute service circle: a plan drawn from the coordinates
(no tiles are available offline), a legend, and the points by distance from the community centre.

Chinese text uses the project's PDF font (config.pdf.cjk_font).
"""

import io
import math
from xml.sax.saxutils import escape  # nosec B406 # escapes text we write, parses nothing

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from config.pdf import cjk_font

from .models import KIND_COLOURS, Kind
from .selectors import format_distance


def _nice_step(span_m: float) -> int:
    """A round grid spacing giving about four to eight lines across `span_m` metres."""
    for step in (50, 100, 200, 250, 500, 1000, 2000, 5000):
        if span_m / step <= 8:
            return step
    return 10000


class Plan(Flowable):
    """The points plotted on an equirectangular projection around the origin, with the walking ring,
    a grid, a north arrow and a scale bar."""

    def __init__(self, circle, numbers, width, height, font):
        super().__init__()
        self.circle, self.numbers, self.width, self.height, self.font = circle, numbers, width, height, font

    def _xy(self, lat, lng):
        origin = self.circle.origin
        x = (lng - origin.longitude) * 111320 * math.cos(math.radians(origin.latitude))
        y = (lat - origin.latitude) * 110540
        return x, y

    def draw(self):
        c = self.canv
        w, h = self.width, self.height
        c.setStrokeColor(colors.HexColor("#999999"))
        c.rect(0, 0, w, h)
        origin = self.circle.origin
        if origin is None:
            c.setFont(self.font, 11)
            c.drawCentredString(w / 2, h / 2, _("No position recorded yet: the plan cannot be drawn."))
            return
        placed = [(e, *self._xy(e.latitude, e.longitude)) for e in self.circle.entries if e.has_location]
        reach = max([self.circle.walk_metres * 1.1] + [max(abs(x), abs(y)) * 1.08 for _e, x, y in placed])
        scale = min(w, h) / 2 / reach  # points per metre
        cx, cy = w / 2, h / 2

        step = _nice_step(2 * reach)
        c.setStrokeColor(colors.HexColor("#e3e3e3"))
        c.setLineWidth(0.4)
        lines = int(reach * max(w, h) / min(w, h) / step) + 1
        for i in range(-lines, lines + 1):
            x = cx + i * step * scale
            y = cy + i * step * scale
            if 0 <= x <= w:
                c.line(x, 0, x, h)
            if 0 <= y <= h:
                c.line(0, y, w, y)

        # The walking ring.
        c.setStrokeColor(colors.HexColor("#c8102e"))
        c.setLineWidth(1.2)
        c.setDash(4, 3)
        c.circle(cx, cy, self.circle.walk_metres * scale, stroke=1, fill=0)
        c.setDash()
        c.setFillColor(colors.HexColor("#c8102e"))
        c.setFont(self.font, 8)
        c.drawString(cx + 4, cy + self.circle.walk_metres * scale - 10, _("15 minutes on foot"))

        # The centre.
        c.setFillColor(colors.black)
        c.rect(cx - 3.5, cy - 3.5, 7, 7, fill=1, stroke=0)
        c.setFont(self.font, 9)
        c.drawString(cx + 6, cy - 12, origin.label)

        for entry, x, y in placed:
            px, py = cx + x * scale, cy + y * scale
            c.setFillColor(colors.HexColor(KIND_COLOURS[entry.kind]))
            c.setStrokeColor(colors.white)
            c.circle(px, py, 6, stroke=1, fill=1)
            c.setFillColor(colors.white)
            c.setFont("Helvetica-Bold", 6.5)
            c.drawCentredString(px, py - 2.3, str(self.numbers[entry.key]))

        # North arrow and scale bar.
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        ax, ay = w - 16, h - 34
        path = c.beginPath()
        path.moveTo(ax, ay + 22)
        path.lineTo(ax - 5, ay + 6)
        path.lineTo(ax + 5, ay + 6)
        path.close()
        c.drawPath(path, fill=1, stroke=0)
        c.setFont(self.font, 9)
        c.drawCentredString(ax, ay - 6, _("N"))
        bar = step * scale
        c.setLineWidth(1.5)
        c.line(10, 12, 10 + bar, 12)
        c.line(10, 9, 10, 15)
        c.line(10 + bar, 9, 10 + bar, 15)
        c.setFont(self.font, 8)
        c.drawString(14 + bar, 9, format_distance(step))


def guide_pdf(circle) -> bytes:
    """The A4 guide of `circle` (a selectors.ServiceMap) as PDF bytes."""
    font = cjk_font()
    buffer = io.BytesIO()
    community = circle.community
    title = _("%(community)s · 15-minute service circle") % {"community": community.name}
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author=community.name,
    )
    h1 = ParagraphStyle("h1", fontName=font, fontSize=17, leading=22, spaceAfter=2)
    small = ParagraphStyle("small", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    number = ParagraphStyle("number", parent=cell, textColor=colors.white, alignment=1)
    numbers = {e.key: n for n, e in enumerate(circle.entries, start=1)}
    intro = _(
        "Distances are straight lines from %(origin)s; the ring is %(m)s m, about 15 minutes on foot. "
        "Printed %(date)s."
    ) % {
        "origin": circle.origin.label if circle.origin else community.name,
        "m": circle.walk_metres,
        "date": date_format(timezone.localdate(), "DATE_FORMAT"),
    }
    story = [Paragraph(escape(title), h1), Paragraph(escape(intro), small), Spacer(1, 3 * mm)]
    story.append(Plan(circle, numbers, doc.width, 108 * mm, font))
    story.append(Spacer(1, 2 * mm))

    kinds_present = list(dict.fromkeys(e.kind for e in circle.entries))
    legend = " ".join(
        f'<font color="{KIND_COLOURS[k]}">●</font> {escape(str(Kind(k).label))}' for k in kinds_present
    )
    if legend:
        story += [Paragraph(legend, small), Spacer(1, 2 * mm)]

    header = [_("No."), _("Kind"), _("Name"), _("Distance"), _("Address"), _("Opening hours"), _("Phone")]
    rows = [[Paragraph(escape(str(h)), cell) for h in header]]
    for e in circle.entries:
        values = [
            e.kind_label,
            e.name,
            format_distance(e.distance_m),
            e.address,
            e.opening_hours,
            e.phone,
        ]
        rows.append(
            [Paragraph(str(numbers[e.key]), number)] + [Paragraph(escape(str(v)), cell) for v in values]
        )
    if len(rows) == 1:
        rows.append([Paragraph(escape(_("No service point recorded yet.")), cell)] + [""] * 6)
    widths = [9, 20, 38, 17, 45, 32, 21]
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for i, e in enumerate(circle.entries, start=1):
        style.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(KIND_COLOURS[e.kind])))
    table.setStyle(TableStyle(style))
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
