"""The print kit: print views, PDFs, wallet cards and print packs."""

from __future__ import annotations

from flask import Flask

from .pdf import PdfCache, pdf_static


def init_app(app: Flask) -> None:
    """Register the print views, the PDF cache and ``flask print``."""
    from . import qr
    from .cli import print_group
    from .views import bp

    qr.init_app(app)
    app.extensions["reader.pdfs"] = PdfCache(app.config["PDF_CACHE_BYTES"])
    app.register_blueprint(bp)
    app.add_template_global(pdf_static)
    app.cli.add_command(print_group)
