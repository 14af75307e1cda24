"""Render a document in a language: translate each block, then sanitize it.

Translated text is untrusted: every block's Markdown is rendered to HTML and
cleaned with nh3 down to a few inline tags, so a hostile catalog cannot put
script, styles, frames, event handlers or ``javascript:`` links on a page.
A block with no current translation is shown in English inside an element
marked ``lang="en"`` with a visible note, never hidden and never stale.

A phrase (English to say to an officer) always shows its English, marked
``lang="en"``, with its meaning in the reader's language under it. Source
markers become numbered links to the page's list of sources.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import markdown
import nh3
from markupsafe import Markup

from .catalogs import LoadedCatalog, Stats
from .content import Document
from .languages import Language
from .segment import NO_CLAIM, Node, Segment, iter_segments

INLINE_TAGS = {"a", "em", "strong", "code", "br"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Numbers that right-to-left text could show in another order: phone
# numbers, form numbers (I-205) and other digit groups joined by separators.
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:[A-Z]{1,3}-\d+[A-Z]?|\+?\(?\d+\)?(?:[ .\-/]\(?\d+\)?)+)"
    r"(?![0-9A-Za-z])"
)
# A table cell that is only a line of underscores is a blank to write in.
WRITE_IN = re.compile(r"_{3,}")
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")

_local = threading.local()

Lookup = Callable[[str], "str | None"]


# Blocks whose HTML is remembered: the site's documents have about 1,000
# per language (at most some 16 MB for all of them).
INLINE_MEMO = 16384


def _markdown() -> markdown.Markdown:
    # Markdown instances are not thread-safe; one per thread, reset per use.
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(output_format="html")
    return md.reset()


def sanitize(html: str) -> str:
    """Clean HTML down to inline formatting and safe links.

    >>> sanitize('<a href="javascript:alert(1)" onclick="x()">hi</a><script>x</script>')
    '<a rel="noopener noreferrer">hi</a>'
    """
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def isolate_numbers(html: str) -> str:
    """Keep numbers in order in any script: wrap each in ``<bdi dir="ltr">``.

    Only text is touched, never tags or entities. Translators then never
    need direction control characters (which the checks refuse).

    >>> isolate_numbers('Call <a href="tel:+1-555-0100">(555) 010-0100</a>, I-205.')
    'Call <a href="tel:+1-555-0100"><bdi dir="ltr">(555) 010-0100</bdi></a>, \
<bdi dir="ltr">I-205</bdi>.'
    """
    parts = _MARKUP.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = _NUMBER.sub(r'<bdi dir="ltr">\g<0></bdi>', parts[i])
    return "".join(parts)


@functools.lru_cache(maxsize=INLINE_MEMO)
def inline(text: str) -> Markup:
    """Render one block's inline Markdown to sanitized HTML.

    Remembered per text: a block is shown on its page, its print view, its
    PDF and the offline packs, and converting Markdown is most of the time
    a page takes to render.

    >>> inline("Say **no** to <img src=x onerror=alert(1)>a search.")
    Markup('Say <strong>no</strong> to a search.')
    """
    html = _markdown().convert(text).strip()
    if html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return Markup(isolate_numbers(sanitize(html)))


@dataclass(frozen=True)
class Labels:
    """The interface words a rendered document needs, already translated."""

    note: str = "Not translated yet: shown in English."
    meaning: str = "Its meaning is not translated yet."
    say_this: str = "Say this in English"
    sources: str = "Sources"
    refs: bool = True  # numbered links to sources (not on a wallet card)


@dataclass(frozen=True)
class Rendered:
    """A document as one language's reader sees it."""

    title: Markup
    summary: Markup
    lead: Markup  # the "Say this" box, shown first, above everything else
    body: Markup
    stats: Stats
    title_lang: str | None
    english: bool


class _Renderer:
    def __init__(
        self,
        lookup: Lookup,
        lang: Language,
        labels: Labels,
        translate: bool,
        numbers: dict[str, int],
    ):
        self.lookup = lookup
        self.lang = lang
        self.labels = labels
        self.translate = translate
        self.numbers = numbers if labels.refs else {}

    def attrs(self, fallback: bool) -> Markup:
        return (
            Markup(' lang="en" dir="ltr" class="untranslated"')
            if fallback
            else Markup()
        )

    def note(self) -> Markup:
        return Markup(
            ' <small class="untranslated-note" lang="{}" dir="{}">{}</small>'
        ).format(self.lang.tag, self.lang.direction, self.labels.note)

    def refs(self, seg: Segment) -> Markup:
        """Numbered links to a block's sources; nothing for ``no-claim``."""
        numbers = sorted(
            {self.numbers[r] for r in seg.refs if r != NO_CLAIM and r in self.numbers}
        )
        if not numbers:
            return Markup()
        links = Markup(",").join(
            Markup('<a href="#source-{0}">{0}</a>').format(n) for n in numbers
        )
        # A word joiner keeps the numbers on the line of the word they follow.
        return Markup(
            '\u2060<sup class="refs" lang="{}" dir="ltr" title="{}">[{}]</sup>'
        ).format(self.lang.tag, self.labels.sources, links)

    def text(
        self, seg: Segment, english: bool = False, note: bool = True
    ) -> tuple[Markup, bool]:
        """Return a segment's HTML and whether it fell back to English."""
        translated = None if english or not self.translate else self.lookup(seg.text)
        html = inline(translated if translated is not None else seg.text)
        fallback = self.translate and not english and translated is None
        html += self.refs(seg)
        if fallback and note:
            html += self.note()
        return html, fallback

    def block(self, tag: str, seg: Segment, english: bool) -> Markup:
        html, fallback = self.text(seg, english)
        return Markup("<{0}{1}>{2}</{0}>").format(
            Markup(tag), self.attrs(fallback), html
        )

    def phrase(self, seg: Segment, english: bool) -> Markup:
        """The English to say, then (in another language) what it means."""
        say = Markup('<p class="say" lang="en" dir="ltr">{}{}</p>').format(
            inline(seg.text), self.refs(seg)
        )
        meaning = Markup()
        if self.translate and not english:
            translated = self.lookup(seg.text)
            meaning = (
                Markup('<p class="meaning">{}</p>').format(inline(translated))
                if translated is not None
                else Markup(
                    '<p class="meaning"><small class="untranslated-note">{}</small></p>'
                ).format(self.labels.meaning)
            )
        return Markup('<div class="phrase">{}{}</div>').format(say, meaning)

    def nodes(self, nodes: list[Node], english: bool = False) -> Markup:
        out = []
        for node in nodes:
            if node.kind == "heading":
                # The document title is the page's h1: body headings start at h2.
                level = min(max(node.level, 2), 6)
                out.append(self.block(f"h{level}", node.segments[0], english))
            elif node.kind == "paragraph":
                out.append(self.block("p", node.segments[0], english))
            elif node.kind == "phrase":
                out.append(self.phrase(node.segments[0], english))
            elif node.kind == "list":
                tag = "ol" if node.ordered else "ul"
                items = Markup("").join(
                    self.block("li", s, english) for s in node.segments
                )
                out.append(Markup("<{0}>{1}</{0}>").format(Markup(tag), items))
            elif node.kind == "table":
                out.append(self.table(node, english))
            elif node.kind == "section":
                out.append(self.section(node, english))
        return Markup("\n").join(out)

    def section(self, node: Node, english: bool) -> Markup:
        lang = Markup(' lang="en" dir="ltr"') if node.english else Markup()
        heading = Markup()
        if node.name == "say-this":
            heading = Markup("<h2>{}</h2>").format(self.labels.say_this)
        return Markup('<section class="section-{}"{}>{}{}</section>').format(
            node.name,
            lang,
            heading,
            self.nodes(node.children, english or node.english),
        )

    def table(self, node: Node, english: bool) -> Markup:
        head, *rows = node.rows

        def cell(seg: Segment, tag: str) -> Markup:
            if tag == "td" and WRITE_IN.fullmatch(seg.text):
                # A blank to fill in by hand: room to write, not underscores.
                return Markup('<td class="write-in"><span>{}</span></td>').format(
                    seg.text
                )
            return self.block(tag, seg, english)

        def row(cells: list[Segment], tag: str) -> Markup:
            return Markup("<tr>{}</tr>").format(
                Markup("").join(cell(c, tag) for c in cells)
            )

        write_in = any(WRITE_IN.fullmatch(c.text) for r in rows for c in r)
        kind = Markup(' class="write-in-table"') if write_in else Markup()
        return Markup("<table{}><thead>{}</thead><tbody>{}</tbody></table>").format(
            kind, row(head, "th"), Markup("").join(row(r, "td") for r in rows)
        )


def document_msgids(doc: Document) -> list[str]:
    """Return every translatable message of a document: title, summary, blocks."""
    return [doc.title, doc.summary] + [s.text for s in iter_segments(doc.nodes)]


def _renderer(
    doc: Document, lang: Language, labels: Labels, catalog: LoadedCatalog | None
) -> tuple[_Renderer, Stats, bool]:
    """Return a renderer for ``doc`` in ``lang``, its stats, and whether it is
    shown wholly in English because nothing of it is translated."""
    msgids = document_msgids(doc)
    stats = catalog.measure(msgids) if catalog is not None else Stats()
    found: dict[str, str] = {}
    if catalog is not None and lang.tag != "en":
        found = {m: t for m in msgids if (t := catalog.lookup(m)) is not None}
    english = lang.tag != "en" and not found
    return (
        _Renderer(
            found.get,
            lang,
            labels,
            lang.tag != "en" and bool(found),
            doc.source_numbers,
        ),
        stats,
        english,
    )


def render_document(
    doc: Document,
    lang: Language,
    labels: Labels,
    catalog: LoadedCatalog | None = None,
) -> Rendered:
    """Render ``doc`` for ``lang`` with translations from ``catalog``.

    ``labels`` holds the (already translated) interface words, such as the
    note shown on English fallbacks.
    When nothing of the document is translated it is shown in English as a
    whole, marked once, rather than with a note on every block.
    """
    r, stats, english = _renderer(doc, lang, labels, catalog)
    title, title_fallback = r.text(Segment(doc.title, 0, "title"), note=False)
    summary, _ = r.text(Segment(doc.summary, 0, "summary"), note=False)
    nodes = doc.nodes
    lead = Markup()
    if nodes and nodes[0].kind == "section" and nodes[0].name == "say-this":
        lead, nodes = r.nodes(nodes[:1]), nodes[1:]
    return Rendered(
        title=title,
        summary=summary,
        lead=lead,
        body=r.nodes(nodes),
        stats=stats,
        title_lang="en" if title_fallback or english else None,
        english=english,
    )


def render_blocks(
    doc: Document,
    lang: Language,
    labels: Labels,
    catalog: LoadedCatalog | None = None,
) -> list[Markup]:
    """Render each top-level block of ``doc`` on its own, for parallel columns."""
    r, _, _ = _renderer(doc, lang, labels, catalog)
    return [r.nodes([node]) for node in doc.nodes]


def render_section(
    doc: Document,
    name: str,
    lang: Language,
    labels: Labels,
    catalog: LoadedCatalog | None = None,
) -> Markup:
    """Render the children of the section called ``name`` (say, a card side)."""
    r, _, _ = _renderer(doc, lang, labels, catalog)
    for node in doc.nodes:
        if node.kind == "section" and node.name == name:
            return r.nodes(node.children, english=node.english)
    return Markup()
