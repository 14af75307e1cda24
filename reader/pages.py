"""Whole pages: rendered once per (page, language) and kept until a file changes.

A cached page is keyed by the versions (mtime, size) of every file it was
built from, so editing a document or a catalog invalidates it on the next
request, with no restart and no timer.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, request

from .catalogs import file_version
from .compress import ENCODINGS, STORED, choose, encode


@dataclass(frozen=True)
class Page:
    """A rendered page body with its validators and its compressed forms."""

    body: bytes
    etag: str
    last_modified: int
    encoded: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def make(cls, html: str, last_modified: int = 0, quality: int = STORED) -> Page:
        """Encode a rendered page, once, in every way it may be sent."""
        body = html.encode("utf-8")
        etag = hashlib.blake2b(body, digest_size=12).hexdigest()
        return cls(body, etag, last_modified, encode(body, quality))


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
        page = Page.make(build(), last_modified)
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
    """Turn a page into a response that answers conditional requests, in the
    best encoding the client accepts."""
    coding = choose(request.headers.get("Accept-Encoding"), page.encoded)
    response = current_app.response_class(
        page.encoded[coding] if coding else page.body,
        status=status,
        mimetype="text/html",
    )
    response.vary.add("Accept-Encoding")
    if coding:
        response.content_encoding = coding
    if status == 200:
        # Each encoding is its own representation, with its own strong ETag.
        response.set_etag(f"{page.etag}-{coding}" if coding else page.etag)
        if page.last_modified:
            response.last_modified = page.last_modified // 1_000_000_000
        # Pages are small and change when a translation lands: let browsers
        # and caches keep them, but ask every time whether they are current.
        response.cache_control.public = True
        response.cache_control.no_cache = True
        response.make_conditional(request)
    return response


def cached_page(
    key: Hashable,
    build: Callable[[], str],
    files: list[str],
    status: int = 200,
    front: bool = True,
):
    """Serve a page from the cache; ``files`` are the files it is made from.

    The key holds their versions (mtime, size), the published languages,
    which every page lists, and the script root its links start with:
    everything a page depends on besides ``key``. ``build`` must read the
    files itself (after their versions are taken here), never use what was
    read before. Unless ``front`` is false (a page that differs by request
    header), the front cache may answer the next requests for it.
    """
    from .i18n import reader_languages

    versions = tuple(file_version(f) for f in files)
    last_modified = max((v[0] for v in versions if v), default=0)
    langs = tuple(lang.tag for lang in reader_languages())
    page = current_app.extensions["reader.pages"].get(
        (key, versions, langs, request.script_root, status), build, last_modified
    )
    if front and status == 200 and not request.query_string:
        request.environ[FRONT_KEY] = (tuple(files), versions)
    return respond(page, status)


FRONT_KEY = "reader.front"


@dataclass(frozen=True)
class FrontEntry:
    """A page as last sent, with the files it was made from."""

    headers: list[tuple[str, str]]
    body: bytes
    files: tuple[str, ...]
    versions: tuple
    made: float

    def fresh(self, seconds: float) -> bool:
        """Tell whether no file changed and the published set is recent."""
        if time.monotonic() - self.made >= seconds:
            return False
        return all(
            file_version(f) == v for f, v in zip(self.files, self.versions, strict=True)
        )


class FrontCache:
    """WSGI middleware that answers repeat requests for unchanged pages from
    memory, before Flask routes them.

    An entry is used only while every file it was made from is unchanged on
    disk (checked with a stat per file on each request), so a saved
    translation still shows on the next request, and for at most
    ``PUBLISH_CHECK_SECONDS``, after which Flask serves it again and checks
    which languages are published. Conditional and query requests always go
    to Flask.
    """

    def __init__(self, wsgi_app, seconds: float, size: int) -> None:
        self.wsgi_app = wsgi_app
        self.seconds = seconds
        self.size = size
        self.entries: dict[tuple[str, str, str | None], FrontEntry] = {}
        self.hits = 0

    def __call__(self, environ, start_response):
        cacheable = (
            environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("QUERY_STRING")
            and "HTTP_IF_NONE_MATCH" not in environ
            and "HTTP_IF_MODIFIED_SINCE" not in environ
        )
        # Links in a page start with the script root (a proxy's prefix), and
        # each encoding is sent as it was made for the first client to ask.
        path = (
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            choose(environ.get("HTTP_ACCEPT_ENCODING"), ENCODINGS),
        )
        if cacheable:
            entry = self.entries.get(path)
            if entry is not None and entry.fresh(self.seconds):
                self.hits += 1
                start_response("200 OK", list(entry.headers))
                return [entry.body]
        sent: list = []

        def capture(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        deps = environ.get(FRONT_KEY)
        if not cacheable or deps is None or not sent or not sent[0].startswith("200"):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[path] = FrontEntry(
            list(sent[1]), body, deps[0], deps[1], time.monotonic()
        )
        return [body]


def init_app(app: Flask) -> None:
    """Attach the page cache, and the front cache when pages may be kept."""
    app.extensions["reader.pages"] = PageCache(app.config["PAGE_CACHE_SIZE"])
    seconds = app.config["PUBLISH_CHECK_SECONDS"]
    if seconds > 0:
        app.wsgi_app = FrontCache(app.wsgi_app, seconds, app.config["PAGE_CACHE_SIZE"])
        app.extensions["reader.front"] = app.wsgi_app
