"""Read where things are drawn in a PDF: text lines, QR codes and rules.

The print tests use this to prove that nothing overlaps, as a person looking
at the paper would see it: every line of text, every QR code (found as the
path of many squares that segno draws) and every cut or crop mark, in
millimetres from the top left of each page. pypdfium2 is the PDF engine the
share images are rasterized with, so tests and images read the same PDF.
"""

from __future__ import annotations

import io
import subprocess
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

MM = 72 / 25.4
# segno draws a code as one path of many short segments; nothing else we draw
# comes close (a table's rules or a crop mark have a handful).
QR_SEGMENTS = 200


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres: left, top, right, bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def shrunk(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 - dx, self.y1 - dy)

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1
            and other.x0 < self.x1
            and self.y0 < other.y1
            and other.y0 < self.y1
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.y0 >= other.y0
            and self.x1 <= other.x1
            and self.y1 <= other.y1
        )

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    """What one page draws."""

    number: int
    width: float
    height: float
    lines: list[tuple[Box, str]] = field(default_factory=list)
    qrs: list[Box] = field(default_factory=list)
    paths: list[Box] = field(default_factory=list)


def _box(left: float, bottom: float, right: float, top: float, height: float) -> Box:
    return Box(left / MM, (height - top) / MM, right / MM, (height - bottom) / MM)


def read(pdf: bytes) -> list[Page]:
    """Return the text lines, QR codes and other paths of every page."""
    doc = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            height = page.get_height()
            out = Page(i + 1, page.get_width() / MM, height / MM)
            text = page.get_textpage()
            for k in range(text.count_rects()):
                left, bottom, right, top = text.get_rect(k)
                words = text.get_text_bounded(left, bottom, right, top).strip()
                if words:
                    out.lines.append((_box(left, bottom, right, top, height), words))
            for obj in page.get_objects(max_depth=4):
                if obj.type != raw.FPDF_PAGEOBJ_PATH:
                    continue
                box = _box(*obj.get_bounds(), height)
                if raw.FPDFPath_CountSegments(obj.raw) >= QR_SEGMENTS:
                    out.qrs.append(box)
                else:
                    out.paths.append(box)
            text.close()
            page.close()
            pages.append(out)
    finally:
        doc.close()
    return pages


def _letters(words: str) -> bool:
    """Tell whether a run has a base character: a run of Arabic marks alone
    (a shadda) is drawn above its letter and reported as a box of its own."""
    return any(unicodedata.category(c)[0] not in "MZC" for c in words)


def overlaps(page: Page, quiet: float = 1.5) -> list[str]:
    """Return every overlap on ``page``, as text a person can act on: text on
    a QR code (or its quiet zone of ``quiet`` mm), or two lines of text that
    run into each other."""
    found = []
    for qr in page.qrs:
        zone = qr.grown(quiet)
        for box, words in page.lines:
            if box.overlaps(zone):
                found.append(f"page {page.number}: text {words[:40]!r} on a QR code")
    # Line boxes include the font's ascent and descent, so neighbouring lines
    # touch: compare their middle thirds, which only meet if glyphs collide.
    # Runs of one line may touch or share a mark (right-to-left text is cut
    # into several runs): only lines one above the other are compared.
    cores = sorted(
        ((b.shrunk(0.2, b.height / 3), w) for b, w in page.lines if _letters(w)),
        key=lambda c: c[0].y0,
    )
    for i, (a, wa) in enumerate(cores):
        for b, wb in cores[i + 1 :]:
            if b.y0 >= a.y1:
                break  # sorted from the top: nothing lower can meet ``a``
            middle_a, middle_b = (a.y0 + a.y1) / 2, (b.y0 + b.y1) / 2
            same_line = abs(middle_a - middle_b) < 0.6 * min(a.height, b.height) * 3
            if a.overlaps(b) and not same_line:
                found.append(f"page {page.number}: {wa[:30]!r} runs into {wb[:30]!r}")
    return found


def outside(page: Page, margin: float) -> list[str]:
    """Return the text that comes closer than ``margin`` mm to a paper edge."""
    paper = Box(0, 0, page.width, page.height).shrunk(margin, margin)
    return [
        f"page {page.number}: {words[:40]!r} is off the printable area"
        for box, words in page.lines
        if not box.inside(paper)
    ]


def decode_qrs(pdf: bytes, pages: list[Page], dpi: int = 300) -> list[tuple[int, str]]:
    """Render each QR code of ``pages`` at ``dpi`` and decode it with zbarimg;
    return (page number, what it says) for each, in order."""
    doc = pdfium.PdfDocument(pdf)
    found = []
    try:
        for page in pages:
            if not page.qrs:
                continue
            pdf_page = doc[page.number - 1]
            for qr in page.qrs:
                zone = qr.grown(3)  # the quiet zone, white on our pages
                crop = (
                    max(zone.x0, 0) * MM,
                    max(page.height - zone.y1, 0) * MM,
                    max(page.width - zone.x1, 0) * MM,
                    max(zone.y0, 0) * MM,
                )
                image = pdf_page.render(scale=dpi / 72, crop=crop, grayscale=True)
                buf = io.BytesIO()
                image.to_pil().save(buf, "PNG")
                result = subprocess.run(
                    ["zbarimg", "-q", "--raw", "-"],
                    input=buf.getvalue(),
                    capture_output=True,
                    timeout=60,
                )
                found.append((page.number, result.stdout.decode("utf-8").strip()))
            pdf_page.close()
    finally:
        doc.close()
    return found


def font_sizes(pdf: bytes) -> list[list[float]]:
    """Return the size in points of every letter drawn, page by page."""
    doc = pdfium.PdfDocument(pdf)
    sizes = []
    try:
        for i in range(len(doc)):
            text = doc[i].get_textpage()
            chars = text.get_text_range()
            # PDFium gives sizes in CSS pixels (1/96 in); a point is 1/72 in.
            sizes.append(
                [
                    raw.FPDFText_GetFontSize(text.raw, k) * 0.75
                    for k in range(text.count_chars())
                    if k < len(chars) and chars[k].isalpha()
                ]
            )
    finally:
        doc.close()
    return sizes
