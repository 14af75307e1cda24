"""The print kit: print views, PDFs, wallet cards and print packs."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ..catalogs import file_version
from ..manifest import code_hash
from .pdf import PdfCache, pdf_static


def init_app(app: Flask) -> None:
    """Register the print views, the PDF cache and ``flask print``."""
    from . import qr
    from .cli import print_group
    from .views import bp

    qr.init_app(app)
    package = Path(__file__).parent.parent
    folder = app.config["PDF_CACHE_DIR"]
    if folder is None:
        folder = Path(app.instance_path) / "pdf-cache"
    salt = ""
    if folder:
        # A PDF made by other code, libraries or static files is another PDF.
        salt = f"{code_hash(package)} {static_versions(package / 'static')}"
    app.extensions["reader.pdfs"] = PdfCache(
        app.config["PDF_CACHE_BYTES"],
        Path(folder) if folder else None,
        app.config["PDF_CACHE_DIR_BYTES"],
        salt,
    )
    app.register_blueprint(bp)
    app.add_template_global(pdf_static)
    app.cli.add_command(print_group)


def static_versions(folder: Path) -> str:
    """Return the versions (mtime, size) of every static file, as one string."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return repr([(p.relative_to(folder).as_posix(), file_version(p)) for p in files])
