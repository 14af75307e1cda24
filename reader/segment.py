"""Split a Markdown document into translation units, and extract them for Babel.

Rendering and extraction share :func:`parse_body`, so the messages in the
catalogs are exactly the units the reader looks up. A unit is one block
(heading, paragraph, list item, table cell) with its inline Markdown kept and
its soft line breaks collapsed, so re-wrapping the English changes no message.

A block may end with source markers, ``[^id]`` naming a source record of the
front matter or ``[^no-claim]``. They are taken off the text, so translators
never copy them, and kept on the segment as ``refs``. A line that starts with
``>`` is a *phrase*: English words a reader says to an officer. Its message
is the English; its translation is what the phrase means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from .frontmatter import split_document

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_ORDERED = re.compile(r"^\d{1,9}[.)]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FENCE_OPEN = re.compile(r"^:::\s*([A-Za-z][\w-]*)((?:\s+[\w-]+)*)\s*$")
_FENCE_CLOSE = re.compile(r"^:::\s*$")
_PHRASE = re.compile(r"^>\s?(.*)$")
_MARKERS = re.compile(r"(?:\s*\[\^([\w-]+)\])+\s*$")
_MARKER = re.compile(r"\[\^([\w-]+)\]")

NO_CLAIM = "no-claim"
# The extracted comment a translator sees on a phrase.
PHRASE_COMMENT = (
    "phrase: English words the reader says out loud to an officer. The reader "
    "sees this English first. Do not write it to be said: write what it means, "
    "in plain words, to show under the English."
)


@dataclass(frozen=True)
class Segment:
    """One translation unit: inline Markdown text and where it came from."""

    text: str
    lineno: int
    kind: str
    refs: tuple[str, ...] = ()


@dataclass
class Node:
    """A block of the document tree: its kind, segments, and child nodes.

    Kinds: ``heading`` (``level``), ``paragraph``, ``phrase`` (English to say
    out loud), ``list`` (``ordered``; one segment per item), ``table``
    (``rows`` of segments, the first row the header) and ``section``
    (``name``; ``english`` marks text that is never translated, such as the
    officer's side of a rights card).
    """

    kind: str
    segments: list[Segment] = field(default_factory=list)
    level: int = 0
    ordered: bool = False
    rows: list[list[Segment]] = field(default_factory=list)
    name: str = ""
    english: bool = False
    children: list[Node] = field(default_factory=list)


def collapse(lines: list[str]) -> str:
    """Join soft-wrapped lines into one line of text.

    >>> collapse(["Do not open", "   the door."])
    'Do not open the door.'
    """
    return " ".join(line.strip() for line in lines if line.strip())


def split_markers(text: str) -> tuple[str, tuple[str, ...]]:
    """Take the source markers off the end of a block's text.

    >>> split_markers("Keep the door closed. [^aclu] [^ilrc]")
    ('Keep the door closed.', ('aclu', 'ilrc'))
    """
    m = _MARKERS.search(text)
    if m is None:
        return text, ()
    return text[: m.start()].rstrip(), tuple(_MARKER.findall(m.group(0)))


def _segment(text: str, lineno: int, kind: str) -> Segment:
    text, refs = split_markers(text)
    return Segment(text, lineno, kind, refs)


def _split_row(line: str) -> list[str]:
    cells = line.strip()
    if cells.startswith("|"):
        cells = cells[1:]
    if cells.endswith("|") and not cells.endswith("\\|"):
        cells = cells[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", cells)]


def _starts_block(line: str) -> bool:
    return bool(
        _HEADING.match(line)
        or _BULLET.match(line)
        or _ORDERED.match(line)
        or _PHRASE.match(line)
        or _FENCE_OPEN.match(line)
        or _FENCE_CLOSE.match(line)
    )


def parse_body(text: str, first_line: int = 1) -> list[Node]:
    """Parse a Markdown body into a tree of nodes; ``first_line`` numbers line 1."""
    lines = text.splitlines()
    root: list[Node] = []
    stack: list[list[Node]] = [root]
    i = 0
    while i < len(lines):
        line = lines[i]
        lineno = first_line + i
        if not line.strip():
            i += 1
            continue
        out = stack[-1]
        if m := _FENCE_OPEN.match(line):
            flags = m.group(2).split()
            section = Node("section", name=m.group(1), english="english" in flags)
            out.append(section)
            stack.append(section.children)
            i += 1
        elif _FENCE_CLOSE.match(line):
            if len(stack) > 1:
                stack.pop()
            i += 1
        elif m := _HEADING.match(line):
            level = len(m.group(1))
            out.append(Node("heading", [Segment(m.group(2), lineno, "heading")], level))
            i += 1
        elif m := _PHRASE.match(line):
            # One phrase a line: each is said (and translated) on its own.
            out.append(Node("phrase", [_segment(m.group(1).strip(), lineno, "phrase")]))
            i += 1
        elif _BULLET.match(line) or _ORDERED.match(line):
            ordered = bool(_ORDERED.match(line))
            pattern = _ORDERED if ordered else _BULLET
            if not (out and out[-1].kind == "list" and out[-1].ordered == ordered):
                out.append(Node("list", ordered=ordered))
            item = [pattern.match(line).group(1)]
            i += 1
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                item.append(lines[i])
                i += 1
            out[-1].segments.append(_segment(collapse(item), lineno, "list item"))
            # A blank line between two items of one kind keeps them in one list.
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and pattern.match(lines[j]):
                i = j
        elif (
            line.lstrip().startswith("|")
            and i + 1 < len(lines)
            and _TABLE_RULE.match(lines[i + 1].strip())
        ):
            table = Node("table")
            table.rows.append(
                [Segment(c, lineno, "table header") for c in _split_row(line)]
            )
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                table.rows.append(
                    [
                        _segment(c, first_line + i, "table cell")
                        for c in _split_row(lines[i])
                    ]
                )
                i += 1
            out.append(table)
        else:
            para = [line]
            i += 1
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                para.append(lines[i])
                i += 1
            out.append(
                Node("paragraph", [_segment(collapse(para), lineno, "paragraph")])
            )
    return root


def iter_segments(nodes: list[Node], *, translatable: bool = True) -> Iterator[Segment]:
    """Yield the segments of a tree in reading order.

    With ``translatable`` (the default), English-only sections are skipped.
    """
    for node in nodes:
        if node.kind == "section":
            if node.english and translatable:
                continue
            yield from iter_segments(node.children, translatable=translatable)
        elif node.kind == "table":
            for row in node.rows:
                yield from (s for s in row if s.text)
        else:
            yield from node.segments


def claim_blocks(nodes: list[Node]) -> Iterator[Segment]:
    """Yield the blocks that must carry a source marker: paragraphs, list
    items, phrases, and the last cell of each table body row."""
    for node in nodes:
        if node.kind == "section":
            yield from claim_blocks(node.children)
        elif node.kind == "table":
            yield from (row[-1] for row in node.rows[1:] if row)
        elif node.kind in ("paragraph", "list", "phrase"):
            yield from node.segments


def extract_markdown(
    fileobj: IO[bytes],
    keywords: Any,
    comment_tags: Any,
    options: dict[str, Any],
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor: yield each translation unit of a content document.

    The front matter's title and summary come first, then the body's blocks;
    each carries an extracted comment naming its block type for translators.
    """
    path = getattr(fileobj, "name", "<document>")
    source = fileobj.read().decode("utf-8")
    meta, body, body_line, meta_lines = split_document(source, path)
    for key in ("title", "summary"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            yield meta_lines.get(key, 1), None, meta[key].strip(), [key]
    for segment in iter_segments(parse_body(body, body_line)):
        comment = PHRASE_COMMENT if segment.kind == "phrase" else segment.kind
        yield segment.lineno, None, segment.text, [comment]
