"""Routing, canonical language tags, negotiation, fallbacks and 404s."""

from __future__ import annotations

import json
import re

import pytest
from helpers import NEAR_MISSES, parse


def test_chooser_lists_languages_by_native_name(client):
    page = parse(client.get("/"))
    links = {a["href"]: a for a in page.find("a") if a.get("hreflang")}
    assert links["/es/"]["lang"] == "es"
    assert links["/ar/"]["dir"] == "rtl"
    assert "Español" in page.plain and "العربية" in page.plain


@pytest.mark.parametrize(
    ("accept", "first"),
    [("ar;q=0.9, en;q=0.5", "/ar/"), ("es-MX,es;q=0.8", "/es/"), ("de", "/en/")],
)
def test_chooser_puts_best_match_first(client, accept, first):
    response = client.get("/", headers={"Accept-Language": accept})
    links = [a["href"] for a in parse(response).find("a") if a.get("hreflang")]
    assert links[0] == first
    assert "Accept-Language" in response.headers["Vary"]


def test_chooser_neither_redirects_nor_sets_cookies(client):
    response = client.get("/", headers={"Accept-Language": "es"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("path", "target"),
    [("/ES/", "/es/"), ("/Es/door/", "/es/door/"), ("/AR/door/?x=1", "/ar/door/?x=1")],
)
def test_other_spellings_redirect_permanently(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == target


def test_locale_style_tags_redirect_to_bcp47(app, site):
    (site / "translations" / "pt_BR" / "LC_MESSAGES").mkdir(parents=True)
    es = site / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    (site / "translations" / "pt_BR" / "LC_MESSAGES" / "messages.po").write_bytes(
        es.read_bytes()
    )
    client = app.test_client()
    assert client.get("/pt_br/").headers["Location"] == "/pt-BR/"
    assert client.get("/pt-BR/").status_code == 200


def test_document_list_shows_every_document_with_completeness(client):
    page = parse(client.get("/es/"))
    assert "En la puerta" in page.plain
    # The untranslated document is listed, in English, marked as such.
    untranslated = page.find("a", href="/es/plain/")
    assert untranslated and untranslated[0]["lang"] == "en"
    # Translation status is said once for the page, not under every item.
    assert "Not translated yet: in English." not in page.plain
    assert page.plain.count("of these guides is in Español") == 1
    assert "The translations are drafts." in page.plain
    assert "No lawyer has reviewed these guides yet." in page.plain


def test_lazy_interface_strings_are_escaped_like_any_translation(client, site):
    """Flask-Babel's lazy strings tell Jinja they are markup already: a tag in
    a translation of one (the site's one-line "about") must show as text."""
    from babel.messages.pofile import read_po, write_po

    from reader.views import ABOUT

    po = site / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    catalog.add(ABOUT._args[0], "Guías <b>claras</b> sobre sus derechos.")
    with po.open("wb") as f:
        write_po(f, catalog)
    for path, headers in (("/es/", {}), ("/", {"Accept-Language": "es"})):
        html = client.get(path, headers=headers).get_data(as_text=True)
        assert "Guías &lt;b&gt;claras&lt;/b&gt; sobre sus derechos." in html, path
        assert "<b>" not in html, path


def test_document_falls_back_per_paragraph(client):
    page = parse(client.get("/es/door/"))
    html = client.get("/es/door/").get_data(as_text=True)
    assert "Usted tiene derechos." in page.plain
    # Fuzzy entry: shown in current English, never in its stale translation.
    assert "versión vieja" not in html
    assert '<p lang="en" dir="ltr" class="untranslated">Keep the door closed.' in html
    # Keep-the-door, "Stay calm." and three table cells are not translated.
    assert page.plain.count("Todavía sin traducir: se muestra en inglés.") == 5
    # Nor is the meaning of one phrase: its English shows, and a note says so.
    assert page.plain.count("Its meaning is not translated yet.") == 1


def test_untranslated_document_is_readable_in_english(client):
    response = client.get("/es/plain/")
    page = parse(response)
    assert response.status_code == 200
    assert "Only English here." in page.plain
    assert page.find("div", class_="body", lang="en")


def test_officer_side_stays_english_without_fallback_note(client):
    html = client.get("/es/card/").get_data(as_text=True)
    assert '<section class="section-officer" lang="en" dir="ltr">' in html
    officer = html.split('<section class="section-officer"')[1]
    assert "I will remain silent." in officer
    assert "untranslated" not in officer.split("</section>")[0]
    assert "Mantenga la calma." in html


@pytest.mark.parametrize(
    ("path", "lang", "direction"),
    [
        ("/", "en", "ltr"),
        ("/es/", "es", "ltr"),
        ("/ar/", "ar", "rtl"),
        ("/ar/door/", "ar", "rtl"),
        ("/es/door/", "es", "ltr"),
        ("/en/card/", "en", "ltr"),
    ],
)
def test_every_page_declares_language_and_direction(client, path, lang, direction):
    html = parse(client.get(path, headers={"Accept-Language": "en"}))
    assert html.find("html", lang=lang, dir=direction)


def test_switcher_lands_on_same_document(client):
    page = parse(client.get("/es/door/"))
    targets = {a["hreflang"]: a["href"] for a in page.find("a") if a.get("hreflang")}
    assert targets == {"en": "/en/door/", "es": "/es/door/", "ar": "/ar/door/"}


@pytest.mark.parametrize(
    "path", ["/xx/", "/es/nope/", "/es/door/extra/", "/../etc/", "/es/%00/"]
)
def test_unknown_paths_get_a_404_page(client, path):
    response = client.get(path, headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert "Página no encontrada" in response.get_data(as_text=True)


def test_404_in_the_documents_language(client):
    response = client.get("/ar/nope/", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert parse(response).find("html", lang="ar", dir="rtl")


def test_document_shows_review_state_and_sources(client):
    page = parse(client.get("/es/door/"))
    assert "Unreviewed draft translation." in page.plain
    assert "No lawyer has reviewed this guide yet." in page.plain
    assert "English checked against its sources on" in page.plain
    source = page.find("li", id="source-1")
    assert source and page.find("ol", class_="sources", lang="en")
    assert "ILRC: “Red Cards”. https://www.ilrc.org/red-cards (2026-01-15)" in (
        page.plain
    )
    assert "general information, not legal advice" in page.plain


@pytest.mark.parametrize(("path", "target", "lang"), NEAR_MISSES)
def test_near_miss_tags_redirect_to_the_best_published_language(
    real_client, path, target, lang
):
    response = real_client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == target
    landed = real_client.get(target)
    assert landed.status_code == 200 and parse(landed).find("html", lang=lang)


def main_links(response) -> dict[str, str]:
    """Return the links in a page's main part: href to plain text."""
    html = response.get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    links = re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', main, re.S)
    return {href: re.sub(r"<[^>]+>", "", text).strip() for href, text in links}


def test_a_tag_with_no_published_match_gets_the_helpful_404(real_client):
    # "iw" is Hebrew, which the reader does not offer.
    response = real_client.get("/iw/", headers={"Accept-Language": "fr, en;q=0.5"})
    assert response.status_code == 404
    assert parse(response).find("html", lang="fr")
    assert list(main_links(response)) == ["/fr/rights-card/", "/fr/"]


def test_404_links_to_the_languages_card_and_guides(client):
    response = client.get("/ar/nope/", headers={"Accept-Language": "es"})
    links = main_links(response)
    assert list(links) == ["/ar/card/", "/ar/"]
    assert links["/ar/"] == "All guides in العربية"  # the test catalog is English
    # The header offers the chooser once; the page does not repeat it.
    assert parse(response).plain.count("Choose a language") == 1


def test_chooser_says_what_the_site_is_in_the_match_and_in_english(real_client):
    html = real_client.get("/", headers={"Accept-Language": "es"}).get_data(True)
    about = re.findall(r'<p class="about"( lang="en")?[^>]*>([^<]*)', html)
    assert [(lang, text[:14]) for lang, text in about] == [
        ("", "Guías sencilla"),
        (' lang="en"', "Plain guides t"),
    ]
    html = real_client.get("/", headers={"Accept-Language": "iw"}).get_data(True)
    about = re.findall(r'<p class="about"[^>]*>([^<]*)', html)
    assert [text[:14] for text in about] == ["Plain guides t"]


def test_credits_name_reviewers_from_review_records(client, site):
    draft = "No native speaker has signed it yet."
    assert draft in parse(client.get("/es/credits/")).plain
    records = {
        "door": {
            "reviewer": "Rosa Díaz <rosa@example.org>",
            "date": "2026-11-30",
            "source": "0" * 16,
            "translation": "0" * 16,
        },
        "card": {"reviewer": "Rosa Díaz", "date": "2026-12-01"},
    }
    (site / "translations" / "es" / "reviews.json").write_text(
        json.dumps(records), encoding="utf-8"
    )
    page = parse(client.get("/es/credits/")).plain
    assert "reviewed this translation: Rosa Díaz" in " ".join(page.split())
    assert page.count("Rosa Díaz") == 1 and "rosa@example.org" not in page
    assert draft not in page
    # Other languages keep their own credits.
    assert draft in parse(client.get("/ar/credits/")).plain
