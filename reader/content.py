"""Content documents: Markdown files with YAML front matter under ``content/``.

A document is a small value object; the store reloads a file when it changes
on disk and keeps serving the last good version when a change breaks it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from .errors import ContentError
from .frontmatter import split_document
from .segment import Node, parse_body

log = logging.getLogger(__name__)

KINDS = ("statement", "guide", "card")
# A slug names a file: at most 80 characters, well under any file system's limit.
SLUG = re.compile(r"^(?=.{1,80}$)[a-z0-9]+(?:-[a-z0-9]+)*$")


def _require(meta: dict, key: str, kind: type, path: Path, lines: dict) -> Any:
    value = meta.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        wanted = {str: "text", list: "a list", dt.date: "a date (YYYY-MM-DD)"}[kind]
        raise ContentError(
            path, lines.get(key, 2), f"front matter field '{key}' must be {wanted}"
        )
    return value


@dataclass(frozen=True)
class Document:
    """A content document: its slug, front matter and Markdown body."""

    slug: str
    path: Path
    meta: dict
    body: str
    body_line: int
    version: tuple[int, int]

    @property
    def title(self) -> str:
        return self.meta["title"].strip()

    @property
    def summary(self) -> str:
        return self.meta["summary"].strip()

    @property
    def kind(self) -> str:
        return self.meta["kind"]

    @property
    def order(self) -> int:
        return int(self.meta.get("order", 100))

    @property
    def last_reviewed(self) -> dt.date | None:
        return self.meta.get("last_reviewed")

    @property
    def sources(self) -> list[str]:
        sources = self.meta.get("sources") or [self.meta.get("source")]
        return [s for s in sources if s]

    @cached_property
    def nodes(self) -> list[Node]:
        """Return the body parsed into blocks (shared with extraction)."""
        return parse_body(self.body, self.body_line)

    def __repr__(self) -> str:
        return f"<Document {self.slug!r}>"


def load_document(path: Path) -> Document:
    """Read and validate one document; raise ContentError naming path and line."""
    stat = path.stat()
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ContentError(path, None, "the file is not UTF-8: save it as UTF-8") from e
    meta, body, body_line, lines = split_document(source, path)
    _require(meta, "title", str, path, lines)
    _require(meta, "summary", str, path, lines)
    kind = _require(meta, "kind", str, path, lines)
    if kind not in KINDS:
        raise ContentError(
            path,
            lines.get("kind"),
            f"front matter field 'kind' is {kind!r}: use one of {', '.join(KINDS)}",
        )
    if kind == "statement":
        _require(meta, "source", str, path, lines)
    else:
        _require(meta, "sources", list, path, lines)
        _require(meta, "last_reviewed", dt.date, path, lines)
    if "order" in meta and not isinstance(meta["order"], int):
        raise ContentError(path, lines.get("order"), "'order' must be a whole number")
    return Document(
        path.stem, path, meta, body, body_line, (stat.st_mtime_ns, stat.st_size)
    )


class ContentStore:
    """The documents of a folder, reloaded when their files change."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._docs: dict[str, Document] = {}
        self._seen: dict[str, tuple[int, int]] = {}
        self.errors: dict[str, ContentError] = {}
        self._prefix = os.path.join(self.directory, "")
        self._lock = threading.Lock()

    def file(self, slug: str) -> str:
        """Return the path of a document's file as a string."""
        # Built each time, not memoized: readers may ask for any slug.
        return f"{self._prefix}{slug}.md"

    def _refresh(self, slug: str, path: Path | str) -> Document | None:
        try:
            stat = os.stat(path)
        except OSError:  # missing, or not a name this file system can hold
            with self._lock:
                self._docs.pop(slug, None)
                self._seen.pop(slug, None)
                self.errors.pop(slug, None)
            return None
        version = (stat.st_mtime_ns, stat.st_size)
        if self._seen.get(slug) == version:
            return self._docs.get(slug)
        with self._lock:
            try:
                self._docs[slug] = load_document(Path(path))
                self.errors.pop(slug, None)
            except (ContentError, OSError) as e:
                error = (
                    e
                    if isinstance(e, ContentError)
                    else ContentError(path, None, str(e))
                )
                self.errors[slug] = error
                # Nothing is lost: the last good version (if any) keeps serving.
                log.error("%s (serving the last good version, if any)", error)
            self._seen[slug] = version
            return self._docs.get(slug)

    def get(self, slug: str) -> Document | None:
        """Return the current document for ``slug``, or None."""
        if not SLUG.match(slug):
            return None
        return self._refresh(slug, self.file(slug))

    def all(self) -> list[Document]:
        """Return every servable document, in reading order."""
        docs = []
        with os.scandir(self.directory) as entries:
            for entry in entries:
                stem, ext = os.path.splitext(entry.name)
                if ext == ".md" and SLUG.match(stem):
                    doc = self._refresh(stem, Path(entry.path))
                    if doc is not None:
                        docs.append(doc)
        return sorted(docs, key=lambda d: (d.order, d.slug))


def get_content() -> ContentStore:
    """Return the content store of the current app."""
    return current_app.extensions["reader.content"]


def init_app(app: Flask) -> None:
    """Attach a content store for ``CONTENT_DIR`` and report broken documents."""
    store = ContentStore(app.config["CONTENT_DIR"])
    app.extensions["reader.content"] = store
    store.all()
