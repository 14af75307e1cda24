"""Rights Reader: know-your-rights guides and a campaign statement in many languages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create and wire the reader app; settings come from ``READER_*`` variables."""
    app = Flask(__name__)
    app.config.from_mapping(
        CONTENT_DIR=str(ROOT / "content"),
        TRANSLATIONS_DIR=str(ROOT / "translations"),
        # Percent of a language's words (interface and documents) translated
        # before readers are offered it; checked again every few seconds.
        PUBLISH_THRESHOLD=80,
        PUBLISH_CHECK_SECONDS=2.0,
        # A repeat request is answered from memory; the files a page is made
        # from are checked again at most this often (a saved edit shows then).
        FRONT_CHECK_SECONDS=1.0,
        PAGE_CACHE_SIZE=1024,
        # Where printed QR codes and invite links point. Never the request's
        # host: unset, prints carry the page's path and no QR code.
        PUBLIC_BASE_URL=None,
        PDF_CACHE_BYTES=64 * 1024 * 1024,
        # PDFs anyone may download are written here once and sent from disk
        # by every worker; None: instance/pdf-cache; "": kept in memory only.
        PDF_CACHE_DIR=None,
        PDF_CACHE_DIR_BYTES=512 * 1024 * 1024,
        # Static exports: only these languages (tags); hide the offline ZIP link.
        EXPORT_LANGUAGES=None,
        OFFLINE=False,
        # An offline ZIP for phones: no print views, no PDFs but the card's.
        PHONE_PACK=False,
        # The translator web's database (accounts, suggestions, history).
        TRANSLATOR_DB=str(Path(app.instance_path) / "translators.sqlite3"),
        MAX_UPLOAD_BYTES=2 * 1024 * 1024,
        # Commit what the translator web writes: auto (when the translations
        # are in a git work tree), on (refuse to write otherwise) or off.
        TRANSLATIONS_GIT="auto",
        # Push those commits there, outside requests; None: never push.
        TRANSLATIONS_GIT_REMOTE=None,
        # The remote branch to push to; None: the checked-out branch's name.
        TRANSLATIONS_GIT_BRANCH=None,
        # Commits name translators <username>@ this domain, unless they chose
        # to publish an address: never their sign-in e-mail.
        TRANSLATOR_NOREPLY_DOMAIN="users.noreply.invalid",
    )
    app.config.from_prefixed_env("READER")
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["MAX_CONTENT_LENGTH"] is None:
        # No request body may be larger than the largest upload and its form;
        # routes that take less set lower limits of their own.
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_BYTES"] + 64 * 1024

    from . import (
        content,
        contrib,
        export,
        i18n,
        offline,
        pages,
        printing,
        security,
        static,
        translate,
        views,
    )

    security.init_app(app)
    content.init_app(app)
    i18n.init_app(app)
    pages.init_app(app)
    static.init_app(app)
    translate.init_app(app)
    app.register_blueprint(views.bp)
    printing.init_app(app)
    export.init_app(app)
    offline.init_app(app)
    contrib.init_app(app)
    return app
