"""The repository's guides as a reader meets them: sourced, plain, with the
English to say first, in every offered language, on screen and on paper."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from helpers import parse

from reader import ROOT, create_app, i18n
from reader.content import ContentStore
from reader.pofile import load_po, save_po
from reader.segment import NO_CLAIM, claim_blocks
from reader.translate import readability, sources

CONTENT = ROOT / "content"
TRANSLATIONS = ROOT / "translations"
SAY_THIS = ["rights-card", "at-your-door", "in-public", "traffic-stop", "at-work",
            "if-arrested"]  # fmt: skip
NO_BOX = ["family-plan", "words-to-know", "campaign-statement"]


def docs() -> dict:
    return {d.slug: d for d in ContentStore(CONTENT).all()}


def phrases(doc) -> list[str]:
    return [s.text for s in claim_blocks(doc.nodes) if s.kind == "phrase"]


def offered_tags() -> list[str]:
    return sorted(
        p.parent.name.replace("_", "-")
        for p in TRANSLATIONS.glob(f"*/{i18n.PUBLISHED_MARK}")
    )


def test_every_block_of_every_guide_has_a_source_or_says_it_makes_no_claim():
    findings = sources.check_documents(CONTENT)
    assert [str(f) for f in findings if f.severity == "error"] == []
    assert [str(f) for f in findings if "no block cites it" in f.problem] == []
    for doc in docs().values():
        if doc.kind == "statement":
            continue
        cited = {r for s in claim_blocks(doc.nodes) for r in s.refs} - {NO_CLAIM}
        assert cited, doc.slug
        assert cited <= {s.id for s in doc.sources}, doc.slug


def test_no_message_makes_translators_copy_a_url_or_a_marker():
    from babel.messages.pofile import read_po

    for pot in sorted(TRANSLATIONS.glob("*.pot")):
        with pot.open("rb") as f:
            ids = [m.id for m in read_po(f) if m.id]
        assert not [i for i in ids if "://" in str(i) or "[^" in str(i)], pot.name


def test_the_card_and_each_situation_open_with_three_to_five_phrases():
    every = docs()
    for slug in SAY_THIS:
        first = every[slug].nodes[0]
        assert first.kind == "section" and first.name == "say-this", slug
        assert 3 <= len(phrases_in(first)) <= 5, slug
    for slug in NO_BOX:
        assert not every[slug].has_section("say-this"), slug
    # Issue 13's guides have a box where there is something to say.
    for doc in every.values():
        if doc.has_section("say-this"):
            first = doc.nodes[0]
            assert first.kind == "section" and first.name == "say-this", doc.slug
            assert 3 <= len(phrases_in(first)) <= 5, doc.slug


def phrases_in(node) -> list:
    return [c for c in node.children if c.kind == "phrase"]


def test_no_sentence_to_say_is_left_inside_running_text():
    # 'Say, "I do not consent."' was how the old guides put it: the reader
    # then said it in their own language. Every such sentence is a phrase now.
    quoted = re.compile(r'\b(say|ask|tell them)[^.]*[,:]\s*["“]', re.I)
    for doc in docs().values():
        if doc.kind == "statement":
            continue
        for seg in claim_blocks(doc.nodes):
            assert not quoted.search(seg.text), f"{doc.slug}:{seg.lineno}"


@pytest.mark.parametrize("tag", offered_tags())
def test_every_phrase_renders_in_english_on_the_page_and_in_print(real_client, tag):
    every = docs()
    for slug in [s for s, d in every.items() if phrases(d)]:
        for path in (f"/{tag}/{slug}/", f"/{tag}/{slug}/print/"):
            html = real_client.get(path).get_data(as_text=True)
            for phrase in phrases(every[slug]):
                start = '<p class="say" lang="en" dir="ltr">'
                assert f"{start}{html_text(phrase)}" in html, (path, phrase)


def html_text(markdown_text: str) -> str:
    from reader.render import inline

    return str(inline(markdown_text))


def test_every_language_offered_before_is_still_offered(real_client, real_app):
    tags = offered_tags()
    assert len(tags) >= 12
    with real_app.app_context():
        offered = {lang.tag for lang in i18n.reader_languages()}
    assert set(tags) <= offered
    for tag in tags:
        assert real_client.get(f"/{tag}/").status_code == 200, tag


def test_changed_blocks_show_in_english_marked_not_hidden(tmp_path):
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    po = tmp_path / "translations" / "es" / "LC_MESSAGES" / "in-public.po"
    catalog = load_po(po, "es")
    changed = next(m for m in catalog if "paragraph" in m.auto_comments)
    changed.flags.add("fuzzy")  # as `translate update` marks changed English
    save_po(po, catalog)
    app = create_app(
        {"TESTING": True, "TRANSLATIONS_DIR": str(tmp_path / "translations")}
    )
    page = parse(app.test_client().get("/es/in-public/"))
    marked = page.find("p", lang="en", class_="untranslated")
    assert marked, "the new English of in-public shows, marked, in Spanish"
    assert "Todavía no está traducido: se muestra en inglés." in page.plain


def test_pages_say_no_lawyer_has_reviewed_the_guides(real_client):
    assert "No lawyer has reviewed these guides yet." in (
        parse(real_client.get("/en/")).plain
    )
    for slug in SAY_THIS:
        page = parse(real_client.get(f"/en/{slug}/")).plain
        assert "No lawyer has reviewed this guide yet." in page, slug
        assert "English checked against its sources on" in page, slug


def test_every_guide_reads_at_grade_five_or_below():
    figures = readability.scores(CONTENT)
    assert {f.slug for f in figures} >= set(SAY_THIS)
    high = [(f.slug, f.grade) for f in figures if f.grade > readability.MAX_GRADE]
    assert high == []


def test_the_officer_view_is_in_the_export(real_app):
    from reader.export import page_paths

    with real_app.test_request_context():
        paths = page_paths(["es", "ar"])
    assert "/es/rights-card/officer/" in paths and "/ar/rights-card/officer/" in paths


poppler = pytest.mark.skipif(
    not shutil.which("pdftohtml"), reason="needs poppler-utils (pdftohtml)"
)


@poppler
def test_in_a_right_to_left_pdf_the_phrases_stay_whole_in_a_latin_font(
    real_app, tmp_path
):
    pdf = tmp_path / "door.pdf"
    pdf.write_bytes(real_app.test_client().get("/ar/at-your-door/a4.pdf").get_data())
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    fonts = dict(re.findall(r'<fontspec id="(\d+)"[^>]*family="([^"]+)"', xml))
    lines = re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml)
    text = " ".join(re.sub(r"<[^>]+>", "", t) for _, t in lines)
    for phrase in phrases(docs()["at-your-door"]):
        assert phrase in " ".join(text.split()), phrase
        words = phrase.split()[:3]
        families = {fonts[f] for f, t in lines if " ".join(words) in t}
        assert families, phrase
        assert all(re.search(r"Noto[- ]?Sans|DejaVu", f) for f in families), families
        assert not any("Arab" in f or "Naskh" in f for f in families), families
