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
from .segment import NO_CLAIM, Node, parse_body

log = logging.getLogger(__name__)

KINDS = ("statement", "guide", "card")
# A slug names a file: at most 80 characters, well under any file system's limit.
SLUG = re.compile(r"^(?=.{1,80}$)[a-z0-9]+(?:-[a-z0-9]+)*$")
SOURCE_FIELDS = ("id", "org", "title", "url", "read")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


@dataclass(frozen=True)
class Source:
    """A source record: who published what, where, and when we read it."""

    id: str
    org: str
    title: str
    url: str
    read: dt.date


def _require(meta: dict, key: str, kind: type, path: Path, lines: dict) -> Any:
    value = meta.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        wanted = {str: "text", list: "a list", dt.date: "a date (YYYY-MM-DD)"}[kind]
        raise ContentError(
            path, lines.get(key, 2), f"front matter field '{key}' must be {wanted}"
        )
    return value


def _sources(meta: dict, path: Path, lines: dict) -> tuple[Source, ...]:
    """Validate the ``sources`` records of a guide or card."""
    line = lines.get("sources", 2)
    records, seen = [], set()
    for n, item in enumerate(meta["sources"], 1):
        where = f"front matter 'sources', item {n}"
        if not isinstance(item, dict):
            raise ContentError(
                path,
                line,
                f"{where} is {item!r}: each source must be a record with the "
                f"fields {', '.join(SOURCE_FIELDS)} (organisation, page title, "
                "URL and the date you read it)",
            )
        missing = [f for f in SOURCE_FIELDS if not item.get(f)]
        if missing:
            raise ContentError(
                path, line, f"{where} has no {', '.join(missing)}: add it"
            )
        sid = str(item["id"])
        if not SLUG.match(sid) or sid == NO_CLAIM or sid in seen:
            raise ContentError(
                path,
                line,
                f"{where}: id {sid!r} must be unique, made of a-z, 0-9 and '-', "
                f"and not {NO_CLAIM!r}",
            )
        if not _URL.match(str(item["url"])):
            raise ContentError(
                path, line, f"{where} ({sid}): url must start with https:// or http://"
            )
        if not isinstance(item["read"], dt.date):
            raise ContentError(
                path, line, f"{where} ({sid}): read must be a date (YYYY-MM-DD)"
            )
        seen.add(sid)
        records.append(
            Source(sid, str(item["org"]), str(item["title"]), item["url"], item["read"])
        )
    return tuple(records)


@dataclass(frozen=True)
class Document:
    """A content document: its slug, front matter and Markdown body."""

    slug: str
    path: Path
    meta: dict
    body: str
    body_line: int
    version: tuple[int, int]
    sources: tuple[Source, ...] = ()

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
    def checked(self) -> dt.date | None:
        """When the English was last checked against its sources."""
        return self.meta.get("checked")

    @property
    def attribution(self) -> str:
        """Where a statement comes from (a statement has no source records)."""
        return str(self.meta.get("source") or "")

    @cached_property
    def source_numbers(self) -> dict[str, int]:
        """Number each source record (1, 2, ...) in front-matter order."""
        return {s.id: n for n, s in enumerate(self.sources, 1)}

    def has_section(self, name: str) -> bool:
        """Say whether the body has a ``::: name`` section at its top level."""
        return any(n.kind == "section" and n.name == name for n in self.nodes)

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
    sources: tuple[Source, ...] = ()
    if kind == "statement":
        _require(meta, "source", str, path, lines)
    else:
        _require(meta, "sources", list, path, lines)
        _require(meta, "checked", dt.date, path, lines)
        sources = _sources(meta, path, lines)
    if "legal_review" in meta:
        _require(meta, "legal_review", list, path, lines)
    if "order" in meta and not isinstance(meta["order"], int):
        raise ContentError(path, lines.get("order"), "'order' must be a whole number")
    return Document(
        path.stem,
        path,
        meta,
        body,
        body_line,
        (stat.st_mtime_ns, stat.st_size),
        sources,
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
