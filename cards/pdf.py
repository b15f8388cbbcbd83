"""Drawing contact cards: A6 cards, one per page or four to an A4 sheet with cut lines."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from config.pdf import cjk_font
from config.qr import draw_qr

RED = HexColor("#b8322a")
INK = HexColor("#222222")
GREY = HexColor("#666666")

LAYOUT_A6 = "a6"
LAYOUT_A4 = "a4"
LAYOUTS = (LAYOUT_A6, LAYOUT_A4)

CARD_W, CARD_H = A6


def _fit(text, font, size, width):
    """The text cut (with an ellipsis) to fit the width."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_card(pdf, card, url, x, y):
    font = cjk_font()
    pad = 7 * mm
    inner = CARD_W - 2 * pad
    top = y + CARD_H
    pdf.setStrokeColor(HexColor("#cccccc"))
    pdf.setLineWidth(0.4)
    pdf.rect(x + 2 * mm, y + 2 * mm, CARD_W - 4 * mm, CARD_H - 4 * mm)

    # The red band: the card's name and the community.
    band = 20 * mm
    pdf.setFillColor(RED)
    pdf.rect(x + 2 * mm, top - 2 * mm - band, CARD_W - 4 * mm, band, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(font, 17)
    pdf.drawString(x + pad, top - 12 * mm, _("Contact card"))
    pdf.setFont(font, 8)
    pdf.drawString(x + pad, top - 18 * mm, _fit(card.community.name, font, 8, inner))

    pdf.setFillColor(INK)
    pdf.setFont(font, 13)
    pdf.drawString(x + pad, top - 30 * mm, _fit(card.heading, font, 13, inner))

    # The people: title (and organisation) small, then name and work phone.
    qr_size = 34 * mm
    rows_top = top - 35 * mm
    rows_bottom = y + 2 * mm + qr_size + 8 * mm
    row_h = min(11 * mm, (rows_top - rows_bottom) / max(len(card.contacts), 1))
    size = 10.5 if row_h >= 10 * mm else 9
    row_y = rows_top
    for contact in card.contacts:
        label = contact.title if not contact.organisation else f"{contact.title} · {contact.organisation}"
        pdf.setFillColor(GREY)
        pdf.setFont(font, 7)
        pdf.drawString(x + pad, row_y - 3 * mm, _fit(label, font, 7, inner))
        pdf.setFillColor(INK)
        phone = contact.phone or "—"
        pdf.setFont(font, size)
        phone_w = stringWidth(phone, font, size)
        pdf.drawString(
            x + pad, row_y - 3 * mm - size * 1.15, _fit(contact.name, font, size, inner - phone_w - 3 * mm)
        )
        pdf.drawRightString(x + CARD_W - pad, row_y - 3 * mm - size * 1.15, phone)
        row_y -= row_h

    # The QR code and what it is for.
    qr_x, qr_y = x + pad - 2 * mm, y + 6 * mm
    draw_qr(pdf, url, qr_x, qr_y, qr_size)
    text_x = qr_x + qr_size + 2 * mm
    text_w = x + CARD_W - pad - text_x
    pdf.setFillColor(RED)
    pdf.setFont(font, 10)
    pdf.drawString(text_x, qr_y + qr_size - 8 * mm, _fit(_("Scan to tell us"), font, 10, text_w))
    pdf.setFillColor(GREY)
    pdf.setFont(font, 7)
    lines = [_("a request, a complaint"), _("or a micro-wish;"), _("follow it with a tracking code.")]
    for i, line in enumerate(lines):
        pdf.drawString(text_x, qr_y + qr_size - (13 + 4 * i) * mm, _fit(line, font, 7, text_w))


def render(cards, url_for, *, layout=LAYOUT_A6, title="") -> bytes:
    """The PDF of these cards; `url_for(card)` gives the absolute link each QR code carries."""
    buffer = io.BytesIO()
    pagesize = A6 if layout == LAYOUT_A6 else A4
    pdf = canvas.Canvas(buffer, pagesize=pagesize, pageCompression=1)
    pdf.setTitle(title or _("Contact cards"))
    pdf.setCreator("Linli")
    pdf.setSubject(_("Printed on %(date)s") % {"date": timezone.localdate()})
    if layout == LAYOUT_A6:
        for card in cards:
            _draw_card(pdf, card, url_for(card), 0, 0)
            pdf.showPage()
    else:
        # A4 is exactly two A6 wide and two high: four cards a sheet, cut along the dashed lines.
        slots = [(0, CARD_H), (CARD_W, CARD_H), (0, 0), (CARD_W, 0)]
        for start in range(0, len(cards), 4):
            for card, (sx, sy) in zip(cards[start : start + 4], slots, strict=False):
                _draw_card(pdf, card, url_for(card), sx, sy)
            pdf.setStrokeColor(HexColor("#999999"))
            pdf.setDash(3, 3)
            pdf.line(CARD_W, 0, CARD_W, A4[1])
            pdf.line(0, CARD_H, A4[0], CARD_H)
            pdf.setDash()
            pdf.showPage()
    pdf.save()
    return buffer.getvalue()
