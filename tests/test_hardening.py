"""Hardening: nothing a stranger sends, and no bad translation, breaks or poisons
a page (issue 11: host headers, unrenderable translations, caches, small leaks).
"""

from __future__ import annotations

import logging
import re
from types import SimpleNamespace

import pytest
from conftest import site_app
from helpers import parse

from reader.catalogs import format_problem

# Interface translations that break Python's %-formatting, as Jinja's
# newstyle gettext and Flask-Babel apply it.
BROKEN = [
    ("Know your rights", "Conozca 100% sus derechos"),
    ("Know your rights", "Conozca sus derechos %"),
    ("Know your rights", "Conozca %(nombre)s sus derechos"),
    ("Know your rights", "Conozca %s sus derechos"),
    ("Know your rights", "Conozca %d sus derechos"),
]


def put_interface(site, msgid: str, msgstr: str, lang: str = "es") -> None:
    """Replace one interface translation in the test site's catalog."""
    path = site / "translations" / lang / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    escaped = msgstr.replace("\\", "\\\\").replace('"', '\\"')
    entry = f'msgid "{msgid}"\nmsgstr "{escaped}"\n'
    if f'msgid "{msgid}"\n' in text:
        head, rest = text.split(f'msgid "{msgid}"\nmsgstr "', 1)
        text = head + entry + rest.split('"\n', 1)[1]
    else:
        text += "\n" + entry
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("msgid", "msgstr"), BROKEN)
def test_an_unrenderable_interface_translation_falls_back_to_english(
    site, msgid, msgstr, caplog
):
    put_interface(site, msgid, msgstr)
    client = site_app(site).test_client()
    with caplog.at_level(logging.ERROR):
        pages = [client.get(p) for p in ("/es/", "/es/door/", "/es/door/print/")]
        again = client.get("/es/")
    assert [p.status_code for p in [*pages, again]] == [200] * 4
    for page in (pages[0], again):
        html = page.get_data(as_text=True)
        # Marked English in place of the broken string, in the heading.
        assert f'<h1><span lang="en" dir="ltr">{msgid}</span></h1>' in html
        assert msgstr not in html
    # The other strings of the language still show.
    chooser = client.get("/", headers={"Accept-Language": "es"})
    assert "Elija su idioma" in chooser.get_data(as_text=True)
    logged = [r.getMessage() for r in caplog.records if "messages.po" in r.getMessage()]
    assert len(logged) == 1, logged  # once, with its file and line
    assert "messages.po:" in logged[0] and "English" in logged[0]


def test_the_translator_web_survives_an_unrenderable_translation(site, tmp_path):
    put_interface(site, "Rights Reader", "Lector 100% de derechos")
    app = site_app(site, TRANSLATOR_DB=str(tmp_path / "t.sqlite3"), SECRET_KEY="t")
    client = app.test_client()
    for path in ("/translate/", "/translate/login"):
        response = client.get(path, headers={"Accept-Language": "es"})
        assert response.status_code == 200
        assert '<span lang="en" dir="ltr">Rights Reader</span>' in response.text


@pytest.mark.parametrize(
    ("msgid", "msgstr", "ok"),
    [
        ("Save %(n)s files", "Guardar %(n)s archivos", True),
        ("Save %(n)s files", "Guardar %(n)d archivos", False),
        ("Save %(n)s files", "Guardar archivos", True),
        ("Save %(n)s files", "Guardar %(m)s archivos", False),
        ("100%% free", "100%% gratis", True),
        ("100%% free", "100% gratis", False),
        ("Free", "Gratis 50 %", False),
        ("Free", "Gratis %s", False),
        # Never %-formatted in English (a lone % in the source): nothing to keep.
        ("100% free", "100% gratis", True),
    ],
)
def test_format_problem_is_what_python_formatting_says(msgid, msgstr, ok):
    assert (format_problem(msgid, msgstr) is None) is ok


# --- Generated links never come from request headers ------------------------

FORGED = {
    "Host": "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "Forwarded": "host=evil.example;proto=http",
}
PRINTS = [
    "/es/door/print/",
    "/es/card/print/",
    "/es/door/letter.pdf",
    "/es/card/card.pdf",
    "/es/card/sheet-a4.pdf",
    "/es/pack-letter.pdf",
]


@pytest.fixture
def print_html(monkeypatch):
    """Make PDFs return the HTML they are made from, to read what they print."""
    from reader.printing import pdf, views

    def one_page(html):
        return SimpleNamespace(pages=[str(html)])

    def html_only(documents):
        return "".join(page for d in documents for page in d.pages).encode("utf-8")

    for module in (pdf, views):
        monkeypatch.setattr(module, "layout", one_page)
        monkeypatch.setattr(module, "write_pdf", html_only)


@pytest.mark.parametrize("path", PRINTS)
def test_without_a_public_base_url_prints_carry_no_host(site, print_html, path):
    client = site_app(site).test_client()
    forged = client.get(path, headers=FORGED)
    # The same URL asked for again, as any later reader would: from the cache.
    later = client.get(path)
    for response in (forged, later):
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "evil.example" not in text and "localhost" not in text
        assert "<svg" not in text  # no QR code without an address to point to
        assert "://" not in text.split('class="online"', 1)[-1].split("</p>")[0]
    if path.endswith("/print/"):
        assert "READER_PUBLIC_BASE_URL" in forged.text


@pytest.mark.parametrize("path", PRINTS)
def test_prints_point_at_the_public_base_url_whatever_the_headers(
    site, print_html, path
):
    client = site_app(
        site, PUBLIC_BASE_URL="https://rights.example.org/x"
    ).test_client()
    response = client.get(path, headers=FORGED, base_url="http://evil.example/evil")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "evil.example" not in text
    assert re.search(r"https://rights.example.org/x/es/(door|card)/<", text)
    assert "<svg" in text and "READER_PUBLIC_BASE_URL" not in text


def test_a_bad_public_base_url_stops_start_up_with_the_setting_named(site):
    with pytest.raises(ValueError, match="READER_PUBLIC_BASE_URL"):
        site_app(site, PUBLIC_BASE_URL="rights.example.org")


@pytest.mark.parametrize(
    "path", ["/es", "/es/door", "/translate", "/es/door/print", "/translate//login"]
)
def test_redirects_never_name_the_requested_host(client, path):
    response = client.get(path, headers=FORGED)
    assert response.status_code in (301, 302, 308)
    assert response.headers["Location"].startswith("/")
    assert "evil.example" not in str(response.headers) + response.text
    assert response.headers["Content-Security-Policy"]


def test_pages_are_cached_per_script_root(site):
    """A page's links start with the proxy's prefix: cache keys include it."""
    client = site_app(site, PUBLISH_CHECK_SECONDS=60).test_client()
    prefixed = client.get("/es/door/", base_url="http://localhost/guides")
    plain = client.get("/es/door/")
    assert 'href="/guides/es/"' in prefixed.text
    assert 'href="/guides/' not in plain.text and 'href="/es/"' in plain.text


# --- Bounded caches -----------------------------------------------------------


def test_caches_stay_bounded_under_many_distinct_requests(site):
    from reader import languages

    app = site_app(site)
    client = app.test_client()
    for i in range(600):  # two new tags each: more than the cache holds
        header = f"es-{i:03d}, de-AT-{i:04d};q=0.5"
        client.get(f"/es/doc-{i}/", headers={"Accept-Language": header})
        client.get("/", headers={"Accept-Language": header})
    assert languages._maximize.cache_info().currsize <= 1024
    assert languages.language.cache_info().currsize <= 256
    content = app.extensions["reader.content"]
    kept = {k: len(v) for k, v in vars(content).items() if isinstance(v, dict)}
    assert sum(kept.values()) < 20, kept


# --- Small leaks and crashes --------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/es/" + "a" * 300 + "/",
        "/es/" + "a" * 300 + "/print/",
        "/es/" + "a" * 300 + "/letter.pdf",
        "/" + "e" * 300 + "/",
    ],
)
def test_a_very_long_slug_is_not_found_not_an_error(client, path):
    assert client.get(path).status_code == 404


def test_static_files_carry_exactly_one_cache_control(client):
    # Reader pages carry their stylesheet inline; the translator web links its own.
    page = parse(client.get("/translate/login"))
    css = next(a["href"] for a in page.find("link", rel="stylesheet"))
    with client.get(css) as response:
        cache_control = response.headers.getlist("Cache-Control")
    assert cache_control == ["public, max-age=31536000, immutable"]


def test_numbers_are_isolated_in_right_to_left_text(site):
    from reader.content import ContentStore
    from reader.languages import language
    from reader.render import Labels, render_document

    (site / "content" / "call.md").write_text(
        "---\ntitle: Call\nsummary: Call us.\nkind: guide\nsources: []\n"
        "checked: 2026-12-01\n---\n\nCall (555) 010-0100 about Form I-205.\n",
        encoding="utf-8",
    )
    doc = ContentStore(site / "content").get("call")
    html = render_document(doc, language("ar"), Labels())
    assert '<bdi dir="ltr">(555) 010-0100</bdi>' in html.body
    assert '<bdi dir="ltr">I-205</bdi>' in html.body


def test_an_organizers_phone_number_is_isolated_on_prints(site, print_html):
    client = site_app(site).test_client()
    query = "?contact=%D8%A7%D8%AA%D8%B5%D9%84+%2B1+555-0100"
    for path in ("/ar/card/print/", "/ar/card/card.pdf"):
        text = client.get(path + query).get_data(as_text=True)
        assert '<bdi dir="ltr">+1 555-0100</bdi>' in text


def test_a_pdf_is_the_same_whatever_prefix_it_was_asked_through(site):
    fresh = [site_app(site).test_client() for _ in range(2)]
    plain = fresh[0].get("/es/door/letter.pdf").get_data()
    prefixed = fresh[1].get("/es/door/letter.pdf", base_url="http://localhost/guides")
    assert prefixed.status_code == 200 and prefixed.get_data() == plain


@pytest.mark.parametrize("host", ["a..b", "évil..example", "x" * 300 + ".example"])
@pytest.mark.parametrize("path", ["/", "/es/door/", "/es/door/print/", "/translate/"])
def test_an_odd_host_header_is_never_an_error_nor_repeated(client, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code < 500
    assert host not in response.text and host not in str(response.headers)
