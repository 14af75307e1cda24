"""Plain-language figures: the Flesch-Kincaid grade of each guide's English.

The grade is computed over the body a reader sees in English (the "Say this"
box, headings, paragraphs, list items, tables), rendered as on the page,
without source numbers or notes. textstat (a test extra) does the counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..content import ContentStore, Document
from ..languages import SOURCE, language
from ..render import Labels, render_document

# The guides' target: grade 5 or below (the statement is quoted, not ours).
MAX_GRADE = 5.0
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}


class _Text(HTMLParser):
    """Collect the text of each block; a block is one or more sentences."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "sup":
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag == "sup":
            self._skip -= 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        self._parts = []
        if text:
            # A heading or a list item without a full stop still ends a sentence.
            self.blocks.append(text if text[-1] in ".?!:;" else text + ".")


def plain_text(doc: Document) -> str:
    """Return a document's English body as a reader sees it, as plain text."""
    page = render_document(doc, language(SOURCE), Labels(refs=False))
    parser = _Text()
    parser.feed(str(page.lead) + str(page.body))
    parser.close()
    return "\n".join(parser.blocks)


@dataclass(frozen=True)
class Score:
    """One document's figures."""

    slug: str
    grade: float
    words: int
    sentences: int


def score(doc: Document) -> Score:
    """Return the Flesch-Kincaid grade of ``doc``'s English body."""
    import textstat  # a test extra: only this command and the tests need it

    text = plain_text(doc)
    return Score(
        doc.slug,
        textstat.flesch_kincaid_grade(text),
        textstat.lexicon_count(text),
        textstat.sentence_count(text),
    )


def scores(directory: Path | str) -> list[Score]:
    """Return the figures of every guide and card in a content folder."""
    return [
        score(doc) for doc in ContentStore(directory).all() if doc.kind != "statement"
    ]
