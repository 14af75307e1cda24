"""PDFs with WeasyPrint: local files only, fonts embedded, cached until a change.

WeasyPrint is imported lazily: it takes a third of a second to import, and a
reader who never prints should not pay for it.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app

from ..pofile import locked, write_atomic
from .tagging import install_lang_tagging

# Pages are rendered against this made-up host; only its /static/ files load.
BASE_HOST = "reader.invalid"
PREFIX = "/static/"
# One WeasyPrint at a time per process: every layout shares the fonts below.
_weasyprint = threading.RLock()


class PdfCache:
    """Generated PDFs: a bounded (by bytes) LRU in memory, and, given a
    ``folder``, files there that every worker of the site shares.

    The folder keeps the PDFs anyone may download (no organizer's lines):
    each is rendered once for the whole site and sent from disk, so a worker
    neither renders it again nor holds it in memory, and its memory stays
    flat however many PDFs are asked for. Past ``folder_bytes``, the oldest
    files go. A folder that cannot be written is not used: PDFs are then
    kept in memory, as without one.
    """

    def __init__(
        self,
        max_bytes: int,
        folder: Path | None = None,
        folder_bytes: int = 512 << 20,
        salt: str = "",
    ) -> None:
        self.max_bytes = max_bytes
        self.folder = folder
        self.folder_bytes = folder_bytes
        # What the bytes depend on besides the key: the code that made them.
        self.salt = salt
        self._pdfs: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], bytes]) -> bytes:
        """Return the PDF for ``key`` from memory, building it on a miss."""
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

    def shared(self, key: Hashable, build: Callable[[], bytes]) -> BinaryIO | bytes:
        """Return the PDF for ``key`` as its file in the folder, open for
        reading, building and writing it on a miss; as bytes from memory
        without a folder.

        One worker builds a PDF while the others asking for it wait, then
        read what it wrote: a print pack takes seconds of CPU.
        """
        if self.folder is None:
            return self.get(key, build)
        name = hashlib.blake2b(repr((self.salt, key)).encode(), digest_size=16)
        path = self.folder / f"{name.hexdigest()}.pdf"
        try:
            try:
                return open(path, "rb")
            except FileNotFoundError:
                pass
            self.folder.mkdir(parents=True, exist_ok=True)
            with locked(self.folder / f"stripe-{name.digest()[0] % 16}"):
                if not path.is_file():
                    write_atomic(path, build())
                    self._prune(keep=path)
                return open(path, "rb")
        except OSError as e:
            current_app.logger.warning(
                "PDF_CACHE_DIR %s cannot be used (%s): PDFs are kept in memory",
                self.folder,
                e.strerror or e,
            )
            self.folder = None
            return self.get(key, build)

    def _prune(self, keep: Path) -> None:
        """Delete the oldest PDFs of the folder (not ``keep``, just written)
        until it holds at most folder_bytes."""
        files = []
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".pdf") and entry.is_file():
                info = entry.stat()
                files.append((info.st_mtime_ns, info.st_size, entry.path))
        total = sum(size for _, size, _ in files)
        for _, size, old in sorted(files):
            if total <= self.folder_bytes:
                break
            if old != str(keep):
                Path(old).unlink(missing_ok=True)
            total -= size


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


@functools.cache
def font_config():
    """Return this process's one WeasyPrint font configuration.

    WeasyPrint makes a new one for each document unless given one, and each
    maps every font file it uses anew: a print pack of 14 documents in
    Chinese held 30 maps of the CJK fonts, about 230 MB resident. One for
    the process loads each font once; our prints have no ``@font-face``
    rules, so it does not grow. Used under ``_weasyprint``: Pango's font map
    is not made to be shared by threads.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


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
    with _weasyprint:
        document = HTML(
            string=html, base_url=f"http://{BASE_HOST}/", url_fetcher=fetch
        ).render(font_config=font_config())
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
    with _weasyprint:
        return documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1")


def html_to_pdf(html: str) -> bytes:
    """Render one HTML page to a tagged PDF/UA-1 file."""
    return write_pdf([layout(html)])


def cached_pdf(key: Hashable, build: Callable[[], str]) -> bytes:
    """Return a cached PDF, rendering the HTML ``build()`` returns on a miss."""
    cache: PdfCache = current_app.extensions["reader.pdfs"]
    return cache.get(key, lambda: html_to_pdf(build()))


def shared_pdf(
    key: Hashable, build: Callable[[], str], private: bool = False
) -> BinaryIO | bytes:
    """Return a PDF as its shared file, open (or bytes, see ``stored_pdf``),
    rendering the HTML ``build()`` returns on a miss."""
    return stored_pdf(key, lambda: html_to_pdf(build()), private)


def stored_pdf(
    key: Hashable, make: Callable[[], bytes], private: bool = False
) -> BinaryIO | bytes:
    """Return a PDF's file in the shared folder, open (its bytes without a
    folder), made with ``make()`` on a miss. A ``private`` PDF (an
    organizer's lines on it) is kept in this process's memory only, never
    on disk."""
    cache: PdfCache = current_app.extensions["reader.pdfs"]
    if private:
        return cache.get(key, make)
    return cache.shared(key, make)
