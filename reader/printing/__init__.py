"""The print kit: print views, PDFs, wallet cards and print packs."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from flask import Flask

from .pdf import PdfCache, code_version, pdf_static


def init_app(app: Flask) -> None:
    """Register the print views, the PDF cache and ``flask print``."""
    from . import qr
    from .cli import print_group
    from .views import bp

    qr.init_app(app)
    folder = app.config["PDF_CACHE_DIR"]
    if folder is None:
        folder = Path(app.instance_path) / "pdf-cache"
    app.extensions["reader.pdfs"] = PdfCache(
        app.config["PDF_CACHE_BYTES"],
        Path(folder) if folder else None,
        app.config["PDF_CACHE_DIR_BYTES"],
        # A PDF made by other code (or another WeasyPrint) is another PDF.
        f"{version('weasyprint')} {code_version(Path(__file__).parent.parent)}",
    )
    app.register_blueprint(bp)
    app.add_template_global(pdf_static)
    app.cli.add_command(print_group)
