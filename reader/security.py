"""Reader safety: strict response headers and request logs without addresses."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Response, redirect

from .logs import ScrubFilter
from .static import style_hashes

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class NoAddressFilter(ScrubFilter):
    """Keep client addresses, query strings and invite tokens out of Werkzeug's log."""


def add_headers(response: Response) -> Response:
    """Add the safety headers to every response."""
    response = local_location(response)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        # The inline stylesheets, by hash: never 'unsafe-inline'.
        csp = response.headers["Content-Security-Policy"]
        response.headers["Content-Security-Policy"] = csp.replace(
            "style-src 'self'", " ".join(["style-src 'self'", *style_hashes()]), 1
        )
    return response


def local_location(response: Response) -> Response:
    """Make a redirect to this site relative, never naming the request's host.

    Werkzeug's own redirects (``/es`` to ``/es/``) are absolute, built from the
    ``Host`` header, in the Location and in the body: a shared cache could
    keep one to a forged host. The reader never sends anyone to another
    site, so every absolute redirect is made again, relative.
    """
    location = response.headers.get("Location")
    if location:
        parts = urlsplit(location)
        if parts.netloc:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            return redirect(path, response.status_code)
    return response


def init_app(app: Flask) -> None:
    """Install the headers, and keep addresses, queries and tokens out of logs."""
    app.after_request(add_headers)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, NoAddressFilter) for f in werkzeug.filters):
        werkzeug.addFilter(NoAddressFilter())
