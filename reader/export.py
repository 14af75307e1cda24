"""Static export: the whole reader as files for any static host or a USB stick.

Every page and PDF is requested from the app, in one process per core, and
written out with relative links, so the folder works from a web server, a
CDN, or ``file://``; text files get .gz and .br forms beside them. Each
language also gets an offline ZIP (its pages and PDFs, with English) to pass
from phone to phone. The export is deterministic, checks its own links, and
into an earlier export rewrites only what changed (reader/manifest.py).
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
from flask import Blueprint, Flask, current_app, url_for
from flask.cli import with_appcontext

from . import exportplan, freeze, i18n
from .content import get_content
from .exportplan import HTML_ENDPOINTS, MARKER, ZIPS, pages
from .freeze import (
    copy_files,
    copy_static,
    digest,
    exporting_app,
    render,
    static_files,
    url_path,
)
from .languages import SOURCE
from .printing.pdf import PdfCache
from .printing.views import pdf_response
from .views import resolve

bp = Blueprint("export", __name__)
# Fixed timestamp for ZIP entries: the same input gives the same bytes.
EPOCH = (2020, 1, 1, 0, 0, 0)


def page_paths(languages: list[str]) -> list[str]:
    """Return the path of every HTML page in ``languages`` (no PDFs)."""
    return [
        url_for(endpoint, **values)
        for endpoint, values in pages(languages)
        if endpoint in HTML_ENDPOINTS
    ]


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


def pack_folder(app: Flask, tag: str, folder: Path, files_from: Path | None = None):
    """Write one language's offline pack, with English, into ``folder``: its
    pages rendered by ``app`` (an offline app), its PDFs and pictures copied
    from an export in ``files_from`` (the same bytes) or else rendered."""
    languages = [tag] if tag == SOURCE else [SOURCE, tag]
    app.config["EXPORT_LANGUAGES"] = languages
    with app.test_request_context():
        phone = app.config["PHONE_PACK"]
        urls = [(e, url_for(e, **v)) for e, v in pages(languages, phone)]
    copied = [url_path(u) for e, u in urls if files_from and e not in HTML_ENDPOINTS]
    render(app, [u for _, u in urls if url_path(u) not in copied], folder, False)
    copy_files(copied, files_from, folder)
    # Only the names its pages link: a phone pack carries nothing more.
    copy_static(app, static_files(app), folder, encode=False, plain=False)
    if missing := broken_links(folder):
        raise RuntimeError("offline pack has broken links: " + "; ".join(missing))


def offline_pack(config: dict, tag: str, pdfs: PdfCache, full: bool = False) -> bytes:
    """Return one language's offline ZIP, with English: the phone pack (pages,
    the card's PDF and pictures) or, if ``full``, every PDF for printing too."""
    app = exporting_app({**config, "OFFLINE": True, "PHONE_PACK": not full}, None, pdfs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "rights-reader"
        folder.mkdir()
        pack_folder(app, tag, folder)
        return zip_folder(folder)


def zip_task(tag: str, name: str, out: str) -> tuple[str, str, int]:
    """Write one offline ZIP of an export in this process, from its files."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "rights-reader"
        folder.mkdir()
        pack_folder(freeze.offline_app(ZIPS[name]), tag, folder, Path(out))
        data = zip_folder(folder)
    freeze.write(Path(out) / tag / name, data)
    return f"{tag}/{name}", digest(data), freeze.peak()


@dataclass
class ExportReport:
    """What an export wrote, what it kept from the last one, and whether its
    links hold. ``peak_kb`` is each process's peak resident memory (KB),
    ``own_kb`` the most anonymous memory each held (see ``freeze.peak``)."""

    files: int = 0
    zips: dict[str, int] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    jobs: int = 1
    peak_kb: dict[int, int] = field(default_factory=dict)
    own_kb: dict[int, int] = field(default_factory=dict)

    def note(self, pid: int, peak_kb: int, own_kb: int) -> None:
        """Note what ``freeze.peak()`` said of one process."""
        self.peak_kb[pid] = max(peak_kb, self.peak_kb.get(pid, 0))
        self.own_kb[pid] = max(own_kb, self.own_kb.get(pid, 0))


def export_site(config: dict, out: Path, jobs: int | None = None) -> ExportReport:
    """Export every published language to ``out``, with an offline ZIP each,
    in ``jobs`` processes (one per core by default). Into an earlier export,
    only files whose inputs changed are made again (see reader/manifest.py)."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise click.ClickException(
            f"{out} is not empty and is not an earlier export: choose an empty "
            "folder (an export replaces everything in it)"
        )
    out.mkdir(parents=True, exist_ok=True)
    plan = exportplan.Plan(config, out)
    report = ExportReport(jobs=jobs or os.cpu_count() or 1)
    with exportplan.workers(report.jobs, config, plan.tags) as submit:
        for built, peak in submit(freeze.run, plan.tasks(out)):
            plan.record(built)
            report.rebuilt += [b.path for b in built]
            report.note(*peak)
        for path, hash_, peak in submit(zip_task, plan.zip_tasks(out)):
            plan.record_zip(path, hash_)
            report.rebuilt.append(path)
            report.note(*peak)
    report.rebuilt += plan.write_shared(out)
    report.deleted = plan.finish(out)
    report.files = len(plan.outputs) - len(plan.moved)
    report.zips = {p: (out / p).stat().st_size for p in sorted(plan.zips)}
    report.broken = broken_links(out)
    report.note(*freeze.peak())
    return report


def app_settings(app: Flask) -> dict:
    """Return the settings an export app copies from ``app``."""
    keys = ("CONTENT_DIR", "TRANSLATIONS_DIR", "PUBLISH_THRESHOLD", "PUBLIC_BASE_URL")
    return {key: app.config[key] for key in keys}


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
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes (default: one per core).",
)
@with_appcontext
def export_command(directory: Path, jobs: int | None) -> None:
    """Write the whole reader as static files into DIRECTORY; into an earlier
    export, rewrite only what changed."""
    report = export_site(app_settings(current_app), directory, jobs)
    click.echo(
        f"{report.files} files in {directory}: {len(report.rebuilt)} made, "
        f"{len(report.deleted)} deleted, in {report.jobs} process(es)"
    )
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
