"""Compression on the wire: brotli or gzip, encoded once, chosen per request.

A page is encoded when it enters the page cache and a static file once per
version, so a request only picks bytes already made. Exports ask for no
encoding (Frozen-Flask's client sends no Accept-Encoding) and get plain files.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import brotli
from werkzeug.http import parse_accept_header

# Brotli first: a fifth smaller than gzip on our pages. Quality 10 costs about
# 15 ms on a guide, once; a page built for one request (a print view with an
# organizer's lines) gets quality 5, about 1 ms.
ENCODINGS = ("br", "gzip")
STORED, ONE_OFF = 10, 5
# Types worth compressing; PDFs, PNGs and ZIPs are compressed already.
TEXT_TYPES = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
}


def encode(body: bytes, quality: int = STORED) -> dict[str, bytes]:
    """Return ``body`` in every encoding that makes it smaller."""
    made = {
        "br": brotli.compress(body, quality=quality, mode=brotli.MODE_TEXT),
        # mtime 0: the same page gives the same bytes, and the same ETag.
        "gzip": gzip.compress(body, 9 if quality >= STORED else 6, mtime=0),
    }
    return {name: data for name, data in made.items() if len(data) < len(body)}


def choose(accept_encoding: str | None, available) -> str | None:
    """Return the encoding to send for an Accept-Encoding header, or None.

    >>> choose("gzip, deflate, br", {"br", "gzip"})
    'br'
    >>> choose("gzip;q=1, br;q=0", {"br", "gzip"}), choose(None, {"br"})
    ('gzip', None)
    >>> choose("*", {"gzip"}), choose("identity", {"br", "gzip"})
    ('gzip', None)
    """
    if not accept_encoding:
        return None
    accepted = parse_accept_header(accept_encoding)
    best, quality = None, 0.0
    for name in ENCODINGS:
        q = accepted[name]  # 0 when refused or not named (nor "*")
        if name in available and q > quality:
            best, quality = name, q
    return best


@lru_cache(maxsize=64)
def static_variants(path: str, mtime_ns: int) -> dict[str, bytes]:
    """Return a static file's encodings, made once per version of the file."""
    return encode(Path(path).read_bytes(), quality=11)
