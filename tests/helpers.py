"""Small HTML helpers for tests: parse a page as a reader's browser would."""

from __future__ import annotations

from html.parser import HTMLParser


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
