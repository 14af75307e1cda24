"""Static export: the whole reader as files for any static host or a USB stick.

Frozen-Flask requests every page and PDF and writes them out with relative
links, so the folder works from a web server, a CDN, or ``file://``. Each
language also gets an offline ZIP (its pages and PDFs, with English) to pass
from phone to phone. The export is deterministic and checks its own links.
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
from flask import Blueprint, Flask, current_app, url_for
from flask.cli import with_appcontext

from . import i18n
from .content import get_content
from .languages import SOURCE
from .printing.pdf import PdfCache
from .printing.views import pdf_response
from .views import resolve

bp = Blueprint("export", __name__)

MARKER = ".rights-reader-export"
# Fixed timestamp for ZIP entries: the same input gives the same bytes.
EPOCH = (2020, 1, 1, 0, 0, 0)


def pages(languages: list[str], phone: bool = False) -> Iterator[tuple[str, dict]]:
    """Yield (endpoint, values) for every page and PDF in ``languages`` (tags).

    The phone pack (``phone``) has the pages, the card's PDF and its pictures:
    no print views and none of the PDFs made for printing on paper.
    """
    yield "reader.chooser", {}
    docs = get_content().all()
    for tag in languages:
        yield "reader.index", {"lang": tag}
        yield "reader.credits", {"lang": tag}
        if not phone:
            for paper in ("letter", "a4"):
                yield "print.pack_pdf", {"lang": tag, "paper": paper}
        for doc in docs:
            page = {"lang": tag, "slug": doc.slug}
            yield "reader.document", page
            if not phone:
                yield "print.guide", page
                for paper in ("letter", "a4"):
                    yield "print.guide_pdf", {**page, "paper": paper}
            if doc.has_section("officer"):
                yield "reader.officer", page
            if doc.kind == "card":
                yield "print.card_pdf", page
                for side in ("front", "back"):
                    yield "print.card_image", {**page, "side": side}
                if not phone:
                    for paper in ("letter", "a4"):
                        yield "print.sheet_pdf", {**page, "paper": paper}


HTML_ENDPOINTS = {
    "reader.chooser",
    "reader.index",
    "reader.credits",
    "reader.document",
    "reader.officer",
    "print.guide",
}


def page_paths(languages: list[str]) -> list[str]:
    """Return the path of every HTML page in ``languages`` (no PDFs)."""
    return [
        url_for(endpoint, **values)
        for endpoint, values in pages(languages)
        if endpoint in HTML_ENDPOINTS
    ]


def exporting_app(config: dict, languages: list[str] | None, pdfs: PdfCache) -> Flask:
    """Return an app that renders relative links for ``languages`` (or all)."""
    from . import create_app

    app = create_app(
        {
            **config,
            "EXPORT_LANGUAGES": languages,
            "FREEZER_RELATIVE_URLS": True,
            "FREEZER_REMOVE_EXTRA_FILES": True,
            "FREEZER_IGNORE_MIMETYPE_WARNINGS": True,
        }
    )
    # PDFs do not depend on the language list: share them between exports.
    app.extensions["reader.pdfs"] = pdfs
    return app


def freeze(config: dict, out: Path, languages: list[str], pdfs: PdfCache) -> int:
    """Write the reader for ``languages`` into ``out``; return the file count.

    ``PHONE_PACK`` in ``config`` leaves out what is only for printing.
    """
    from flask_frozen import Freezer, MissingURLGeneratorWarning

    app = exporting_app(config, languages, pdfs)
    app.config["FREEZER_DESTINATION"] = str(out)
    freezer = Freezer(app, with_no_argument_rules=False, log_url_for=False)
    phone = bool(config.get("PHONE_PACK"))
    freezer.register_generator(lambda: pages(languages, phone))
    with app.app_context(), warnings.catch_warnings():
        # The offline ZIP and /healthz are left out of exports on purpose.
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        urls = freezer.freeze()
    (out / MARKER).write_text("Made by flask --app reader export.\n", encoding="utf-8")
    return len(urls)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)


def broken_links(out: Path) -> list[str]:
    """Return every internal link in ``out``'s pages whose file is missing."""
    broken = []
    for page in sorted(out.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or this page (a fragment or a form)
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or not target.is_relative_to(out.resolve()):
                broken.append(f"{page.relative_to(out)}: {link}")
    return broken


def zip_folder(folder: Path) -> bytes:
    """Return a deterministic ZIP of a folder (sorted, fixed timestamps), its
    start page (the top ``index.html``) first, where a file manager lists it
    at the top."""
    buf = io.BytesIO()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    files.sort(key=lambda p: p != folder / "index.html")
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            name = path.relative_to(folder).as_posix()
            if name == MARKER:
                continue
            info = zipfile.ZipInfo(name, EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buf.getvalue()


def offline_pack(config: dict, tag: str, pdfs: PdfCache, full: bool = False) -> bytes:
    """Return one language's offline ZIP, with English: the phone pack (pages,
    the card's PDF and pictures) or, if ``full``, every PDF for printing too."""
    languages = [tag] if tag == SOURCE else [SOURCE, tag]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rights-reader"
        out.mkdir()
        pack = {**config, "OFFLINE": True, "PHONE_PACK": not full}
        freeze(pack, out, languages, pdfs)
        if missing := broken_links(out):
            raise RuntimeError("offline pack has broken links: " + "; ".join(missing))
        return zip_folder(out)


@dataclass
class ExportReport:
    """What an export wrote and whether its links hold."""

    files: int = 0
    zips: dict[str, int] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)


def export_site(config: dict, out: Path) -> ExportReport:
    """Export every published language to ``out``, with an offline ZIP each."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise click.ClickException(
            f"{out} is not empty and is not an earlier export: choose an empty "
            "folder (an export replaces everything in it)"
        )
    out.mkdir(parents=True, exist_ok=True)
    pdfs = PdfCache(1 << 30)
    with exporting_app(config, None, pdfs).app_context():
        tags = [lang.tag for lang in i18n.reader_languages()]
    report = ExportReport(files=freeze(config, out, tags, pdfs))
    for tag in tags:
        for name, full in ZIPS.items():
            data = offline_pack(config, tag, pdfs, full)
            (out / tag / name).write_bytes(data)
            report.zips[f"{tag}/{name}"] = len(data)
    report.broken = broken_links(out)
    return report


def app_settings(app: Flask) -> dict:
    """Return the settings an export app copies from ``app``."""
    keys = ("CONTENT_DIR", "TRANSLATIONS_DIR", "PUBLISH_THRESHOLD", "PUBLIC_BASE_URL")
    return {key: app.config[key] for key in keys}


# The phone pack, and the full pack with every PDF for printing.
ZIPS = {"offline.zip": False, "offline-full.zip": True}


@bp.route("/<lang>/offline.zip")
def offline_zip(lang: str):
    """Download a language's phone pack for offline reading, as one ZIP."""
    return offline_download(lang, full=False)


@bp.route("/<lang>/offline-full.zip")
def offline_full_zip(lang: str):
    """Download a language with every PDF for printing, as one ZIP."""
    return offline_download(lang, full=True)


def offline_download(lang: str, full: bool):
    """Send one of a language's offline ZIPs, made once per version."""
    language_ = resolve(lang)
    store = i18n.get_catalogs()
    docs = get_content().all()
    domains = [i18n.INTERFACE, *(d.slug for d in docs)]
    versions = [store.version(loc, dom) for loc in store.locales() for dom in domains]
    key = ("offline", full, language_.tag, tuple(versions + [d.version for d in docs]))
    cache = current_app.extensions["reader.pdfs"]
    data = cache.get(
        key,
        lambda: offline_pack(app_settings(current_app), language_.tag, cache, full),
    )
    name = f"rights-reader-{language_.tag}" + ("-full" if full else "")
    response = pdf_response(data, name)
    response.mimetype = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.zip"'

    return response


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(directory: Path) -> None:
    """Write the whole reader as static files into DIRECTORY."""
    report = export_site(app_settings(current_app), directory)
    click.echo(f"wrote {report.files} files to {directory}")
    for name, size in report.zips.items():
        click.echo(f"  {name} {size // 1024} KB")
    if report.broken:
        for link in report.broken:
            click.echo(f"broken link: {link}", err=True)
        raise click.ClickException(f"{len(report.broken)} broken link(s)")
    click.echo("every internal link resolves to a file in the export")


def init_app(app: Flask) -> None:
    """Register the offline ZIP route and ``flask export``."""
    app.register_blueprint(bp)
    app.cli.add_command(export_command)
