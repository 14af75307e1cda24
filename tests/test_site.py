"""The repository's own site: the statement verbatim, guides complete, pages light."""

from __future__ import annotations

import brotli
import pytest
from helpers import Elements, parse

from reader import ROOT
from reader.content import ContentStore

STATEMENT = ROOT.parent / "shared" / "statement" / "campaign-statement.txt"
GUIDES = [
    "at-your-door",
    "in-public",
    "traffic-stop",
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
    assert "5th Amendment" in html.split('<section class="section-officer"')[1]


def as_sent(response) -> int:
    """Return the bytes of a response on the wire: status line, headers, body."""
    head = f"HTTP/1.1 {response.status}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.headers.items()
    )
    return len(head.encode("latin-1")) + 2 + len(response.get_data())


# The languages whose pages are longest (Russian, Tagalog, Vietnamese), and
# one of each other script: the print view of every guide, with its QR code.
# (A bilingual print view holds two whole guides: docs/benchmarks.md has its
# sizes, up to 14.5 KB.)
PRINTED = ["ru", "tl", "vi", "ar", "zh-Hant"]


def test_every_page_arrives_whole_in_one_first_response_of_14_kb(
    real_client, print_client
):
    paths = all_pages(real_client) + ["/es/no-such-page/", "/es/rights-card/officer/"]
    paths += [f"/{lang}/{slug}/print/" for lang in PRINTED for slug in GUIDES]
    sizes = {}
    for path in paths:
        client = print_client if "/print/" in path else real_client
        response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code in (200, 404), path
        assert response.headers["Content-Encoding"] == "br", path
        html = response.get_data()
        # Everything to draw the page is in it: no stylesheet to fetch first
        # (one for print only does not hold the page up).
        links = Elements(brotli.decompress(html).decode()).find(
            "link", rel="stylesheet"
        )
        assert all(link.get("media") == "print" for link in links), path
        sizes[path] = as_sent(response)
    too_big = {p: s for p, s in sizes.items() if s > BUDGET}
    assert len(sizes) > 200 and not too_big, too_big
