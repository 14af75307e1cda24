"""Reader safety: strict response headers and request logs without addresses."""

from __future__ import annotations

import logging
import re

from flask import Flask, Response

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
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

_ADDRESS = re.compile(r"^\S+ - - ")


class NoAddressFilter(logging.Filter):
    """Drop the client address that Werkzeug's development server logs first."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and _ADDRESS.match(record.msg):
            record.msg = _ADDRESS.sub("- - - ", record.msg)
        return True


def add_headers(response: Response) -> Response:
    """Add the safety headers to every response."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Install the headers, and keep addresses out of logs unless configured."""
    app.after_request(add_headers)
    if not app.config["LOG_CLIENT_ADDRESSES"]:
        logging.getLogger("werkzeug").addFilter(NoAddressFilter())
