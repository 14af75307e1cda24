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
        if current_app.config.get("FREEZER_RELATIVE_URLS"):
            # An export asks for each page once, without compression, and
            # compresses what it writes itself (freeze.write).
            return cls(body, etag, last_modified)
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
        # Werkzeug dates the response here; the server dates it when it sends
        # it. One Date header, and a front cache entry that never goes stale.
        del response.headers["Date"]
    return response


def cached_page(
    key: Hashable,
    build: Callable[[], str],
    files: list[str],
    status: int = 200,
    vary: tuple[str, Hashable] | None = None,
):
    """Serve a page from the cache; ``files`` are the files it is made from.

    The key holds their versions (mtime, size), the published languages,
    which every page lists, and the script root its links start with:
    everything a page depends on besides ``key``. ``build`` must read the
    files itself (after their versions are taken here), never use what was
    read before. The front cache may answer the next requests for it; a page
    that differs by a request header names it in ``vary``: its WSGI name and
    what the view made of it (for the chooser, the negotiated languages), so
    that requests whose header means the same share one entry.
    """
    from .i18n import reader_languages

    versions = tuple(file_version(f) for f in files)
    last_modified = max((v[0] for v in versions if v), default=0)
    langs = tuple(lang.tag for lang in reader_languages())
    page = current_app.extensions["reader.pages"].get(
        (key, versions, langs, request.script_root, status), build, last_modified
    )
    if status == 200 and not request.query_string:
        request.environ[FRONT_KEY] = FrontDeps(tuple(files), versions, vary)
    return respond(page, status)


FRONT_KEY = "reader.front"
# Raw header values remembered with what they mean (an encoding, a language):
# a few hundred cover the browsers readers use; more are worked out again.
MEMO_SIZE = 256
_UNKNOWN = object()


@dataclass(frozen=True)
class FrontDeps:
    """What a view tells the front cache about the page it sent."""

    files: tuple[str, ...]
    versions: tuple
    vary: tuple[str, Hashable] | None = None


class FrontEntry:
    """A page as last sent, with the files it was made from."""

    __slots__ = ("headers", "body", "files", "versions", "made", "checked")

    def __init__(self, headers, body: bytes, deps: FrontDeps, now: float) -> None:
        self.headers = headers
        self.body = body
        self.files = deps.files
        self.versions = deps.versions
        self.made = self.checked = now

    def unchanged(self) -> bool:
        """Tell whether every file the page is made from is as it was."""
        return all(
            file_version(f) == v for f, v in zip(self.files, self.versions, strict=True)
        )


class FrontCache:
    """WSGI middleware that answers repeat requests for unchanged pages from
    memory, before Flask routes them.

    An entry is used while every file it was made from is unchanged on disk,
    checked with a stat per file at most every ``check`` seconds (so a saved
    translation shows within that time), and for at most ``seconds``
    (``PUBLISH_CHECK_SECONDS``), after which Flask serves it again and checks
    which languages are published. A page that varies by a header (the
    chooser, by Accept-Language) is kept once per meaning of the header, not
    per spelling. Conditional and query requests always go to Flask.
    """

    def __init__(self, wsgi_app, seconds: float, size: int, check: float = 1) -> None:
        self.wsgi_app = wsgi_app
        self.seconds = seconds
        self.check = check
        self.size = size
        self.entries: dict[tuple, FrontEntry] = {}
        self.hits = 0
        # Accept-Encoding as sent -> the encoding it asks for.
        self._codings: dict[str | None, str | None] = {}
        # (script root, path) -> the WSGI name of the header the page varies by.
        self._varies: dict[tuple[str, str], str] = {}
        # (script root, path, header as sent) -> what the view made of it.
        self._variants: OrderedDict[tuple, Hashable] = OrderedDict()

    def coding(self, accept_encoding: str | None) -> str | None:
        """Return the encoding a client asks for, remembered per header value."""
        coding = self._codings.get(accept_encoding, _UNKNOWN)
        if coding is _UNKNOWN:
            coding = choose(accept_encoding, ENCODINGS)
            if len(self._codings) >= MEMO_SIZE:
                self._codings.clear()
            self._codings[accept_encoding] = coding
        return coding

    def variant(self, where: tuple[str, str], environ) -> Hashable:
        """Return what the varying header of this request meant last time,
        None for a page that does not vary, or _UNKNOWN."""
        header = self._varies.get(where)
        if header is None:
            return None
        try:
            key = (*where, environ.get(header))
            variant = self._variants[key]
            self._variants.move_to_end(key)
        except KeyError:  # not seen (or just dropped by another thread)
            return _UNKNOWN
        return variant

    def remember(self, where: tuple[str, str], environ, vary) -> Hashable:
        """Keep what a view made of the header this page varies by."""
        if vary is None:
            return None
        header, variant = vary
        self._varies[where] = header
        self._variants[(*where, environ.get(header))] = variant
        try:
            while len(self._variants) > MEMO_SIZE:
                self._variants.popitem(last=False)
        except KeyError:  # another thread emptied it first
            pass
        return variant

    def fresh(self, entry: FrontEntry) -> bool:
        """Tell whether an entry may still be sent, stat-ing its files at most
        every ``check`` seconds."""
        now = time.monotonic()
        if now - entry.made >= self.seconds:
            return False
        if now - entry.checked < self.check:
            return True
        if not entry.unchanged():
            return False
        entry.checked = now
        return True

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
        ):
            return self.wsgi_app(environ, start_response)
        # Links in a page start with the script root (a proxy's prefix), and
        # each encoding is sent as it was made for the first client to ask.
        where = (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""))
        coding = self.coding(environ.get("HTTP_ACCEPT_ENCODING"))
        variant = self.variant(where, environ)
        if variant is not _UNKNOWN:
            entry = self.entries.get((*where, coding, variant))
            if entry is not None and self.fresh(entry):
                self.hits += 1
                start_response("200 OK", list(entry.headers))
                return [entry.body]
        return self.miss(environ, start_response, where, coding)

    def miss(self, environ, start_response, where, coding):
        """Let Flask answer, and keep the page if the view said it may."""
        sent: list = []

        def capture(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        deps = environ.get(FRONT_KEY)
        if deps is None or not sent or not sent[0].startswith("200"):
            return result
        headers = sent[1]
        if any(k.lower() == "set-cookie" for k, _ in headers):
            return result  # someone's session: never for the next reader
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        variant = self.remember(where, environ, deps.vary)
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[(*where, coding, variant)] = FrontEntry(
            headers, body, deps, time.monotonic()
        )
        return [body]


def init_app(app: Flask) -> None:
    """Attach the page cache, and the front cache when pages may be kept."""
    app.extensions["reader.pages"] = PageCache(app.config["PAGE_CACHE_SIZE"])
    seconds = app.config["PUBLISH_CHECK_SECONDS"]
    if seconds > 0:
        app.wsgi_app = FrontCache(
            app.wsgi_app,
            seconds,
            app.config["PAGE_CACHE_SIZE"],
            app.config["FRONT_CHECK_SECONDS"],
        )
        app.extensions["reader.front"] = app.wsgi_app
