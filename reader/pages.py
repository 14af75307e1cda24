"""Whole pages: rendered once per (page, language) and kept until a file changes.

A cached page is keyed by the versions (mtime, size) of every file it was
built from, so editing a document or a catalog invalidates it on the next
request, with no restart and no timer.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, Response, current_app, request


@dataclass(frozen=True)
class Page:
    """A rendered page body with its validators."""

    body: bytes
    etag: str
    last_modified: int


class PageCache:
    """A bounded LRU cache of rendered pages."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, Page] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, build: Callable[[], str], last_modified: int) -> Page:
        """Return the page for ``key``, building it with ``build`` on a miss."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                self.hits += 1
                return page
        body = build().encode("utf-8")
        page = Page(
            body, hashlib.blake2b(body, digest_size=12).hexdigest(), last_modified
        )
        with self._lock:
            self.misses += 1
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page

    def clear(self) -> None:
        """Drop every cached page."""
        with self._lock:
            self._pages.clear()


def respond(page: Page, status: int = 200) -> Response:
    """Turn a page into a response that answers conditional requests."""
    response = current_app.response_class(
        page.body, status=status, mimetype="text/html"
    )
    if status == 200:
        response.set_etag(page.etag)
        if page.last_modified:
            response.last_modified = page.last_modified // 1_000_000_000
        # Pages are small and change when a translation lands: let browsers
        # and caches keep them, but ask every time whether they are current.
        response.cache_control.public = True
        response.cache_control.no_cache = True
        response.make_conditional(request)
    return response


def cached_page(key: Hashable, build: Callable[[], str], versions, status: int = 200):
    """Serve a page from the cache; ``versions`` are its files' (mtime, size).

    The published languages are part of every key: each page lists them.
    """
    from .i18n import reader_languages

    stamps = tuple(v for v in versions if v)
    last_modified = max((v[0] for v in stamps), default=0)
    langs = tuple(lang.tag for lang in reader_languages())
    page = current_app.extensions["reader.pages"].get(
        (key, stamps, langs, status), build, last_modified
    )
    return respond(page, status)


def init_app(app: Flask) -> None:
    """Attach the page cache."""
    app.extensions["reader.pages"] = PageCache(app.config["PAGE_CACHE_SIZE"])
