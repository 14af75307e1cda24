"""Translated text is untrusted: hostile catalogs must not reach a page as code."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from helpers import Elements, parse

PAYLOADS = [
    "<script>alert(1)</script>Usted tiene derechos.",
    '<img src=x onerror="alert(1)">Usted tiene derechos.',
    "[Usted tiene derechos.](javascript:alert(1))",
    "[Usted tiene derechos.](JaVaScRiPt:alert(1))",
    "[Usted tiene derechos.](data:text/html;base64,PHNjcmlwdD4K)",
    '<a href="jav&#x09;ascript:alert(1)">Usted tiene derechos.</a>',
    '<iframe src="https://evil.example/"></iframe>Usted tiene derechos.',
    "<style>body{display:none}</style>Usted tiene derechos.",
    '<b onmouseover="alert(1)">Usted tiene derechos.</b>',
    "<svg onload=alert(1)>Usted tiene derechos.</svg>",
    '<form action="https://evil.example/"><input name=x></form>Usted tiene derechos.',
    "<javascript:alert(1)> Usted tiene derechos.",
    '<meta http-equiv="refresh" content="0;url=//x.example/">Usted tiene derechos.',
    '<link rel=stylesheet href="https://evil.example/x.css">Usted tiene derechos.',
    "![x](https://evil.example/track.png) Usted tiene derechos.",
    '<div style="background:url(https://evil.example/)">Usted tiene derechos.</div>',
]

ALLOWED_IN_BODY = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "section",
    "div",
    "sup",
    "small",
    "a",
    "em",
    "strong",
    "code",
    "br",
}


def hostile(site, payload: str) -> None:
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    text = po.read_text(encoding="utf-8")
    escaped = payload.replace("\\", "\\\\").replace('"', '\\"')
    # Silenced as a careless reviewer might: the sanitizer must hold anyway.
    po.write_text(
        text.replace(
            'msgid "You have rights."\nmsgstr "Usted tiene derechos."',
            '#, ignore-numbers, ignore-urls\nmsgid "You have rights."\n'
            f'msgstr "{escaped}"',
        ),
        encoding="utf-8",
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_translation_is_inert(client, site, payload):
    hostile(site, payload)
    html = client.get("/es/door/").get_data(as_text=True)
    body = html.split('<div class="body">', 1)[1].split('<p class="disclaimer">', 1)[0]
    page = parse(client.get("/es/door/"))
    for tag, attrs in Elements(body).tags:
        assert tag in ALLOWED_IN_BODY, f"{tag} survived"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} survived"
            assert name not in {"style", "src", "srcset", "action"}
            if name == "href":
                assert urlsplit(value or "").scheme in {
                    "",
                    "http",
                    "https",
                    "mailto",
                    "tel",
                }
    assert "alert(1)" not in " ".join(str(a) for _, a in page.tags)
    assert "evil.example" not in html.split("<main", 1)[1].split("href=")[0]
    assert "Usted tiene derechos." in page.plain


def test_markdown_in_translations_still_renders(client, site):
    html = client.get("/es/door/").get_data(as_text=True)
    assert "<li>Pida una <strong>orden</strong>." in html


def test_hostile_interface_translation_is_escaped(client, site):
    po = site / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text("utf-8").replace(
            'msgid "Know your rights"\nmsgstr "Conozca sus derechos"',
            '#, ignore-numbers, ignore-urls\nmsgid "Know your rights"\n'
            'msgstr "<a href=\\"https://evil.example/\\">Conozca</a><script>alert(1)</script>"',
        ),
        encoding="utf-8",
    )
    html = client.get("/es/").get_data(as_text=True)
    assert (
        "<script>alert(1)" not in html and '<a href="https://evil.example/' not in html
    )
    assert "&lt;script&gt;alert(1)" in html


def test_untranslated_interface_text_is_marked_english(client):
    html = client.get("/es/door/").get_data(as_text=True)
    # "Skip to content" has no Spanish in the test catalog; "Page not found" has.
    assert '<span lang="en" dir="ltr">Skip to content</span>' in html
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title
    missing = client.get("/es/nope/").get_data(as_text=True)
    assert "<h1>Página no encontrada</h1>" in missing
