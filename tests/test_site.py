"""The repository's own site: the statement verbatim, guides complete, pages light."""

from __future__ import annotations

import gzip

import pytest
from helpers import parse

from reader import ROOT
from reader.content import ContentStore

STATEMENT = ROOT.parent / "shared" / "statement" / "campaign-statement.txt"
GUIDES = [
    "at-your-door",
    "in-public",
    "in-a-car",
    "at-work",
    "if-arrested",
    "family-plan",
    "rights-card",
    # Issue 13's five.
    "court-and-check-ins",
    "finding-a-lawyer",
    "airports-and-border",
    "children-and-schools",
    "daca-and-tps",
]
BUDGET = 14 * 1024


def all_pages(client) -> list[str]:
    langs = [a["href"] for a in parse(client.get("/")).find("a") if a.get("hreflang")]
    paths = ["/"]
    for lang in langs:
        paths += [lang, f"{lang}credits/"]
        paths += [
            a["href"]
            for a in parse(client.get(lang)).find("a")
            if a["href"].startswith(lang)
            and a["href"].count("/") == 3
            and not a["href"].endswith("credits/")
        ]
    return paths


@pytest.mark.skipif(not STATEMENT.exists(), reason="shared/ is not beside the checkout")
def test_statement_english_is_served_verbatim(real_client):
    page = parse(real_client.get("/en/campaign-statement/")).plain
    for paragraph in STATEMENT.read_text(encoding="utf-8").split("\n\n"):
        assert " ".join(paragraph.split()) in page


def test_every_guide_has_sources_date_disclaimer_and_legal_help(real_app, real_client):
    docs = {d.slug: d for d in ContentStore(real_app.config["CONTENT_DIR"]).all()}
    assert set(GUIDES) <= set(docs)
    statement = docs["campaign-statement"]
    assert statement.attribution == "Socialist Equality Party, 2020 election campaign"
    for slug in GUIDES:
        doc = docs[slug]
        assert doc.sources and doc.checked, slug
        assert all(s.org and s.title and s.url and s.read for s in doc.sources), slug
        page = parse(real_client.get(f"/en/{slug}/")).plain
        assert "general information, not legal advice" in page, slug
        assert "legal aid" in page, slug


def test_card_has_holder_and_english_officer_side(real_client):
    html = real_client.get("/es/rights-card/").get_data(as_text=True)
    assert 'class="section-holder"' in html
    assert '<section class="section-officer" lang="en" dir="ltr">' in html
    assert "5th Amendment" in html.split("section-officer")[1]


def test_every_page_with_its_css_fits_in_14_kb_gzipped(real_client):
    css_url = parse(real_client.get("/en/")).find("link", rel="stylesheet")[0]["href"]
    with real_client.get(css_url) as css:
        css_size = len(gzip.compress(css.get_data(), 9))
    sizes = {}
    for path in all_pages(real_client):
        response = real_client.get(path)
        assert response.status_code == 200, path
        sizes[path] = len(gzip.compress(response.get_data(), 9)) + css_size
    too_big = {p: s for p, s in sizes.items() if s > BUDGET}
    assert len(sizes) > 20 and not too_big
