"""Prints an organizer can hand out unchecked: nothing overlaps, QR codes scan.

Every PDF kind is read back as a person would look at it: where each line of
text, each QR code and each crop mark is drawn (tests/pdflayout.py). The
organizer's lines are at the form's caps, in the document's own script where
it has one, the worst case the form allows. Each PDF is rendered once for the
module; the full sweep of every language and paper is bench/prints.py.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlencode

import pdflayout
import pytest
from helpers import PRINT_BASE, fetch_once

from reader import create_app
from reader.printing.branding import LIMITS
from reader.printing.cards import EDGE, sheet

LANGS = ["es", "ar", "zh-Hant"]
# A guide's page number, at the foot of each of its pages: "2 / 4" (read
# back as "4 / 2" on a right-to-left page).
FOOTER = re.compile(r"\W*(\d+) / (\d+)\W*")
PAPERS = ["letter", "a4"]
# One bilingual pair per script we serve.
PAIRS = [("es", "en"), ("ar", "en"), ("zh-Hant", "es"), ("ko", "en"), ("ru", "fa")]
CARD_LANGS = [
    "en", "es", "pt-BR", "fr", "ht", "vi", "tl", "ru", "ar", "fa", "ko",
    "zh-Hans", "zh-Hant",
]  # fmt: skip
# Long names in each script, cut to the caps: what fills a line soonest.
ORG = {
    "ar": "مركز الدفاع القانوني عن حقوق المهاجرين والعائلات في المدينة",
    "zh-Hant": "華人移民權益與法律服務中心社區互助協會聯合辦公室",
}
LATIN_ORG = "Coalición por los Derechos Humanos de los Inmigrantes de WWW"
CONTACT = (
    "Línea de respuesta rápida 24/7: +1 (555) 010-0100, ext. 9999 o WhatsApp 555-0199"
)


def branding(lang: str) -> str:
    org = (ORG.get(lang) or LATIN_ORG)[: LIMITS["org"]]
    contact = CONTACT[: LIMITS["contact"]]
    assert len(contact) == LIMITS["contact"]
    return urlencode({"org": org, "contact": contact})


@pytest.fixture(scope="module")
def pdf(print_client):
    """Fetch and read each PDF once: (bytes, pages)."""
    return fetch_once(print_client, lambda data: (data, pdflayout.read(data)))


def guide_paths() -> list[str]:
    from reader.content import get_content

    app = create_app({"TESTING": True})
    with app.app_context():
        slugs = [d.slug for d in get_content().all()]
    return [
        f"/{lang}/{slug}/{paper}.pdf?{branding(lang)}"
        for lang in LANGS
        for slug in slugs
        for paper in PAPERS
    ] + [
        f"/{lang}/at-your-door/{paper}.pdf?with={other}&{branding(lang)}"
        for lang, other in PAIRS
        for paper in PAPERS
    ]


def assert_clean(path: str, pages, edge: float) -> None:
    problems = []
    for page in pages:
        problems += pdflayout.overlaps(page) + pdflayout.outside(page, edge)
    assert not problems, (path, problems[:5])


def assert_qrs_scan(path: str, data: bytes, pages, lang: str) -> int:
    """Decode every QR code of ``pages``; each opens a page in ``lang``."""
    found = pdflayout.decode_qrs(data, pages)
    for number, url in found:
        assert url.startswith(f"{PRINT_BASE}/{lang}/"), (path, number, url)
    return len(found)


@pytest.mark.parametrize("path", guide_paths())
def test_guides_have_no_overlap_and_their_qr_code_scans(pdf, path):
    data, pages = pdf(path)
    # Text stays inside the page margins (16 mm) and clear of the QR code.
    assert_clean(path, pages, edge=EDGE)
    if shutil.which("zbarimg"):
        assert assert_qrs_scan(path, data, pages, path.split("/")[1]) == 1, path


@pytest.mark.parametrize("lang", CARD_LANGS)
def test_cards_fit_on_both_sides_at_8pt_with_the_longest_lines(pdf, lang):
    path = f"/{lang}/rights-card/card.pdf?{branding(lang)}"
    data, pages = pdf(path)
    assert len(pages) == 2, (path, "a side ran onto a page of its own")
    assert_clean(path, pages, edge=1.5)
    front, back = pages
    assert not front.qrs and len(back.qrs) == 1
    # The QR code is at the foot of the back, under the officer's text.
    qr = back.qrs[0]
    above = [b for b, w in back.lines if b.y1 <= qr.y0]
    assert above and "officer" in " ".join(w for _, w in back.lines[:3])
    # Body text at 8 pt or more: all of the holder's side, the officer's text.
    sizes = pdflayout.font_sizes(data)
    assert min(sizes[0]) >= 7.99, (lang, min(sizes[0]))
    assert sorted(sizes[1])[len(sizes[1]) // 2] >= 7.99, lang  # the foot is small
    if shutil.which("zbarimg"):
        assert assert_qrs_scan(path, data, pages, lang) == 1


@pytest.mark.parametrize("gaps", [False, True])
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGS)
def test_sheets_keep_marks_and_text_off_the_printer_margin(pdf, lang, paper, gaps):
    path = f"/{lang}/rights-card/sheet-{paper}.pdf?{branding(lang)}"
    path += "&gaps=1" if gaps else ""
    data, pages = pdf(path)
    layout = sheet(paper, gaps=gaps)
    assert len(pages) == 2
    for page in pages:
        assert_clean(path, [page], edge=EDGE)
        drawn = page.paths + page.qrs
        assert drawn
        for box in drawn:
            assert box.x0 >= EDGE - 0.05 and box.y0 >= EDGE - 0.05, (path, box)
            assert box.x1 <= page.width - EDGE + 0.05, (path, box)
            assert box.y1 <= page.height - EDGE + 0.05, (path, box)
    # One QR code on every back, and each scans.
    assert len(pages[1].qrs) == len(layout.backs)
    if shutil.which("zbarimg"):
        assert assert_qrs_scan(path, data, pages[1:], lang) == len(layout.backs)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGS)
def test_packs_have_a_cover_contents_and_no_overlap(pdf, lang, paper):
    path = f"/{lang}/pack-{paper}.pdf?{branding(lang)}"
    data, pages = pdf(path)
    assert_clean(path, [p for p in pages if p.width > 100], edge=EDGE)
    cover = " ".join(w for _, w in pages[0].lines)
    assert (ORG.get(lang) or LATIN_ORG)[:20] in cover.replace("\r\n", "")
    # The contents give each guide's first page: numbers that count up.
    # The entries start at the first leader dot, under the organizer's lines.
    leaders = min(b.y0 for b, w in pages[0].lines if w.strip() == ".")
    entries = sorted((b.y0, w) for b, w in pages[0].lines if b.y0 >= leaders - 2)
    numbers = [int(w) for _, w in entries if w.strip().isdigit()]
    assert len(numbers) >= 10 and numbers == sorted(numbers), numbers
    # Each guide starts on the page its entry gives, where its own page
    # numbers start again ("1 / 4"); the card sheet is the last two pages
    # (fronts, then backs), with no page numbers.
    starts = 0
    for number in numbers:
        footer = [FOOTER.fullmatch(w) for _, w in pages[number - 1].lines]
        page = [min(int(m[1]), int(m[2])) for m in footer if m]
        if number == len(pages) - 1:
            assert page == [], (number, page)
        else:
            assert page == [1], (number, page)
            starts += 1
    assert starts >= 10
    if shutil.which("zbarimg"):
        assert assert_qrs_scan(path, data, pages, lang) >= 10
