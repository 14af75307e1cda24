"""Prints are tagged PDF/UA-1, and every element in another language says so.

These read the structure tree itself with pikepdf, not the flags that claim
it is there: a screen reader follows the tree, and picks its voice from the
nearest /Lang up it.
"""

from __future__ import annotations

import io
import logging

import pytest
from helpers import fetch_once

from reader.printing import tagging
from reader.printing.pdf import layout, write_pdf

pikepdf = pytest.importorskip("pikepdf")

GUIDE = "/es/at-your-door/letter.pdf"
BILINGUAL = GUIDE + "?with=ar"
CARD = "/ar/rights-card/card.pdf"
CHINESE = "/zh-Hant/at-your-door/a4.pdf"


@pytest.fixture(scope="module")
def pdfs(print_client):
    """Open each PDF once for the module (rendered once for every test)."""
    fetch = fetch_once(print_client)
    opened = {}

    def get(path: str):
        if path not in opened:
            opened[path] = pikepdf.open(io.BytesIO(fetch(path)))
        return opened[path]

    yield get
    for pdf in opened.values():
        pdf.close()


def elements(pdf):
    """Yield ``(element, ancestors)`` for every StructElem of ``pdf``,
    following /K from the StructTreeRoot down (never /P back up)."""

    def walk(node, ancestors):
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return  # a marked-content id or an object reference
        yield node, ancestors
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            yield from walk(kid, (*ancestors, node))

    kids = pdf.Root.StructTreeRoot.K
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        yield from walk(kid, ())


def kind(element) -> str:
    return str(element.S)


def lang(element) -> str | None:
    return str(element.Lang) if "/Lang" in element else None


def on_page(element, page) -> bool:
    return "/Pg" in element and element.Pg.objgen == page.obj.objgen


@pytest.mark.parametrize(
    ("path", "page_lang", "kinds"),
    [
        (GUIDE, "es", {"/H1", "/P", "/L"}),
        (CARD, "ar", {"/P", "/L"}),
        (CHINESE, "zh-Hant", {"/H1", "/P", "/L"}),
    ],
)
def test_tagged_in_the_page_language(pdfs, path, page_lang, kinds):
    pdf = pdfs(path)
    assert str(pdf.Root.Lang) == page_lang
    assert pdf.Root.MarkInfo.Marked is True
    tree = pdf.Root.StructTreeRoot
    assert tree.Type == "/StructTreeRoot"
    assert [kind(element) for element in tree.K] == ["/Document"]
    found = {kind(element) for element, _ in elements(pdf)}
    assert kinds <= found, found


@pytest.mark.parametrize("path", [GUIDE, CARD])
def test_pdf_ua_metadata_and_a_title_shown(pdfs, path):
    pdf = pdfs(path)
    meta = pdf.open_metadata()
    assert meta.get("pdfuaid:part") == "1"
    title = str(pdf.docinfo.get("/Title", "")).strip()
    assert title and meta.get("dc:title") == title
    # PDF/UA: a viewer shows the title, not the file name.
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def test_english_phrases_in_a_spanish_guide_are_tagged_en(pdfs):
    pdf = pdfs(GUIDE)
    tree = list(elements(pdf))
    english = [e for e, _ in tree if kind(e) == "/P" and lang(e) == "en"]
    assert english, "no paragraph of the Spanish guide is tagged English"
    # The rest of the guide inherits Spanish from the catalog...
    assert any(kind(e) == "/P" and lang(e) is None for e, _ in tree)
    # ...rather than being stamped with it from <html> or <body>.
    assert all(lang(e) is None for e in pdf.Root.StructTreeRoot.K[0].K)


def test_spanish_inside_an_english_phrase_is_tagged_es(pdfs):
    # <sup class="refs" lang="es"> ("Fuentes") inside <p class="say" lang="en">.
    nested = [
        element
        for element, ancestors in elements(pdfs(GUIDE))
        if lang(element) == "es" and "en" in map(lang, ancestors)
    ]
    assert nested


def test_bilingual_print_tags_the_second_language(pdfs):
    pdf = pdfs(BILINGUAL)
    assert str(pdf.Root.Lang) == "es"
    arabic = [e for e, _ in elements(pdf) if lang(e) == "ar"]
    assert arabic
    assert any(kind(e) == "/Div" for e in arabic)  # the column


def test_english_back_of_an_arabic_card_is_tagged_en(pdfs):
    pdf = pdfs(CARD)
    back = pdf.pages[-1]
    assert len(pdf.pages) >= 2
    assert any(lang(e) == "en" and on_page(e, back) for e, _ in elements(pdf))


def test_parts_keep_their_pages_and_languages(print_client):
    parts = [
        "<html lang='fr'><head><title>Premier</title></head><body lang='fr'>"
        "<h1>Titre</h1><p lang='en'>One <span lang='de'>zwei</span></p></body>"
        "</html>",
        "<html lang='fr'><head><title>Second</title></head><body>"
        "<p>Deux</p><div lang='it'><p>Tre</p></div></body></html>",
    ]
    with print_client.application.test_request_context("/"):
        # As a print pack is made: parts laid out alone, written as one.
        pdf = pikepdf.open(io.BytesIO(write_pdf([layout(part) for part in parts])))
    assert len(pdf.pages) == 2
    assert str(pdf.Root.Lang) == "fr" and str(pdf.docinfo.Title) == "Premier"
    tagged = {lang(e): e for e, _ in elements(pdf) if lang(e)}
    assert set(tagged) == {"en", "de", "it"}  # not <body lang="fr">
    assert kind(tagged["en"]) == "/P" and on_page(tagged["en"], pdf.pages[0])
    assert on_page(tagged["it"], pdf.pages[1])


def test_installing_twice_wraps_once(monkeypatch):
    from weasyprint.pdf import tags

    assert tagging.install_lang_tagging()
    wrapper = tags._build_box_tree
    assert getattr(wrapper, tagging.MARKER)
    assert not getattr(wrapper.__wrapped__, tagging.MARKER, False)
    monkeypatch.setattr(tagging, "_installed", None)  # as after a reload
    assert tagging.install_lang_tagging()
    assert tags._build_box_tree is wrapper


def test_unknown_weasyprint_internals_warn_once(monkeypatch, caplog):
    from weasyprint.pdf import tags

    monkeypatch.delattr(tags, "_build_box_tree")
    monkeypatch.setattr(tagging, "_warned", False)
    with caplog.at_level(logging.WARNING, logger=tagging.__name__):
        assert tagging._install() is False
        assert tagging._install() is False
    assert len(caplog.records) == 1
    assert "language" in caplog.records[0].getMessage()
