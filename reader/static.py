"""Versioned static files: a content hash in the URL, cached for a year."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from markupsafe import Markup
from werkzeug.security import safe_join

from .compress import TEXT_TYPES, choose, static_variants

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"


@lru_cache(maxsize=64)
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=6).hexdigest()


def link_for(endpoint: str, **values) -> str:
    """Return a URL, relative to the current page when exporting static files."""
    if current_app.config.get("FREEZER_RELATIVE_URLS"):
        from flask_frozen import relative_url_for

        return relative_url_for(endpoint, **values)
    return url_for(endpoint, **values)


def hashed_name(folder: str | Path, filename: str) -> str:
    """Return the name an export gives a static file: its content hash
    before the suffix (``offline.1a2b3c4d5e6f.js``), so that a host may let
    browsers keep it for ever. A new version is a new name."""
    path = Path(folder) / filename
    stem, dot, suffix = filename.rpartition(".")
    version = _digest(str(path), path.stat().st_mtime_ns)
    return f"{stem}.{version}.{suffix}" if dot else f"{filename}.{version}"


# What an export's hashed names look like, for the hosts' cache rules.
HASHED = re.compile(r"\.[0-9a-f]{12}(\.[A-Za-z0-9]+)?$")


def static_url(filename: str) -> str:
    """Return the URL of a static file with its content hash as version."""
    if current_app.config.get("FREEZER_RELATIVE_URLS"):
        # An export (read from file:// too, where a query string would name
        # another file) puts the hash in the name, relative to the page.
        name = hashed_name(current_app.static_folder, filename)
        return link_for("static", filename=name)
    path = Path(current_app.static_folder) / filename
    version = _digest(str(path), path.stat().st_mtime_ns)
    return url_for("static", filename=filename, v=version)


# Stylesheets set inline in pages, so the first response is all a reader's
# phone needs to draw the page: no second round trip before text appears.
INLINE = ("style.css", "print.css", "card.css")
COMMENT = re.compile(r"/\*.*?\*/\n?", re.S)


@lru_cache(maxsize=16)
def _inline_text(path: str, mtime_ns: int) -> str:
    # Our stylesheets hold no "/*" inside strings: comments can simply go.
    return COMMENT.sub("", Path(path).read_text(encoding="utf-8")).strip()


def inline_text(filename: str) -> str:
    """Return a stylesheet as set inline: its rules, without comments."""
    if filename not in INLINE:
        raise ValueError(f"{filename} is not one of the inline stylesheets {INLINE}")
    path = Path(current_app.static_folder) / filename
    return _inline_text(str(path), path.stat().st_mtime_ns)


def inline_css(filename: str) -> Markup:
    """Return a ``<style>`` element with a stylesheet, allowed by its hash."""
    return Markup("<style>{}</style>").format(Markup(inline_text(filename)))


@lru_cache(maxsize=16)
def _style_hash(path: str, mtime_ns: int) -> str:
    digest = hashlib.sha256(_inline_text(path, mtime_ns).encode("utf-8")).digest()
    return "'sha256-{}'".format(base64.b64encode(digest).decode("ascii"))


def style_hashes() -> list[str]:
    """Return the CSP sources of the inline stylesheets as they are now."""
    # Every HTML response asks: hash each file once per version, not per page.
    folder = Path(current_app.static_folder)
    return [
        _style_hash(str(folder / name), (folder / name).stat().st_mtime_ns)
        for name in INLINE
    ]


def cache_static(response: Response) -> Response:
    """Let browsers and CDNs keep versioned static files for a year, and send
    text files compressed."""
    if request.endpoint != "static":
        return response
    if request.args.get("v") and response.status_code == 200:
        # One directive set, replacing Flask's "no-cache" (which would make
        # every reader revalidate the stylesheet despite "immutable").
        response.headers["Cache-Control"] = IMMUTABLE
    if response.mimetype in TEXT_TYPES:
        response.vary.add("Accept-Encoding")
        if response.status_code == 200:
            compress_file(response)
    return response


def compress_file(response: Response) -> None:
    """Send a static file's compressed form, made once per version."""
    path = safe_join(current_app.static_folder, request.view_args["filename"])
    if path is None:
        return
    variants = static_variants(path, Path(path).stat().st_mtime_ns)
    coding = choose(request.headers.get("Accept-Encoding"), variants)
    if coding:
        # The file Flask opened to send is not read: close it first.
        if hasattr(response.response, "close"):
            response.response.close()
        response.direct_passthrough = False
        response.set_data(variants[coding])
        response.content_encoding = coding
        if response.get_etag()[0]:
            response.set_etag(f"{response.get_etag()[0]}-{coding}")


def init_app(app: Flask) -> None:
    """Offer ``static_url`` to templates and set long-lived caching."""
    app.add_template_global(static_url)
    app.add_template_global(inline_css)
    # Every page holds the stylesheet and links the script and icon by their
    # hashes: pages depend on these files.
    app.extensions["reader.page_static"] = [
        str(Path(app.static_folder) / name)
        for name in ("style.css", "offline.js", "icon.svg")
    ]
    app.after_request(cache_static)
