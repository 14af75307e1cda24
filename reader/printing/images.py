"""Pictures of a wallet card to share in messaging groups, drawn from its PDF.

Each side is rasterized from the card PDF itself with PDFium (pypdfium2), so
the picture can never say something the printed card does not. A palette of
a few dozen colours keeps a side under 150 KB while its text stays sharp.
"""

from __future__ import annotations

import io

WIDTH = 1080  # pixels: what messaging apps show without scaling down
COLORS = 32


def card_png(pdf: bytes, page: int, width: int = WIDTH) -> bytes:
    """Return page ``page`` (0 front, 1 back) of a card PDF as a PNG ``width`` wide."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        side = doc[page]
        bitmap = side.render(scale=width / side.get_width())
        image = bitmap.to_pil().convert("RGB")
        side.close()
    finally:
        doc.close()
    # Antialiased text on white needs few colours; the palette makes the file
    # a quarter of a true-colour PNG's size.
    image = image.quantize(colors=COLORS, dither=0)
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return buf.getvalue()
