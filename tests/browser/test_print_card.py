"""Ctrl+P on a card's print view gives one sheet: both sides at real size."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from .support import goto

pytestmark = pytest.mark.browser

# ID-1 in CSS pixels (96 to the inch).
CARD_W, CARD_H = 85.6 / 25.4 * 96, 54 / 25.4 * 96


@pytest.mark.parametrize(("lang", "paper"), [("es", "Letter"), ("ar", "A4")])
def test_printing_the_card_view_prints_both_sides_at_real_size(
    tab, server_url, lang, paper
):
    page = tab(lang)
    goto(page, f"{server_url}/{lang}/rights-card/print/")
    page.emulate_media(media="print")
    cards = page.locator(".card-pair .card")
    assert cards.count() == 2
    for i in range(2):
        box = cards.nth(i).bounding_box()
        assert box is not None
        assert box["width"] == pytest.approx(CARD_W, abs=1)
        assert box["height"] == pytest.approx(CARD_H, abs=1)
    # The guide's preview and the print tools stay on screen, off the paper.
    assert not page.locator(".print-preview").is_visible()
    assert not page.locator(".print-tools").is_visible()
    pdf = pdfium.PdfDocument(page.pdf(format=paper))
    try:
        assert len(pdf) == 1
        text = pdf[0].get_textpage().get_text_range()
        assert "To the officer" in text
    finally:
        pdf.close()
