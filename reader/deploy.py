"""What a static host needs beside the exported files: the live site's headers
(``_headers`` for Netlify and Cloudflare Pages, ``_nginx.conf`` for nginx),
redirects for renamed documents, and pages at their old addresses.
"""

from __future__ import annotations

import posixpath

from flask import Flask
from flask_babel import gettext as _
from markupsafe import escape

from .languages import Language
from .redirects import REDIRECTS
from .security import HEADERS, add_headers
from .static import HASHED, IMMUTABLE

HEADERS_FILE, NGINX_FILE, REDIRECTS_FILE = "_headers", "_nginx.conf", "_redirects"
# Pages, PDFs and static files by their plain names: keep them, but ask
# every time whether they are current (what the live site sends for them).
CACHE = "public, no-cache"
# Pages link static files by names with their content hash in them
# (static.hashed_name): those never change, as on the live site.
# Pages of a document that may have an old address.
MOVED_ENDPOINTS = ("reader.document", "reader.officer", "print.guide")


def live_headers(app: Flask) -> dict[str, str]:
    """Return the safety headers the live site sends with a page, CSP included
    (with the hashes of the inline stylesheets), made by the same code."""
    with app.test_request_context("/"):
        response = add_headers(app.response_class("", mimetype="text/html"))
    return {name: response.headers[name] for name in HEADERS}


def headers_file(headers: dict[str, str], hashed: list[str]) -> str:
    """Return a ``_headers`` file (Netlify, Cloudflare Pages) for the export,
    with a rule for each static file by its ``hashed`` name (a path in the
    export). Netlify sends the later rule's Cache-Control; Cloudflare Pages
    joins both values, and "no-cache" keeps the files revalidated there:
    never stale, only not kept for ever (docs/deploy.md)."""
    lines = ["# Made by flask --app reader export: the live site's headers.", "/*"]
    lines += [f"  {name}: {value}" for name, value in headers.items()]
    lines.append(f"  Cache-Control: {CACHE}")
    for name in ("offline.zip", "offline-full.zip"):
        lines += [f"/*/{name}", "  Content-Disposition: attachment"]
    for path in sorted(hashed):
        lines += [f"/{path}", f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


def nginx_file(headers: dict[str, str]) -> str:
    """Return an nginx snippet to include where the export is served."""
    lines = [
        "# Made by flask --app reader export: include it in the location that",
        "# serves this folder (docs/deploy.md). The live site's headers:",
    ]
    lines += [f'add_header {name} "{value}" always;' for name, value in headers.items()]
    lines += [
        "# Static files by their hashed names never change.",
        f'set $reader_cache "{CACHE}";',
        f'if ($uri ~ "{HASHED.pattern}") {{',
        f'    set $reader_cache "{IMMUTABLE}";',
        "}",
        "add_header Cache-Control $reader_cache always;",
        "# The .gz beside each text file; brotli_static too if ngx_brotli is in.",
        "gzip_static on;",
        "# Caches keep the gzipped and the plain forms apart.",
        "gzip_vary on;",
        "# Text says it is UTF-8, as the live site does.",
        "charset utf-8;",
        "charset_types text/css text/plain text/xml application/javascript "
        "application/json application/manifest+json image/svg+xml;",
        "# Redirects name no host: they work under any name and sub-path.",
        "absolute_redirect off;",
    ]
    for old, new in sorted(REDIRECTS.items()):
        lines.append(f'rewrite "^(.*)/{old}/(.*)$" "$1/{new}/$2" permanent;')
    lines += [
        "# This file, the manifest and the other hosts' files are not pages.",
        r"location ~ /(\.rights-reader-export|_headers|_redirects|_nginx\.conf)$ {",
        "    return 404;",
        "}",
    ]
    return "\n".join(lines) + "\n"


def redirects_file() -> str:
    """Return a ``_redirects`` file (Netlify): a renamed document's old
    addresses, its PDFs and pictures included, answer 301."""
    lines = [
        f"/:lang/{old}/*  /:lang/{new}/:splat  301!"
        for old, new in sorted(REDIRECTS.items())
    ]
    return "".join(line + "\n" for line in lines)


def moved_page(lang: Language, source: str, target: str) -> bytes:
    """Return a page that sends a reader from ``source`` to ``target`` (paths
    in the export), without script: a refresh and a link."""
    link = escape(posixpath.relpath(target, posixpath.dirname(source)))
    # TRANSLATORS: the title of a page left at a renamed guide's old address.
    title = escape(_("This page has moved"))
    # TRANSLATORS: the link from a renamed guide's old address to its new one.
    go = escape(_("Go to its new address"))
    return (
        f'<!doctype html>\n<html lang="{lang.tag}" dir="{lang.direction}">'
        f'<meta charset="utf-8"><meta name="robots" content="noindex">'
        f'<meta http-equiv="refresh" content="0; url={link}">'
        f"<title>{title}</title><h1>{title}</h1>"
        f'<p><a href="{link}">{go}</a></p></html>\n'
    ).encode()
