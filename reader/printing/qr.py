"""QR codes that open the same page online, as inline SVG."""

from __future__ import annotations

from urllib.parse import urljoin

import segno
from flask import current_app, request
from markupsafe import Markup


def public_url(path: str) -> str:
    """Return the public address of ``path`` (PUBLIC_BASE_URL, else this host)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return urljoin(base.rstrip("/") + "/", path.lstrip("/"))


def qr_svg(url: str) -> Markup:
    """Return an SVG QR code for ``url``, sized by CSS through its viewBox."""
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, title=url))
