"""Public addresses and QR codes that open a printed page online.

A print is cached and handed out on paper: its address must never come from
the request (a forged ``Host`` header would put the attacker's address and QR
code on every later copy). It comes from ``PUBLIC_BASE_URL`` alone; without
it, prints carry the page's path and no QR code.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import segno
from flask import Flask, current_app
from markupsafe import Markup

SETTING = "READER_PUBLIC_BASE_URL"


def check_base_url(value: str | None) -> str | None:
    """Return ``PUBLIC_BASE_URL`` normalized (ending in ``/``), or raise.

    >>> check_base_url("https://rights.example.org/es-la")
    'https://rights.example.org/es-la/'
    """
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{SETTING} is {value!r}: set it to the site's public address, "
            "such as https://rights.example.org/"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"{SETTING} is {value!r}: leave out the '?' and '#' parts")
    return value.rstrip("/") + "/"


def page_path(endpoint: str, **values) -> str:
    """Return a page's path under the site root, whatever the request says."""
    adapter = current_app.url_map.bind("reader.invalid", script_name="/")
    return adapter.build(endpoint, values)


def public_url(endpoint: str, **values) -> str | None:
    """Return a page's public address, or None when no base URL is set."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return None
    return urljoin(base, page_path(endpoint, **values).lstrip("/"))


def qr_svg(url: str | None) -> Markup | None:
    """Return an SVG QR code for ``url``, sized by CSS through its viewBox."""
    if url is None:
        return None
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, title=url))


def init_app(app: Flask) -> None:
    """Check ``PUBLIC_BASE_URL`` once, at start-up, with a clear error."""
    app.config["PUBLIC_BASE_URL"] = check_base_url(app.config.get("PUBLIC_BASE_URL"))
