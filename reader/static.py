"""Versioned static files: a content hash in the URL, cached for a year."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

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


def static_url(filename: str) -> str:
    """Return the URL of a static file with its content hash as version."""
    if current_app.config.get("FREEZER_RELATIVE_URLS"):
        # A static export is a snapshot: plain relative paths work on file://.
        return link_for("static", filename=filename)
    path = Path(current_app.static_folder) / filename
    version = _digest(str(path), path.stat().st_mtime_ns)
    return url_for("static", filename=filename, v=version)


def cache_static(response: Response) -> Response:
    """Let browsers and CDNs keep versioned static files for a year."""
    if (
        request.endpoint == "static"
        and request.args.get("v")
        and response.status_code == 200
    ):
        # One directive set, replacing Flask's "no-cache" (which would make
        # every reader revalidate the stylesheet despite "immutable").
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def init_app(app: Flask) -> None:
    """Offer ``static_url`` to templates and set long-lived caching."""
    app.add_template_global(static_url)
    # Every page links the stylesheet by its hash: pages depend on this file.
    app.extensions["reader.stylesheet"] = str(Path(app.static_folder) / "style.css")
    app.after_request(cache_static)
