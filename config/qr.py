"""QR codes (segno): inline SVG for pages, PNG for tests and downloads, vector modules for PDFs."""

import io

import segno


def qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(scale=5, dark="#222", omitsize=False)


def qr_png(data: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def draw_qr(pdf, data: str, x: float, y: float, size: float, border: int = 2) -> None:
    """Draw the code on a reportlab canvas as filled squares (sharp at any print size), lower-left at x, y."""
    qr = segno.make(data, error="m")
    matrix = qr.matrix
    count = len(matrix) + 2 * border
    module = size / count
    pdf.saveState()
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        top = y + size - (r + border + 1) * module
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # A hair wider than the run, so no white seams show between modules when printed.
                pdf.rect(x + (start + border) * module, top, (c - start) * module + 0.05, module + 0.05, 0, 1)
            else:
                c += 1
    pdf.restoreState()
