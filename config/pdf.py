"""The Chinese font every generated PDF uses, embedded so a card prints the same on any printer."""

import logging
from functools import cache

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

EMBEDDED = "LinliCJK"
FALLBACK = "STSong-Light"


@cache
def cjk_font() -> str:
    """The registered font's name: the TrueType font of settings.PDF_CJK_FONT (fonts-wqy-microhei by
    default; Noto CJK ships CFF outlines reportlab cannot embed), else reportlab's built-in CID font
    STSong-Light, which is not embedded: the reader's viewer supplies the glyphs."""
    path = settings.PDF_CJK_FONT
    try:
        pdfmetrics.registerFont(TTFont(EMBEDDED, path, subfontIndex=0))
        return EMBEDDED
    except (OSError, TTFError):
        logger.warning("pdf_font_missing path=%s fallback=%s", path, FALLBACK)
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
        return FALLBACK
