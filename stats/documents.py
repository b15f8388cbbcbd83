"""The monthly report's files, from the dictionary of `selectors.area_statistics` (the page's figures):
an xlsx with one sheet per section, and a PDF whose charts are drawn by reportlab from the same numbers.
Called with the project's language active, so headers are Chinese."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from config.xlsx import append_row

RED = colors.HexColor("#c8102e")
GREY = colors.HexColor("#8a8f98")


def _rate(value):
    return "" if value is None else value


def sections(figures) -> list[tuple[str, list[str], list[list]]]:
    """(sheet title, headers, rows) for every section: the xlsx and the PDF tables share them."""
    p, v, r, vol = figures["petitions"], figures["visits"], figures["registry"], figures["volunteers"]
    summary = [
        [_("Area"), figures["area"]["name"]],
        [_("Period"), f"{figures['period']['start']} – {figures['period']['end']}"],
        [_("Received"), p["received"]],
        [_("Accepted"), p["accepted"]],
        [_("Resolved"), p["resolved"]],
        [_("Closed"), p["closed"]],
        [_("Response rate (%)"), _rate(p["response_rate"])],
        [_("Resolution rate (%)"), _rate(p["resolution_rate"])],
        [_("On-time rate (%)"), _rate(p["on_time_rate"])],
        [_("Satisfaction rate (%)"), _rate(p["satisfaction_rate"])],
        [_("Median hours to resolve"), _rate(p["median_hours_to_resolve"])],
        [_("Wishes received"), p["wishes"]],
        [_("Published on the wish wall"), p["wishes_published"]],
        [_("Wishes claimed"), p["wishes_claimed"]],
        [_("Claimed by party members"), p["claimed_by"]["party_members"]],
        [_("Claimed by volunteers"), p["claimed_by"]["volunteers"]],
        [_("Claimed by units"), p["claimed_by"]["units"]],
        [_("Claimed by staff and others"), p["claimed_by"]["others"]],
    ]
    result = [
        (_("Summary"), [_("Figure"), _("Value")], summary),
        (
            _("By kind"),
            [_("Kind"), _("Received"), _("Accepted"), _("Resolved"), _("Closed")],
            [
                [k["label"], k["received"], k["accepted"], k["resolved"], k["closed"]]
                for k in figures["by_kind"]
            ],
        ),
        (
            _("Monthly trend"),
            [_("Month"), _("Received"), _("Resolved")],
            [[t["month"], t["received"], t["resolved"]] for t in figures["trend"]],
        ),
        (
            _("By category"),
            [_("Category"), _("Received"), _("Resolved")],
            [[c["category"], c["received"], c["resolved"]] for c in figures["categories"]],
        ),
    ]
    if figures["league_level"]:
        result.append(
            (
                _("League table"),
                [
                    _("Area"),
                    _("Received"),
                    _("Resolved"),
                    _("On-time rate (%)"),
                    _("Satisfaction rate (%)"),
                    _("Visit coverage (%)"),
                    _("Overdue now"),
                ],
                [
                    [
                        row["name"],
                        row["received"],
                        row["resolved"],
                        _rate(row["on_time_rate"]),
                        _rate(row["satisfaction_rate"]),
                        _rate(row["coverage"]),
                        row["overdue"],
                    ]
                    for row in figures["league"]
                ],
            )
        )
        heat = figures["heat"]
        result.append(
            (
                _("Categories by area"),
                [_("Category"), *[a["name"] for a in heat["areas"]]],
                [[row["category"], *row["counts"]] for row in heat["rows"]],
            )
        )
    result.append(
        (
            _("Visits"),
            [
                _("Households to visit"),
                _("Households visited"),
                # The number of visits, not the sheet of them (its title, "Visits" alone).
                pgettext("report column", "Visits"),
                _("Persons met"),
                _("Coverage (%)"),
            ],
            [[v["households"], v["households_visited"], v["visits"], v["persons_met"], _rate(v["coverage"])]],
        )
    )
    uses = r["dwellings_by_use"]
    result.append(
        (
            _("Registry"),
            [_("Residents"), _("Households"), _("Dwellings"), _("Owner-occupied"), _("Rented"), _("Vacant")],
            [
                [
                    r["residents"],
                    r["households"],
                    r["dwellings"],
                    uses["owner"],
                    uses["rented"],
                    uses["vacant"],
                ]
            ],
        )
    )
    if vol is not None:
        result.append(
            (
                _("Volunteers and points"),
                [_("Service hours"), _("Active volunteers"), _("Points issued"), _("Points redeemed")],
                [[vol["hours"], vol["active_volunteers"], vol["points_issued"], vol["points_redeemed"]]],
            )
        )
    return result


def report_xlsx(figures) -> bytes:
    book = Workbook(write_only=True)
    for title, headers, rows in sections(figures):
        sheet = book.create_sheet(title[:31])
        append_row(sheet, headers)
        for row in rows:
            append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------------

# A CID font every PDF reader has: no font file to ship for Chinese text.
FONT = "STSong-Light"


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _bars(categories, series, *, horizontal=False, width=170 * mm, height=70 * mm, title="", legend=()):
    drawing = Drawing(width, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (40 * mm, 10 * mm) if horizontal else (12 * mm, 16 * mm)
    chart.width = width - chart.x - 6 * mm
    chart.height = height - chart.y - 12 * mm
    chart.data = [list(s) for s in series] or [[0]]
    chart.categoryAxis.categoryNames = list(categories) or [""]
    chart.categoryAxis.labels.fontName = _font()
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if not horizontal:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    for i, colour in enumerate((RED, GREY)):
        chart.bars[i].fillColor = colour
    drawing.add(chart)
    if legend:
        key = Legend()
        key.x, key.y, key.alignment = width - 50 * mm, height - 2 * mm, "right"
        key.fontName, key.fontSize, key.columnMaximum = _font(), 8, 1
        key.colorNamePairs = list(zip((RED, GREY), legend, strict=False))
        drawing.add(key)
    drawing.add(String(0, height - 5 * mm, title, fontName=_font(), fontSize=10))
    return drawing


def report_pdf(figures) -> bytes:
    font = _font()
    heading = ParagraphStyle("h", fontName=font, fontSize=16, leading=20, spaceAfter=6)
    subheading = ParagraphStyle("h2", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm)
    title = _("Monthly report: %(area)s, %(start)s – %(end)s") % {
        "area": figures["area"]["name"],
        "start": figures["period"]["start"],
        "end": figures["period"]["end"],
    }
    story = [Paragraph(title, heading)]
    trend = figures["trend"]
    story.append(
        _bars(
            [t["month"][2:] for t in trend],
            [[t["received"] for t in trend], [t["resolved"] for t in trend]],
            title=_("Received and resolved by month"),
            legend=[_("Received"), _("Resolved")],
        )
    )
    cats = figures["categories"][:12][::-1]
    if cats:
        story.append(
            _bars(
                [c["category"] for c in cats],
                [[c["received"] for c in cats]],
                horizontal=True,
                height=max(40, 8 * len(cats) + 20) * mm,
                title=_("By category"),
            )
        )
    for name, headers, rows in sections(figures):
        story.append(Paragraph(name, subheading))
        table = Table([headers, *rows], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f3f3")),
                    ("GRID", (0, 0), (-1, -1), 0.25, GREY),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return out.getvalue()
