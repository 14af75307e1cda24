"""One export process: render pages and PDFs to files, noting what each is made from.

Each process of a parallel export builds its own app once and renders the
URLs it is given, one request each, with relative links. While a URL
renders, every file whose version keys its page or PDF (the same lists the
live caches are invalidated by) is noted: the manifest of an incremental
export is made of these lists.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from flask import Flask

from . import catalogs
from .printing.pdf import PdfCache
from .static import hashed_name

# The modules whose views key pages and PDFs by file versions. Not i18n nor
# reviews: they check every catalog to know which languages are published,
# which the manifest records once for the whole export.
TRACKED = ("reader.pages", "reader.views", "reader.printing.views")
# A process keeps only the PDFs and pages the next few URLs reuse (a card's
# PDF for its pictures): everything else is on disk once written.
PROCESS_PDF_BYTES = 16 << 20
PROCESS_PAGES = 16
# Text files get a .gz and a .br beside them, for gzip_static and CDNs.
TEXT_SUFFIXES = {".html", ".css", ".js", ".svg", ".json", ".txt", ".xml"}
TEXT_SUFFIXES.add(".webmanifest")
ENCODED = {"gzip": ".gz", "br": ".br"}


@dataclass
class Built:
    """One file an export wrote: its path in the export, hash and inputs."""

    path: str
    digest: str
    inputs: list[str]


def digest(data: bytes) -> str:
    """Return the hash the manifest records for some bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def exporting_app(config: dict, languages: list[str] | None, pdfs: PdfCache) -> Flask:
    """Return an app that renders relative links for ``languages`` (or all)."""
    from . import create_app

    app = create_app(
        {
            **config,
            "EXPORT_LANGUAGES": languages,
            "FREEZER_RELATIVE_URLS": True,
            "PAGE_CACHE_SIZE": PROCESS_PAGES,
        }
    )
    app.extensions["reader.pdfs"] = pdfs
    # The layouts of the task being done: a pack reuses its guides' pages.
    app.extensions["reader.layouts"] = {}
    # Each URL is requested once, and an offline pack asks for the same path
    # with other languages: the front cache (keyed by path) must not answer.
    front = app.extensions.pop("reader.front", None)
    if front is not None:
        app.wsgi_app = front.wsgi_app
    return app


def url_path(url: str) -> str:
    """Return the file a URL is written to: ``/es/door/`` is ``es/door/index.html``.

    >>> url_path("/es/door/"), url_path("/es/door/a4.pdf")
    ('es/door/index.html', 'es/door/a4.pdf')
    """
    path = unquote(url)
    return (path + "index.html" if path.endswith("/") else path).lstrip("/")


@contextmanager
def noting(files: list[str]):
    """Append to ``files`` every file whose version keys what renders now."""
    original = catalogs.file_version

    def noted(path):
        files.append(str(path))
        return original(path)

    modules = [sys.modules[name] for name in TRACKED]
    for module in modules:
        module.file_version = noted
    try:
        yield files
    finally:
        for module in modules:
            module.file_version = original


def write(path: Path, data: bytes, encode: bool = True) -> None:
    """Write ``data`` unless the file already holds it (rsync keeps its mtime),
    and its compressed forms beside a text file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    if encode and path.suffix in TEXT_SUFFIXES:
        from .compress import encode as compressed

        made = compressed(data)
        for name, suffix in ENCODED.items():
            beside = path.with_name(path.name + suffix)
            if name in made:
                write(beside, made[name], encode=False)
            else:  # not smaller: the server sends the file itself
                beside.unlink(missing_ok=True)


def render(app: Flask, urls: Iterable[str], out: Path, encode: bool = True) -> list:
    """Request each URL from ``app`` and write it under ``out``."""
    from flask_frozen import patch_url_for

    built = []
    client = app.test_client()
    layouts = app.extensions.get("reader.layouts", {})
    layouts.clear()
    with app.app_context(), patch_url_for(app):
        for url in urls:
            inputs: list[str] = []
            with noting(inputs):
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"export: {url} answered {response.status}")
            data = response.get_data()
            path = url_path(url)
            write(out / path, data, encode)
            built.append(Built(path, digest(data), sorted(set(inputs))))
    note_own()
    layouts.clear()
    return built


def static_files(app: Flask) -> list[str]:
    """Return the app's static files, relative to its static folder, sorted."""
    root = Path(app.static_folder)
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    )


def copy_static(
    app: Flask, names: Iterable[str], out: Path, encode: bool = True, plain=True
) -> list[Built]:
    """Copy static files into ``out/static``, each under the hashed name pages
    link it by and (if ``plain``) its plain name: each is its own input."""
    built = []
    for name in names:
        source = Path(app.static_folder) / name
        data = source.read_bytes()
        paths = exported_static(app, name)
        for path in paths if plain else paths[1:]:
            write(out / path, data, encode)
            built.append(Built(path, digest(data), [str(source)]))
    return built


def exported_static(app: Flask, name: str) -> tuple[str, str]:
    """Return the two paths a static file has in an export: plain, hashed."""
    return f"static/{name}", f"static/{hashed_name(app.static_folder, name)}"


# A worker process's own app, built once by ``start`` (each process of the
# pool has its own; nothing is shared between them).
_process: dict = {}


def start(config: dict, languages: list[str]) -> None:
    """Build this process's app (pool initializer)."""
    _process["app"] = exporting_app(config, languages, PdfCache(PROCESS_PDF_BYTES))
    _process["config"] = config


def _status(field: str) -> int | None:
    """Return one memory figure (KB) of this process's /proc status, if any."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# The most anonymous memory this process held at the end of a task.
_own = {"kb": 0}


def note_own() -> None:
    """Note this process's own memory now (while a task still holds it)."""
    _own["kb"] = max(_own["kb"], _status("RssAnon") or 0)


def peak() -> tuple[int, int, int]:
    """Return this process's id, its peak resident memory (KB) and the most
    memory of its own it was seen to hold (KB).

    Linux's VmHWM is this process's own; ``ru_maxrss`` would also hold the
    peak of the process it was forked from (it survives exec). Resident
    memory counts the font files the text engine maps (most of it for CJK
    fonts): pages shared by every process and given back under pressure. The
    second figure is the anonymous part alone, sampled at the end of each task.
    """
    note_own()
    hwm = _status("VmHWM")
    if hwm is None:
        hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return os.getpid(), hwm, _own["kb"]


def run(urls: list[str], static: list[str], out: str) -> tuple[list[Built], tuple]:
    """Render one task in this process; return what it wrote and ``peak()``."""
    app = _process["app"]
    built = copy_static(app, static, Path(out)) + render(app, urls, Path(out))
    return built, peak()


def offline_app(full: bool) -> Flask:
    """Return this process's app for offline packs (phone or ``full``), built
    on first use. Two apps: a page's cache key does not say which pack."""
    if ("offline", full) not in _process:
        config = {**_process["config"], "OFFLINE": True, "PHONE_PACK": not full}
        pdfs = PdfCache(PROCESS_PDF_BYTES)
        _process["offline", full] = exporting_app(config, None, pdfs)
    return _process["offline", full]


def stop() -> None:
    """Drop this process's apps (an export that ran in the calling process)."""
    _process.clear()


def copy_files(names: Iterable[str], source: Path, out: Path) -> None:
    """Copy already exported files (PDFs, pictures) into a pack's folder."""
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, out / name)
