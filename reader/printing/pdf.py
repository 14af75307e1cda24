"""PDFs with WeasyPrint: local files only, fonts embedded, cached until a change.

WeasyPrint is imported lazily: it takes a third of a second to import, and a
reader who never prints should not pay for it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from .tagging import install_lang_tagging

# Pages are rendered against this made-up host; only its /static/ files load.
BASE_HOST = "reader.invalid"
PREFIX = "/static/"


class PdfCache:
    """A bounded (by bytes) LRU cache of generated PDFs."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pdfs: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], bytes]) -> bytes:
        """Return the PDF for ``key``, building it on a miss."""
        with self._lock:
            pdf = self._pdfs.get(key)
            if pdf is not None:
                self._pdfs.move_to_end(key)
                return pdf
        pdf = build()
        with self._lock:
            if key not in self._pdfs:
                self._pdfs[key] = pdf
                self._size += len(pdf)
            while self._size > self.max_bytes and len(self._pdfs) > 1:
                _, old = self._pdfs.popitem(last=False)
                self._size -= len(old)
        return pdf


def pdf_static(filename: str) -> str:
    """Return the URL a PDF's HTML loads a static file from.

    The same whatever the request's path, prefix or export: a PDF's bytes
    (and its layout, reused by a pack) depend on its content alone.
    """
    return PREFIX + filename  # on BASE_HOST, the document's base


def _fetcher(static_folder: Path, prefix: str = PREFIX):
    """Return a URL fetcher that serves our static files and refuses the rest.

    A print must never make a request to another host (or read another local
    file), even if a hostile translation slipped a URL past the sanitizer.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = static_folder.resolve()

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.netloc == BASE_HOST and parts.path.startswith(prefix):
                path = (root / parts.path.removeprefix(prefix)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    kind = (
                        mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    )
                    return URLFetcherResponse(
                        url, path.read_bytes(), {"Content-Type": kind}
                    )
            raise ValueError(f"prints load our own static files only, not {url}")

    return StaticOnly(allowed_protocols=("http",))


def layout(html: str):
    """Lay out one HTML page for print: a WeasyPrint ``Document``.

    An export process keeps the layouts of the task it is doing (the
    ``reader.layouts`` dict of its app, emptied between tasks), so that a
    print pack is made of the very pages its guides and card sheets were
    printed on alone, not laid out a second time. The live site keeps none:
    a PDF, once written, is in its cache.
    """
    from weasyprint import HTML

    install_lang_tagging()
    layouts = current_app.extensions.get("reader.layouts")
    if layouts is not None:
        key = hashlib.blake2b(html.encode("utf-8"), digest_size=16).digest()
        if key in layouts:
            return layouts[key]
    fetch = _fetcher(Path(current_app.static_folder))
    document = HTML(
        string=html, base_url=f"http://{BASE_HOST}/", url_fetcher=fetch
    ).render()
    if layouts is not None:
        layouts[key] = document
    return document


def write_pdf(documents: list) -> bytes:
    """Write laid-out documents, one after the other, as one tagged PDF/UA-1
    file whose structure elements carry their own language."""
    pages = [page for document in documents for page in document.pages]
    # PDF/UA-1 turns tags on (the structure tree screen readers follow) and
    # adds /MarkInfo, DisplayDocTitle and the pdfuaid XMP metadata. The
    # catalog's /Lang and the title come from the first document.
    return documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1")


def html_to_pdf(html: str) -> bytes:
    """Render one HTML page to a tagged PDF/UA-1 file."""
    return write_pdf([layout(html)])


def cached_pdf(key: Hashable, build: Callable[[], str]) -> bytes:
    """Return a cached PDF, rendering the HTML ``build()`` returns on a miss."""
    cache: PdfCache = current_app.extensions["reader.pdfs"]
    return cache.get(key, lambda: html_to_pdf(build()))
