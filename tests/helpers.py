"""Small HTML helpers for tests: parse a page as a reader's browser would."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

# The public address print tests give the app, so prints carry QR codes.
PRINT_BASE = "https://rights.example.org"

# Near-miss language tags in an address, over the repository's languages: what
# the reader asked for, where they land (same path and query), in what language.
NEAR_MISSES = [
    ("/zh-TW/at-your-door/", "/zh-Hant/at-your-door/", "zh-Hant"),
    ("/zh-CN/", "/zh-Hans/", "zh-Hans"),
    ("/pt/rights-card/officer/", "/pt-BR/rights-card/officer/", "pt-BR"),
    ("/pt-PT/", "/pt-BR/", "pt-BR"),
    ("/es-MX/traffic-stop/?x=1", "/es/traffic-stop/?x=1", "es"),
    ("/fil/", "/tl/", "tl"),
]


class Elements(HTMLParser):
    """Collect every start tag with its attributes, and the page's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs) -> list[dict[str, str | None]]:
        """Return the attributes of every ``tag`` whose attributes include ``attrs``."""
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    @property
    def plain(self) -> str:
        return " ".join("".join(self.text).split())


def parse(response) -> Elements:
    return Elements(response.get_data(as_text=True))


def fetch_once(client, read: Callable = bytes, mimetype: str = "application/pdf"):
    """Return ``get(path)``: the body of ``path`` passed through ``read``,
    fetched (and checked to be a 200 of ``mimetype``) once for all callers.
    Generating a PDF is the slow part of every print test."""
    cache = {}

    def get(path: str):
        if path not in cache:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.mimetype == mimetype, path
            cache[path] = read(response.get_data())
        return cache[path]

    return get
